import { spawn } from 'node:child_process';

/**
 * Starts prediction(s) in another process (test/helpers/run-and-die.ts) and SIGKILLs that process once the
 * model is producing output (or, with '--until-done', once it finished). Answers the ids it printed: the
 * first prediction, then the queued ones (`env.RUN_QUEUE`).
 */
export async function killedMidPrediction(
  home: string,
  image: string,
  input: Record<string, unknown>,
  mode = '',
  env: Record<string, string> = {},
): Promise<string[]> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/run-and-die.ts', image, JSON.stringify(input), mode], {
    env: { ...process.env, ...env, COGDESK_HOME: home },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const ids = await new Promise<string[]>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('\n')) resolve(out.trim().split(/\s+/));
    });
    child.on('exit', (code) => reject(new Error(`the child exited early (${code})`)));
  });
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
  return ids;
}
