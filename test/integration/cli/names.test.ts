/**
 * Names resolve the same way in every command (core/library/resolve-name.ts), with the built CLI against
 * the real engine and the test registry. Replicate's API is a dead address here: a name that went to
 * Replicate instead of the library would fail with "check the network".
 */
import { spawnSync } from 'node:child_process';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Prediction } from '../../../src/shared/domain';
import type { CliVersion } from '../../../src/main/cli/json-library';
import { assertBuilt, fixtureRef, runCli, tempDirs, type CliRun } from './run-cli';

const DEAD_API = { COGDESK_REPLICATE_API: 'http://127.0.0.1:9/v1', REPLICATE_API_TOKEN: 'r8_dead' };
/** A second model named `echo` (the stream fixture's image under another repository), made and removed here. */
const OTHER_ECHO = 'cogdesk-cli-names/echo:latest';

let home: string;
let cleanup: () => void;

const docker = (...args: string[]) => spawnSync('docker', args, { encoding: 'utf8' });

beforeAll(() => {
  assertBuilt();
  expect(docker('tag', fixtureRef('stream'), OTHER_ECHO).status).toBe(0);
});
afterAll(() => {
  docker('rmi', '--no-prune', OTHER_ECHO);
});
beforeEach(() => {
  ({ dirs: [home], cleanup } = tempDirs('cogdesk-cli-names-'));
});
afterEach(() => cleanup());

const cli = (args: string[]) => runCli(args, { home, env: DEAD_API });
const text = (r: CliRun) => `stdout: ${r.stdout.toString()}\nstderr: ${r.stderr}`;
async function ok(args: string[]): Promise<CliRun> {
  const r = await cli(args);
  expect(r.code, `cogdesk ${args.join(' ')}\n${text(r)}`).toBe(0);
  return r;
}
const json = <T>(r: CliRun) => JSON.parse(r.stdout.toString()) as T;

describe('one resolver for run, pull, predictions and examples', { timeout: 180_000 }, () => {
  it('a local model by its short name, its 12-character version id and NAME:PREFIX run here without asking Replicate', async () => {
    const pulled = json<CliVersion>(await ok(['pull', fixtureRef('echo'), '--json']));
    for (const name of ['fixtures/echo', 'echo', pulled.id.slice(0, 12), `echo:${pulled.id.slice(0, 8)}`]) {
      const p = json<Prediction>(await ok(['run', name, '-i', 'text=hi', '--json']));
      expect(p, name).toMatchObject({ status: 'succeeded', version: pulled.id });
    }
    // pull takes the same names (and pulls the image again, as docker pull does).
    expect(json<CliVersion>(await ok(['pull', 'fixtures/echo', '--json'])).id).toBe(pulled.id);
    // --model and examples take them too.
    const list = json<Prediction[]>(await ok(['predictions', 'list', '--model', pulled.id.slice(0, 12), '--json']));
    expect(list).toHaveLength(4);
    const ex = await ok(['examples', 'add', list[0].id]);
    expect(ex.stdout.toString()).toContain(list[0].id);
    expect((await ok(['examples', 'list', 'fixtures/echo'])).stdout.toString()).toContain(list[0].id);
  });

  it('a name that fits two local models is an error listing both; the full name picks one', async () => {
    await ok(['pull', fixtureRef('echo')]);
    await ok(['run', OTHER_ECHO, '-i', 'prompt=x', '-i', 'n=1', '-i', 'delay=0']);
    const r = await cli(['run', 'echo', '-i', 'text=hi']);
    expect(r.code, text(r)).toBe(1);
    expect(r.stderr).toContain('Error: "echo" fits 2 local models: 127.0.0.1:5100/fixtures/echo, docker.io/cogdesk-cli-names/echo');
    expect(r.stderr).toContain('Write more of the name');
    expect(json<Prediction>(await ok(['run', 'fixtures/echo', '-i', 'text=hi', '--json'])).status).toBe('succeeded');
  });

  it('a model that is neither here nor in the history: predictions list and examples list fail, naming it', async () => {
    for (const args of [['predictions', 'list', '--model', 'nosuch'], ['examples', 'list', 'nosuch']]) {
      const r = await cli(args);
      expect(r.code, text(r)).toBe(1);
      expect(r.stderr).toMatch(/Error: No (local )?model "nosuch"/);
      expect(r.stdout.toString()).toBe('');
    }
  });
});
