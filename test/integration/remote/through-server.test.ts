/**
 * `cogdesk pull OWNER/NAME` and `cogdesk run OWNER/NAME` with a Cogdesk running for the data folder: the
 * image is pulled by that Cogdesk (its log shows the pull call), and this command registers it with
 * Replicate's schema and runs from the model's default example there. Built CLI, a real `cogdesk serve`,
 * the fake Replicate API, the real engine and the test registry.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CliVersion } from '../../../src/main/cli/json-library';
import type { Prediction } from '../../../src/shared/domain';
import { fixtureEntry, OPEN_REGISTRY } from '../../helpers/fixtures';
import { FAKE_TOKEN, startFakeWithFixtures, type FakeReplicate } from '../../fakes/replicate-api';
import { assertBuilt, BIN, runCli, tempDirs } from '../cli/run-cli';

let fake: FakeReplicate;
let home: string;
let cleanup: () => void;
let serve: { child: ChildProcess; log: () => string } | null = null;

const env = () => ({ COGDESK_REPLICATE_API: fake.url, COGDESK_REGISTRY: OPEN_REGISTRY, REPLICATE_API_TOKEN: FAKE_TOKEN });

/** `cogdesk serve` with its request log on stderr; resolves once it listens. */
async function startServeLogged(): Promise<{ child: ChildProcess; log: () => string }> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, COGDESK_HOME: home, ...env() };
  delete childEnv.DOCKER_HOST;
  delete childEnv.COGDESK_CLI_MAIN;
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--json'], { cwd: home, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (log += c));
  await new Promise<void>((resolve, reject) => {
    child.stdout!.setEncoding('utf8').on('data', (c: string) => c.includes('\n') && resolve());
    child.once('exit', (code) => reject(new Error(`cogdesk serve ended (${code}): ${log}`)));
  });
  return { child, log: () => log };
}

beforeAll(async () => {
  assertBuilt();
  fake = await startFakeWithFixtures();
});
afterAll(async () => {
  await fake?.close();
});
beforeEach(async () => {
  await fake.start();
  ({ dirs: [home], cleanup } = tempDirs('cogdesk-remote-through-'));
});
afterEach(async () => {
  if (serve && serve.child.exitCode === null) {
    const exited = new Promise((r) => serve!.child.once('exit', r));
    serve.child.kill('SIGTERM');
    await exited;
  }
  serve = null;
  cleanup();
});

describe('a Replicate model through a running Cogdesk', { timeout: 120_000 }, () => {
  it('pull OWNER/NAME: the running Cogdesk pulls the image; run OWNER/NAME starts from the default example there', async () => {
    // The pinned reference only (the fixture's tag stays): the image must be pulled to be here.
    spawnSync('docker', ['rmi', '--no-prune', fixtureEntry('echo').pinnedRef], { encoding: 'utf8' });
    serve = await startServeLogged();
    const pulled = await runCli(['pull', 'fixtures/echo', '--json'], { home, env: env() });
    expect(pulled.code, pulled.stderr).toBe(0);
    expect(pulled.stderr).toMatch(/^Pulling in the Cogdesk at http:\/\/127\.0\.0\.1:\d+\/v1 \(serve, pid \d+\)\.$/m);
    const echoId = fixtureEntry('echo').digest.replace(/^sha256:/, '');
    // Registered as Replicate's model, with the pinned image.
    expect(JSON.parse(pulled.stdout.toString()) as CliVersion).toMatchObject({ id: echoId, model: 'fixtures/echo', image: `${OPEN_REGISTRY}/fixtures/echo@sha256:${echoId}` });
    expect(serve.log()).toMatch(/POST \/v1\/cogdesk\/pulls 200/);

    const run = await runCli(['run', 'fixtures/echo', '--json'], { home, env: env() });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/Running in the Cogdesk at/);
    expect(JSON.parse(run.stdout.toString()) as Prediction).toMatchObject({ status: 'succeeded', output: 'hello world world world', input: { text: 'world', times: 3 } });
    expect(serve.log()).toMatch(/POST \/v1\/predictions 20\d/);
  });
});
