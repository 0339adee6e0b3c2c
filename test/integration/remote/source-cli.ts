/**
 * `cogdesk ...args` from the sources (test/integration/remote/cli-main.ts under tsx), in a child process with
 * the test's data folder: what the remote CLI tests run. The environment starts from this process's, without
 * a token, DOCKER_HOST or COGDESK_CLI_MAIN; `env` goes on top (undefined removes a variable).
 */
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
const MAIN = join(ROOT, 'test', 'integration', 'remote', 'cli-main.ts');
const TSX = pathToFileURL(join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;

export interface SourceCliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export async function runSourceCli(
  args: string[],
  o: { home: string; env?: Record<string, string | undefined>; stdin?: string; killAfterMs?: number },
): Promise<SourceCliResult> {
  const env: NodeJS.ProcessEnv = { ...process.env, COGDESK_HOME: o.home };
  for (const k of ['REPLICATE_API_TOKEN', 'COGDESK_CLI_MAIN', 'DOCKER_HOST']) delete env[k];
  for (const [k, v] of Object.entries(o.env ?? {})) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  const child = spawn(process.execPath, ['--import', TSX, MAIN, ...args], { cwd: o.home, env, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  child.stdin.end(o.stdin ?? '');
  const guard = o.killAfterMs ? setTimeout(() => child.kill('SIGKILL'), o.killAfterMs) : undefined;
  const code = await new Promise<number | null>((res, rej) => {
    child.on('error', rej);
    child.on('close', (c) => res(c));
  });
  clearTimeout(guard);
  return { code, stdout, stderr };
}
