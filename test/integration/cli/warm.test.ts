/**
 * Warm across commands: with `cogdesk serve` running for the data folder, `cogdesk run` goes through it and
 * the model stays warm (the second run starts nothing: no setup, the same container); without one, `run`
 * works on its own. Built CLI, real engine, real serve process.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ApiPrediction } from '../../../src/main/core/api-server/serialize';
import { assertBuilt, BIN, fixtureRef, runCli, tempDirs, type CliRun } from './run-cli';
import { startServe, type ServeProcess } from './serve-process';

let home: string;
let scratch: string;
let cleanup: () => void;
let serve: ServeProcess | null = null;

beforeAll(() => assertBuilt());
beforeEach(() => {
  ({ dirs: [home, scratch], cleanup } = tempDirs('cogdesk-cli-warm-', 'cogdesk-cli-warm-scratch-'));
});
afterEach(async () => {
  await serve?.stop();
  serve = null;
  cleanup();
});

async function ok(args: string[]): Promise<CliRun> {
  const r = await runCli(args, { home });
  expect(r.code, `cogdesk ${args.join(' ')}\nstdout: ${r.stdout.toString()}\nstderr: ${r.stderr}`).toBe(0);
  return r;
}
/** Lines that come more than once. */
const repeated = (text: string) => text.split('\n').filter((l, i, all) => l.trim() && all.indexOf(l) !== i);
const json = <T>(r: CliRun) => JSON.parse(r.stdout.toString()) as T;
const containers = async () =>
  json<Array<{ container_id: string; status: string; started_at: string }>>(await ok(['ps', '--json'])).map(({ container_id, status, started_at }) => ({ container_id, status, started_at }));

describe('warm across commands', { timeout: 240_000 }, () => {
  it('run twice against a running cogdesk serve: the second start is warm (no setup logs, the same container)', async () => {
    await ok(['pull', fixtureRef('echo')]);
    serve = await startServe(home);

    const first = await ok(['run', 'echo', '-i', 'text=one', '--json']);
    expect(first.stderr).toMatch(/^Running in the Cogdesk at http:\/\/127\.0\.0\.1:\d+\/v1 \(serve, pid \d+\): the model stays warm there\.$/m);
    expect(json<ApiPrediction>(first)).toMatchObject({ status: 'succeeded', output: 'hello one one' });
    const afterFirst = await containers();
    expect(afterFirst).toHaveLength(1);

    const second = await ok(['run', 'echo', '-i', 'text=two']);
    expect(second.stdout.toString()).toBe('hello two two\n');
    expect(second.stderr).not.toMatch(/Starting|setup|Waiting for/i);
    expect(await containers()).toEqual(afterFirst);

    // Both are in the one history (the serve process kept them).
    expect(json<ApiPrediction[]>(await ok(['predictions', 'list', '--json'])).map((p) => p.output)).toEqual(['hello two two', 'hello one one']);
  });

  it('a model whose setup prints: the cold start says so and streams the setup logs; the warm one shows neither', async () => {
    const model = fixtureRef('slow-setup');
    await ok(['pull', model]);
    serve = await startServe(home);
    const cold = await ok(['run', model]);
    expect(cold.stderr).toContain('Starting 127.0.0.1:5100/fixtures/slow-setup (cold)…\n');
    expect(cold.stderr).toMatch(/slow setup begin\n[\s\S]*slow setup end\n/);
    // The prediction's first log lines are not shown twice (once as the end of the setup logs).
    expect(repeated(cold.stderr)).toEqual([]);
    const started = await containers();
    expect(started).toHaveLength(1);

    const warm = await ok(['run', model]);
    expect(warm.stderr).not.toContain('Starting');
    expect(warm.stderr).not.toContain('slow setup');
    expect(await containers()).toEqual(started);
  });

  it('run on its own (no Cogdesk running) starts cold and streams the setup logs too', async () => {
    const r = await ok(['run', fixtureRef('slow-setup')]);
    expect(r.stderr).toContain('Starting 127.0.0.1:5100/fixtures/slow-setup (cold)…\n');
    expect(r.stderr).toContain('slow setup begin');
    expect(repeated(r.stderr)).toEqual([]);
  });

  it('Ctrl-C through the server cancels the prediction there: exit 130, the history says canceled', async () => {
    await ok(['pull', fixtureRef('stream')]);
    serve = await startServe(home);
    const env: NodeJS.ProcessEnv = { ...process.env, COGDESK_HOME: home };
    delete env.DOCKER_HOST;
    delete env.COGDESK_CLI_MAIN;
    const child = spawn(process.execPath, [BIN, 'run', fixtureRef('stream'), '-i', 'prompt=x', '-i', 'n=100', '-i', 'delay=0.1'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    let interrupted = false;
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      if (!interrupted && c.includes('x-1 ')) {
        interrupted = true;
        child.kill('SIGINT');
      }
    });
    const code = await new Promise<number | null>((r) => child.once('close', (c) => r(c)));
    expect(interrupted, stderr).toBe(true);
    expect(code, stderr).toBe(130);
    expect(stderr).toMatch(/^Running in the Cogdesk at /m);
    expect(stderr).toMatch(/was canceled/);
    const id = /cogdesk predictions show ([a-z2-7]{26})/.exec(stderr)?.[1];
    expect(json<ApiPrediction>(await ok(['predictions', 'show', id!, '--json'])).status).toBe('canceled');
  });

  it('through the server: a file input goes up as an upload, the output file comes back as a local path', async () => {
    await ok(['pull', fixtureRef('file')]);
    serve = await startServe(home);
    const input = join(scratch, 'in.bin');
    writeFileSync(input, Buffer.from('abc'));
    const r = await ok(['run', fixtureRef('file'), '-i', `image=@${input}`, '--json']);
    expect(r.stderr).toMatch(/^Running in the Cogdesk at /m);
    const p = json<ApiPrediction>(r);
    expect(p.status).toBe('succeeded');
    expect(String(p.output)).toMatch(new RegExp(`^${home.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/outputs/`));
  });

  it('without a running Cogdesk (or after it stopped), run works on its own and says so; its container goes with it', async () => {
    serve = await startServe(home);
    await serve.stop();
    serve = null;
    const r = await ok(['run', fixtureRef('echo'), '-i', 'text=alone']);
    expect(r.stderr).toMatch(/^No Cogdesk is running for this data folder: the model starts here and stops when this command ends/m);
    expect(r.stdout.toString()).toBe('hello alone alone\n');
    expect(await containers()).toEqual([]);
  });
});
