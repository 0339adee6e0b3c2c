/**
 * A real `cogdesk serve` process (the built CLI) on a free port with its own COGDESK_HOME, for the tests
 * that need a running Cogdesk: its URL and token from its --json line; stopped with SIGTERM.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { BIN } from './run-cli';

export interface ServeProcess {
  url: string;
  token: string;
  child: ChildProcess;
  stderr: () => string;
  stop(): Promise<void>;
}

/** With `logs`, it logs each request and each pull's end on stderr (else --quiet). */
export async function startServe(home: string, env: Record<string, string> = {}, o: { logs?: boolean } = {}): Promise<ServeProcess> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, COGDESK_HOME: home, ...env };
  delete childEnv.DOCKER_HOST;
  delete childEnv.COGDESK_CLI_MAIN;
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--json', ...(o.logs ? [] : ['--quiet'])], { cwd: home, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  const line = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.setEncoding('utf8').on('data', (c: string) => {
      out += c;
      const nl = out.indexOf('\n');
      if (nl >= 0) resolve(out.slice(0, nl));
    });
    child.once('exit', (code) => reject(new Error(`cogdesk serve ended (${code}) before listening: ${stderr}`)));
  });
  const { url, token } = JSON.parse(line) as { url: string; token: string };
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return {
    url,
    token,
    child,
    stderr: () => stderr,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** POST /v1/predictions with `Prefer: wait`: the prediction as the API answers it. */
export async function apiPredict(s: ServeProcess, version: string, input: Record<string, unknown>): Promise<{ id: string; status: string; output: unknown }> {
  const res = await fetch(`${s.url}/predictions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${s.token}`, 'content-type': 'application/json', prefer: 'wait=60' },
    body: JSON.stringify({ version, input }),
  });
  if (!res.ok) throw new Error(`POST /predictions: ${res.status} ${await res.text()}`);
  return (await res.json()) as { id: string; status: string; output: unknown };
}
