/**
 * Running the built `cogdesk` (node bin/cogdesk.js) as a child process with its own COGDESK_HOME, for the
 * CLI tests outside cli.test.ts.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
export const BIN = join(ROOT, 'bin', 'cogdesk.js');
export const BUILT_CLI = join(ROOT, 'out', 'main', 'cli.js');
const FIXTURES_JSON = process.env.COGDESK_FIXTURES ?? '/var/lib/cogdesk-test/fixtures.json';

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: Buffer;
  stderr: string;
}

export interface CliOptions {
  home: string;
  cwd?: string;
  env?: Record<string, string | undefined>;
  /**
   * Reads nothing from stdout until the command has exited, or until `holdMs` has passed with the command
   * still running (it is then waiting for its reader, as it must). With the pipe full, a command that
   * exits before its output is written loses the rest, which the caller sees.
   */
  holdMs?: number;
  killAfterMs?: number;
}

export function assertBuilt(): void {
  if (!existsSync(BUILT_CLI)) {
    throw new Error(`${BUILT_CLI} is missing: the CLI tests run the built command. Build it first: npm run build.`);
  }
}

export function fixtureRef(name: string): string {
  let fx: { images: Record<string, { ref: string }> };
  try {
    fx = JSON.parse(readFileSync(FIXTURES_JSON, 'utf8')) as typeof fx;
  } catch (e) {
    throw new Error(`Cannot read ${FIXTURES_JSON} (${String(e)}): run scripts/test-env/setup.sh first.`);
  }
  const image = fx.images[name];
  if (!image) throw new Error(`${FIXTURES_JSON} has no "${name}" fixture: run scripts/test-env/setup.sh`);
  return image.ref;
}

/** Fresh folders removed by `cleanup`. */
export function tempDirs(...prefixes: string[]): { dirs: string[]; cleanup: () => void } {
  const dirs = prefixes.map((p) => mkdtempSync(join(tmpdir(), p)));
  return { dirs, cleanup: () => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })) };
}

export async function runCli(args: string[], o: CliOptions): Promise<CliRun> {
  const env: NodeJS.ProcessEnv = { ...process.env, COGDESK_HOME: o.home };
  delete env.DOCKER_HOST;
  delete env.COGDESK_CLI_MAIN;
  for (const [k, v] of Object.entries(o.env ?? {})) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  const child = spawn(process.execPath, [BIN, ...args], { cwd: o.cwd ?? o.home, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const chunks: Buffer[] = [];
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (c: string) => (stderr += c));
  const exited = new Promise<void>((res) => child.once('exit', () => res()));
  const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res, rej) => {
    child.once('error', rej);
    child.once('close', (code, signal) => res({ code, signal }));
  });
  const guard = setTimeout(() => child.kill('SIGKILL'), o.killAfterMs ?? 90_000);
  if (o.holdMs !== undefined) {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([exited, new Promise<void>((res) => (timer = setTimeout(res, o.holdMs)))]);
    clearTimeout(timer);
  }
  child.stdout.on('data', (c: Buffer) => chunks.push(c));
  const { code, signal } = await closed;
  clearTimeout(guard);
  return { code, signal, stdout: Buffer.concat(chunks), stderr };
}
