/**
 * `cogdesk push IMAGE OWNER/NAME [--private] [--hardware SKU]`: publish a local Cog model version (built
 * with `cog build -t IMAGE`, pulled, or any local Cog image) to the Replicate account behind the API token,
 * as a new version of OWNER/NAME (created when missing). Says what it will do before doing it, shows
 * progress on stderr, Ctrl-C cancels. Registry credentials: an existing `cog login`, else the CLI auth
 * token Cogdesk keeps, else it asks for one (stdin) and keeps it in `<home>/replicate-cli-token`.
 */
import type { Command } from 'commander';
import { CogdeskError } from '../../shared/errors';
import type { Core } from '../core';
import { formatBytes } from '../../shared/format';
import type { Pusher, PushPlan, PushProgress, PushRequest, PushResult } from '../core/push';

/** Where a CLI auth token comes from (the core's CLI_TOKEN_PAGE, in push/credentials.ts: a test keeps them equal; not imported, so that start-up does not load the push engine). */
export const CLI_TOKEN_PAGE = 'https://replicate.com/auth/token';
import { print, printJson, readSecretLine, withCore } from './context';
import { markInterrupted } from './exit';
import { localTime } from './format';

const note = (text: string) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`);

export interface PushCommandHooks {
  /** Reads a CLI auth token (default: the first line of stdin, after a prompt on a terminal). */
  readToken?: () => Promise<string>;
  /** Opens the core for the command (default: withCore('passive', ...)). */
  withCore?: <T>(fn: (core: Core) => Promise<T>) => Promise<T>;
  /**
   * Asks whether to go ahead with the plan just shown (default: a y/N question on a terminal; with no
   * terminal to ask on, the plan printed is the word, as before).
   */
  confirm?: (question: string) => Promise<boolean>;
}

/** A y/N question on stderr, answered on a terminal's stdin; true when there is no terminal to ask on. */
async function askOnTerminal(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) return true;
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

/** The core's pusher when createCore wires one in, else one over the core's parts. */
export async function pusherFor(core: Core): Promise<Pusher> {
  const wired = (core as { pusher?: Pusher }).pusher;
  return wired ?? (await import('../core/push')).createPusher({ docker: () => core.docker(), store: core.store, catalog: core.catalog, home: core.paths.home });
}

export function registerPushCommands(program: Command, hooks: PushCommandHooks = {}): void {
  const open = hooks.withCore ?? (<T>(fn: (core: Core) => Promise<T>) => withCore('passive', fn));
  const readToken = hooks.readToken ?? readCliToken;
  const confirm = hooks.confirm ?? askOnTerminal;

  program
    .command('push')
    .description('publish a local Cog model version to your Replicate account, as a new version of OWNER/NAME (created when missing)')
    .argument('<image>', 'a local Cog image (built with `cog build -t NAME`, or pulled), a local version id, or a local model')
    .argument('<owner/name>', 'the model on Replicate (owner: the account of your API token)')
    .option('--private', 'a model created now is private (default: public)')
    .option('--hardware <sku>', 'hardware of a model created now (default: the SKU matching this machine, cpu without a GPU)')
    .option('--description <text>', 'description of a model created now')
    .option('--login', `read a new CLI auth token (from ${CLI_TOKEN_PAGE}) from stdin, verify and keep it, and push with it`)
    .option('--dry-run', 'check everything and say what would happen, without creating or pushing anything')
    .option('-y, --yes', 'go ahead without asking (on a terminal, push asks after showing its plan)')
    .option('--json', 'print the result (with --dry-run, the plan) as JSON')
    .action(
      async (
        image: string,
        destination: string,
        o: { private?: boolean; hardware?: string; description?: string; login?: boolean; dryRun?: boolean; json?: boolean; yes?: boolean },
      ) => {
        await open(async (core) => {
          const pusher = await pusherFor(core);
          const request: PushRequest = {
            version: image,
            destination,
            ...(o.private ? { visibility: 'private' as const } : {}),
            ...(o.hardware ? { hardware: o.hardware } : {}),
            ...(o.description ? { description: o.description } : {}),
          };
          if (o.login) {
            await login(pusher, await readToken());
            request.credentials = 'cogdesk';
          }
          const plan = await pusher.plan(request);
          if (o.dryRun) {
            if (o.json) printJson((await import('./json-push')).cliPushPlan(plan));
            else print(formatPlan(plan));
            return;
          }
          note(formatPlan(plan));
          if (!o.yes && !(await confirm(`${plan.model.exists ? 'Push' : 'Create the model and push'} as shown? [y/N] `))) {
            throw new CogdeskError({ code: 'canceled', message: 'Nothing was created or pushed', hint: 'Push again and answer y, or add --yes.' });
          }
          if (!plan.credentials.source) {
            note(`No \`cog login\` for ${plan.registry}: Cogdesk needs your CLI auth token (from ${CLI_TOKEN_PAGE}) to push.`);
            await login(pusher, await readToken());
          }

          const bar = pushProgressReporter();
          const controller = new AbortController();
          const onSigint = () => {
            markInterrupted();
            note('\nCanceling…');
            controller.abort();
          };
          process.on('SIGINT', onSigint);
          let result: PushResult;
          try {
            result = await pusher.push(request, { onProgress: (p) => bar.update(p), signal: controller.signal });
          } finally {
            bar.end();
            process.off('SIGINT', onSigint);
          }
          if (o.json) printJson((await import('./json-push')).cliPushResult(result));
          else print(formatResult(plan, result));
        });
      },
    );
}

async function login(pusher: Pusher, token: string): Promise<void> {
  const status = await pusher.login(token);
  const where = status.kept?.where;
  note(`The CLI token belongs to ${status.kept?.username ?? 'an unknown user'} on ${status.registry}; Cogdesk keeps it${where ? ` in ${where}` : ''}${where?.startsWith('/') ? ' (readable by you only)' : ''}.`);
}

// ---- text ----

export function formatPlan(plan: PushPlan): string {
  const v = plan.version;
  const lines = [`Push ${v.imageRef} (version ${v.id.slice(0, 12)}) to ${plan.destination.image}`];
  if (plan.model.exists) {
    lines.push(`Model:        ${plan.destination.id} exists${plan.model.visibility ? ` (${plan.model.visibility})` : ''}: the push adds a version`);
  } else {
    const hw = plan.model.hardware;
    lines.push(`Model:        ${plan.destination.id} does not exist: it will be created, ${plan.model.visibility}, on ${hw.sku}${hw.name ? ` (${hw.name})` : ''}`);
    lines.push(`Hardware:     ${hw.source === 'requested' ? 'as asked' : `matching this machine: ${hw.reason}`}`);
  }
  lines.push(`Account:      ${plan.account} (the API token's)`);
  const c = plan.credentials;
  lines.push(
    `Registry:     ${c.source === 'docker-config' ? `cog login${c.username ? ` as ${c.username}` : ''}` : c.source === 'cogdesk' ? `the CLI token Cogdesk keeps${c.username ? `, user ${c.username}` : ''}` : 'no credentials yet'}`,
  );
  if (plan.alreadyPushed) lines.push(`Already:      pushed as ${plan.alreadyPushed.modelId}:${plan.alreadyPushed.remoteVersionId} on ${localTime(plan.alreadyPushed.pushedAt)} (local time)`);
  for (const w of plan.warnings) lines.push(`Warning:      ${w}`);
  return lines.join('\n');
}

export function formatResult(plan: PushPlan, r: PushResult): string {
  const p = r.progress;
  const pushed = p.layers.total - p.layers.alreadyExists;
  return [
    `Pushed ${plan.version.imageRef} as ${r.link.modelId}:${r.link.remoteVersionId}`,
    `Model:   ${r.link.modelId}${r.createdModel ? ' (created)' : ''}${r.url ? `  ${r.url}` : ''}`,
    `Version: ${r.link.remoteVersionId}`,
    `Image:   ${r.link.imageRef}`,
    `Layers:  ${pushed} pushed, ${p.layers.alreadyExists} already there`,
  ].join('\n');
}

export function pushProgressLine(p: PushProgress, width = 24): string {
  const filled = Math.round((p.percent / 100) * width);
  const bar = '#'.repeat(filled) + '-'.repeat(width - filled);
  const bytes = p.bytesTotal > 0 && p.phase === 'pushing' ? `${formatBytes(p.bytesDone)}/${formatBytes(p.bytesTotal)}, ` : '';
  const layers = p.layers.total > 0 ? `${p.layers.done}/${p.layers.total} layers${p.layers.alreadyExists ? ` (${p.layers.alreadyExists} already there)` : ''}` : '';
  return `[${bar}] ${p.percent.toFixed(0).padStart(3)}% ${bytes}${layers} ${p.phase}: ${p.message}`;
}

/** Push progress on stderr: redrawn in place on a terminal, a line per phase or every few seconds otherwise. */
function pushProgressReporter(stream: NodeJS.WriteStream = process.stderr): { update(p: PushProgress): void; end(): void } {
  let lastLineAt = 0;
  let lastPhase = '';
  let drawn = false;
  return {
    update(p) {
      const line = pushProgressLine(p);
      if (stream.isTTY) {
        stream.write(`\r${line}\x1b[K`);
        drawn = true;
      } else if (Date.now() - lastLineAt > 2000 || p.phase !== lastPhase) {
        stream.write(`${line}\n`);
        lastLineAt = Date.now();
        lastPhase = p.phase;
      }
    },
    end() {
      if (drawn) stream.write('\n');
      drawn = false;
    },
  };
}

/** A CLI auth token from stdin: the first non-empty line (piped), or typed after a prompt. Never from argv. */
async function readCliToken(): Promise<string> {
  const token = await readSecretLine(`Paste your CLI auth token (from ${CLI_TOKEN_PAGE}) and press Enter: `);
  if (!token) {
    throw new CogdeskError({
      code: 'registry_unauthorized',
      message: 'No CLI auth token given',
      hint: `Run \`cog login\`, or pipe the token from ${CLI_TOKEN_PAGE}: cogdesk push --login IMAGE OWNER/NAME < token.txt`,
    });
  }
  return token;
}
