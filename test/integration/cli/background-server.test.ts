/**
 * The cliBackgroundServer setting: with no Cogdesk running, `cogdesk run` starts a background `cogdesk serve
 * --exit-when-idle` and goes through it, so the second run is warm (no setup, the same container); that
 * server exits by itself after the idle timeout, clears server.json and stops its containers. Without the
 * setting, run works on its own and says how to turn it on. Built CLI, real engine, real processes.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { assertBuilt, fixtureRef, runCli, tempDirs, type CliRun } from './run-cli';

let home: string;
let cleanup: () => void;
/** Every background server seen, stopped at the end whatever happened. */
const seenPids = new Set<number>();

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function untilExited(pid: number): Promise<void> {
  while (alive(pid)) await sleep(200);
}
const recordPid = (): number | null => {
  try {
    return (JSON.parse(readFileSync(join(home, 'server.json'), 'utf8')) as { pid: number }).pid;
  } catch {
    return null;
  }
};

beforeAll(() => assertBuilt());
beforeEach(() => {
  ({ dirs: [home], cleanup } = tempDirs('cogdesk-cli-bg-'));
});
afterEach(async () => {
  const pid = recordPid();
  if (pid) seenPids.add(pid);
  for (const p of seenPids) if (alive(p)) process.kill(p, 'SIGTERM');
  for (const p of seenPids) await untilExited(p);
  cleanup();
});
afterAll(() => {
  for (const p of seenPids) if (alive(p)) process.kill(p, 'SIGKILL');
});

async function ok(args: string[]): Promise<CliRun> {
  const r = await runCli(args, { home });
  expect(r.code, `cogdesk ${args.join(' ')}\nstdout: ${r.stdout.toString()}\nstderr: ${r.stderr}`).toBe(0);
  return r;
}
const containerIds = async () => (JSON.parse((await ok(['ps', '--json'])).stdout.toString()) as Array<{ container_id: string }>).map((c) => c.container_id);
const STARTED = /^Started a background Cogdesk \(pid (\d+), exits after (.+?) idle; log: (.+?)\): the model stays warm there\.$/m;

describe('a background Cogdesk for cogdesk run (cliBackgroundServer)', { timeout: 240_000 }, () => {
  it('the first run starts it, the second goes through it warm; it exits after the idle timeout, clearing server.json and its containers', async () => {
    await ok(['pull', fixtureRef('echo')]);
    await ok(['settings', 'cliBackgroundServer', 'true']);

    const first = await ok(['run', 'echo', '-i', 'text=one']);
    const started = STARTED.exec(first.stderr);
    expect(started, first.stderr).not.toBeNull();
    const pid = Number(started![1]);
    seenPids.add(pid);
    expect(started![2]).toBe('5 min');
    expect(started![3]).toBe(join(home, 'logs', 'serve.log'));
    expect(first.stderr).toContain('(cold)');
    expect(first.stdout.toString()).toBe('hello one one\n');
    // The command has ended; its server has not.
    expect(alive(pid)).toBe(true);
    expect(recordPid()).toBe(pid);
    const warm = await containerIds();
    expect(warm).toHaveLength(1);

    const second = await ok(['run', 'echo', '-i', 'text=two']);
    expect(second.stderr).toMatch(new RegExp(`^Running in the Cogdesk at http://127\\.0\\.0\\.1:\\d+/v1 \\(serve, pid ${pid}\\): the model stays warm there\\.$`, 'm'));
    expect(second.stderr).not.toMatch(/Starting|setup|cold/i);
    expect(second.stdout.toString()).toBe('hello two two\n');
    expect(await containerIds()).toEqual(warm);

    // A short idle timeout, applied at the next run's end: the model stops, then the server exits by itself.
    await ok(['settings', 'idleTimeoutSeconds', '2']);
    await ok(['run', 'echo', '-i', 'text=three']);
    await untilExited(pid);
    expect(existsSync(join(home, 'server.json'))).toBe(false);
    const log = readFileSync(join(home, 'logs', 'serve.log'), 'utf8');
    expect(log).toContain('Exiting: nothing to do for 2 s (--exit-when-idle).');
    expect(log).not.toContain(readFileSync(join(home, 'api-token'), 'utf8').trim());
    expect(spawnSync('docker', ['ps', '-a', '-q', '--no-trunc', '--filter', `id=${warm[0]}`], { encoding: 'utf8' }).stdout.trim()).toBe('');
    expect(await containerIds()).toEqual([]);

    // The next run starts a new one.
    const again = await ok(['run', 'echo', '-i', 'text=four']);
    const next = STARTED.exec(again.stderr);
    expect(next, again.stderr).not.toBeNull();
    seenPids.add(Number(next![1]));
    expect(Number(next![1])).not.toBe(pid);
    expect(next![2]).toBe('2 s');
  });

  it('two runs at once start one server, and both go through it', async () => {
    await ok(['pull', fixtureRef('echo')]);
    await ok(['settings', 'cliBackgroundServer', 'on']);
    const [a, b] = await Promise.all([ok(['run', 'echo', '-i', 'text=a']), ok(['run', 'echo', '-i', 'text=b'])]);
    const pidOf = (r: CliRun) => Number(/\bpid (\d+)\b/.exec(r.stderr)?.[1]);
    [a, b].forEach((r) => seenPids.add(pidOf(r)));
    expect(pidOf(a), a.stderr + b.stderr).toBe(pidOf(b));
    expect([a, b].filter((r) => STARTED.test(r.stderr))).toHaveLength(1);
    expect(readFileSync(join(home, 'logs', 'serve.log'), 'utf8').match(/started by cogdesk run/g)).toHaveLength(1);
    expect([a.stdout.toString(), b.stdout.toString()]).toEqual(['hello a a\n', 'hello b b\n']);
  });

  it('without the setting, run works on its own and says how to turn it on', async () => {
    const r = await ok(['run', fixtureRef('echo'), '-i', 'text=alone']);
    expect(r.stderr).toMatch(/^No Cogdesk is running for this data folder: the model starts here and stops when this command ends \(.*cogdesk settings cliBackgroundServer true\)\.$/m);
    expect(existsSync(join(home, 'server.json'))).toBe(false);
    expect(existsSync(join(home, 'logs', 'serve.log'))).toBe(false);
    expect(await containerIds()).toEqual([]);
  });
});
