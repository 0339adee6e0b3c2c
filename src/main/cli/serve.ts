/**
 * `cogdesk serve`: the local API (Replicate's prediction API on 127.0.0.1) without the window, until
 * Ctrl-C. It prints the base URL and the token the official clients need. With --exit-when-idle (what
 * `cogdesk run` starts in the background with the cliBackgroundServer setting) it exits by itself once it
 * has had nothing to do for the idle timeout (background-server.ts).
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import type { CoreOptions } from '../core';
import type { ApiServer } from '../core/api-server';
import { clearServerRecord, writeServerRecord } from '../core/api-server/server-record';
import { idleWatch, idleWords, type IdleWatch } from './background-server';

export interface ServeHooks {
  /** Ends the server instead of SIGINT/SIGTERM (tests). */
  signal?: AbortSignal;
  /** Told once the server listens (tests). */
  onListening?: (server: ApiServer) => void;
  coreOptions?: CoreOptions;
  out?: (text: string) => void;
  err?: (text: string) => void;
}

function parsePort(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError(`--port must be a whole number from 0 to 65535, got "${value}".`);
  return n;
}

const collect = (value: string, previous: string[]) => [...previous, value];

/** The local API's port (the core's DEFAULT_API_PORT: a test keeps them equal; not imported, so that start-up does not load the server). */
export const DEFAULT_API_PORT = 5190;

function parseMegabytes(flag: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || n < 1 || n > 10_240) throw new InvalidArgumentError(`${flag} must be a number of MiB from 1 to 10240, got "${value}".`);
    return n;
  };
}

export function usage(server: ApiServer): string {
  return [
    `Cogdesk local API on ${server.url}`,
    '',
    `Token:          ${server.token}`,
    `                (kept in ${server.tokenFile})`,
    `Webhook secret: ${server.webhookSecret}`,
    '',
    'JavaScript:  new Replicate({ auth: TOKEN, baseUrl: "' + server.url + '" })',
    `Python:      REPLICATE_API_TOKEN=TOKEN REPLICATE_BASE_URL=${server.origin} python your_script.py`,
    `curl:        curl -H "Authorization: Bearer TOKEN" ${server.url}/models`,
    '',
    'Press Ctrl-C to stop.',
  ].join('\n');
}

interface ServeOptions {
  port: number;
  cors: string[];
  fileOutput: 'url' | 'data-uri';
  json?: boolean;
  quiet?: boolean;
  maxBodyMb?: number;
  maxUploadMb?: number;
  routeToReplicate?: boolean;
  exitWhenIdle?: boolean;
}

/** What a background server (--exit-when-idle) prints in its log: never the token (the log is no place for it). */
function backgroundUsage(server: ApiServer, idleSeconds: number): string {
  return `Cogdesk local API on ${server.url} for cogdesk run (pid ${process.pid}); the token is in ${server.tokenFile}. It exits after ${idleWords(idleSeconds)} with nothing to do (the idleTimeoutSeconds setting).`;
}

export function registerServeCommands(program: Command, hooks: ServeHooks = {}): Command {
  const out = hooks.out ?? ((t: string) => process.stdout.write(t.endsWith('\n') ? t : t + '\n'));
  const err = hooks.err ?? ((t: string) => process.stderr.write(t.endsWith('\n') ? t : t + '\n'));
  program
    .command('serve')
    .description("run Replicate's prediction API for the local models on 127.0.0.1 (the official clients work with it)")
    .option('--port <n>', `port on 127.0.0.1 (0 for any free one)`, parsePort, DEFAULT_API_PORT)
    .option('--cors <origin>', 'let a web page from this origin call the API ("*" for any; repeatable)', collect, [])
    .addOption(new Option('--file-output <mode>', 'output files as URLs this server serves, or as data: URIs').choices(['url', 'data-uri']).default('url'))
    .option('--json', 'print {url, origin, port, token, webhookSecret} as one JSON line once listening')
    .option('--quiet', 'do not log each request on stderr')
    .option('--max-body-mb <n>', 'largest JSON request body, in MiB (default 32)', parseMegabytes('--max-body-mb'))
    .option('--max-upload-mb <n>', 'largest upload to /v1/files, in MiB (default 100)', parseMegabytes('--max-upload-mb'))
    .option('--exit-when-idle', 'exit by itself once nothing is warm, running, queued, pulled or pushed and no request came for the idle timeout (the idleTimeoutSeconds setting); what cogdesk run starts with the cliBackgroundServer setting')
    .option('--route-to-replicate', 'run a model that is not here on Replicate with your token (never one marked local-only); default: the routeToReplicate setting')
    .action(async (o: ServeOptions) => {
      // Long-running like the app: it takes over what a previous process left running.
      // The engine and the server load when serve runs, not at start-up (index.ts).
      const [{ createCore }, { startApiServer }] = await Promise.all([import('../core'), import('../core/api-server')]);
      const core = await createCore({ recover: 'full', ...hooks.coreOptions });
      let server: ApiServer | null = null;
      let idle: IdleWatch | null = null;
      let offPulls: (() => void) | null = null;
      try {
        server = await startApiServer(core, {
          port: o.port,
          cors: o.cors,
          fileOutput: o.fileOutput,
          maxBodyBytes: o.maxBodyMb ? Math.round(o.maxBodyMb * 1024 * 1024) : undefined,
          maxUploadBytes: o.maxUploadMb ? Math.round(o.maxUploadMb * 1024 * 1024) : undefined,
          // A request is activity for --exit-when-idle, logged or not.
          log: o.exitWhenIdle ? (line) => (idle?.requestSeen(), o.quiet || err(line)) : o.quiet ? undefined : (line) => err(line),
          routeToReplicate: o.routeToReplicate,
        });
        if (o.exitWhenIdle && !o.json) {
          out(backgroundUsage(server, core.store.settings.get().idleTimeoutSeconds));
        } else if (o.json) {
          out(JSON.stringify({ url: server.url, origin: server.origin, port: server.port, token: server.token, webhook_secret: server.webhookSecret }));
        } else {
          out(usage(server));
        }
        // So that the CLI's commands go through this server and the models stay warm (server-record.ts).
        writeServerRecord(core.paths.home, { pid: process.pid, port: server.port, url: server.url, startedAt: new Date().toISOString(), by: 'serve' });
        hooks.onListening?.(server);
        // Pulls asked of it (the command line's pull and run): how each ended, beside the request log.
        if (!o.quiet) offPulls = core.on('task', (t) => t.kind === 'pull' && t.state !== 'running' && err(t.state === 'succeeded' ? `Pulled ${t.version.imageRef}` : `Pull ${t.state}: ${t.error.message}`));
        if (o.exitWhenIdle) idle = idleWatch(core);
        const why = await Promise.race([untilStopped(hooks.signal).then(() => 'stopped' as const), idle ? idle.idle.then(() => 'idle' as const) : new Promise<never>(() => {})]);
        err(why === 'idle' ? `Exiting: nothing to do for ${idleWords(core.store.settings.get().idleTimeoutSeconds)} (--exit-when-idle).` : 'Stopping…');
      } finally {
        offPulls?.();
        idle?.stop();
        clearServerRecord(core.paths.home);
        await server?.close();
        await core.close();
      }
    });
  return program;
}

function untilStopped(signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      signal?.removeEventListener('abort', stop);
      resolve();
    };
    if (signal) {
      if (signal.aborted) return resolve();
      signal.addEventListener('abort', stop);
    } else {
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    }
  });
}
