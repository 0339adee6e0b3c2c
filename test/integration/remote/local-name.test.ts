/**
 * A Replicate model name that is also a local image's (what `cog build -t owner/name` makes): the fake
 * Replicate model `fixtures/echo`, and the local image `fixtures/echo:latest`, which here is the stream
 * fixture, so what ran says which one was taken. From a model page (the window's pullRemoteModel and
 * runRemoteModel) the name means Replicate's model. On the command line it means Replicate's model too, with
 * a note on stderr saying so and how to take the local image (`owner/name:latest`); only a name Replicate
 * does not have is the local image's. Real engine, real registry, real CLI process; the fake Replicate API.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { TaskEvent } from '../../../src/shared/api';
import type { Prediction } from '../../../src/shared/domain';
import type { CliVersion } from '../../../src/main/cli/json-library';
import { memoryTokenStore } from '../../../src/main/core/remote';
import { docker, openCore } from '../../helpers/core';
import { fixtureEntry, OPEN_REGISTRY } from '../../helpers/fixtures';
import { runSourceCli, type SourceCliResult } from './source-cli';
import { expectAnswersValid, FAKE_TOKEN, startFakeWithFixtures, type FakeReplicate } from '../../fakes/replicate-api';

const TIMEOUT = 120_000;

/** Local tags this file makes (on the stream fixture's image) and removes. */
const LOCAL_TAGS = [
  { repo: 'fixtures/echo', tag: 'latest' },
  { repo: 'cogdesk-local/only', tag: 'latest' },
];
const echoId = () => fixtureEntry('echo').digest.replace(/^sha256:/, '');
const pinnedEcho = () => `${OPEN_REGISTRY}/fixtures/echo@sha256:${echoId()}`;
const STREAM_INPUT = ['-i', 'prompt=local', '-i', 'n=1', '-i', 'delay=0'];

let fake: FakeReplicate;
let home: string;
const ENV_KEYS = ['COGDESK_REPLICATE_API', 'COGDESK_REGISTRY'] as const;
const saved = Object.fromEntries(ENV_KEYS.map((k) => [k, process.env[k]]));

async function untag(): Promise<void> {
  for (const t of LOCAL_TAGS) {
    await docker
      .getImage(`${t.repo}:${t.tag}`)
      .remove({ noprune: true })
      .catch((e: { statusCode?: number }) => {
        if (e?.statusCode !== 404) throw e;
      });
  }
}

beforeAll(async () => {
  fake = await startFakeWithFixtures();
  await untag();
  const stream = docker.getImage(fixtureEntry('stream').ref);
  for (const t of LOCAL_TAGS) await stream.tag(t);
  expect((await docker.getImage('fixtures/echo').inspect()).Id).toBe(fixtureEntry('stream').imageId);
});
afterAll(async () => {
  await untag();
  expectAnswersValid(fake);
  await fake.close();
});
beforeEach(async () => {
  await fake.start();
  home = mkdtempSync(join(tmpdir(), 'cogdesk-local-name-'));
  Object.assign(process.env, { COGDESK_REPLICATE_API: fake.url, COGDESK_REGISTRY: OPEN_REGISTRY });
});
afterEach(() => {
  rmSync(home, { recursive: true, force: true });
  for (const k of ENV_KEYS) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
});

type Result = SourceCliResult;

/** `cogdesk ...args` from the sources, with this test's home, the fake API (with its token) and the test registry. */
async function cogdesk(args: string[]): Promise<Result> {
  return runSourceCli(args, {
    home,
    env: { COGDESK_REPLICATE_API: fake.url, COGDESK_REGISTRY: OPEN_REGISTRY, REPLICATE_API_TOKEN: FAKE_TOKEN, DOCKER_CONFIG: join(home, 'no-docker-config') },
  });
}

async function ok(args: string[]): Promise<Result> {
  const r = await cogdesk(args);
  expect(r.code, `cogdesk ${args.join(' ')}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`).toBe(0);
  return r;
}

const AMBIGUOUS_NOTE =
  "Note: fixtures/echo is a local image and a Replicate model; using Replicate's model. For the local image, write fixtures/echo:latest (and r8.im/fixtures/echo always means Replicate's).";

describe('a model page (the window): the name is always Replicate model', { timeout: TIMEOUT }, () => {
  it('pullRemoteModel and runRemoteModel take Replicate fixtures/echo, not the local image of that name', async () => {
    const core = await openCore({ recover: 'passive', tokenStore: memoryTokenStore(FAKE_TOKEN) });
    try {
      const ended = new Promise<TaskEvent>((res) =>
        core.on('task', (e) => {
          if (e.state !== 'running') res(e);
        }),
      );
      const { taskId } = await core.pullRemoteModel('fixtures/echo');
      const end = await ended;
      expect(end, JSON.stringify(end)).toMatchObject({ taskId, state: 'succeeded', version: { id: echoId(), modelId: 'fixtures/echo', imageRef: pinnedEcho() } });

      const p = await core.runRemoteModel({ model: 'fixtures/echo', input: { times: 1 } });
      expect(await core.waitForPrediction(p.id)).toMatchObject({ status: 'succeeded', output: 'hello world', versionId: echoId() });
    } finally {
      await core.dispose();
    }
  });
});

describe('the command line: an ambiguous name asks nothing, says which it took and how to take the other', { timeout: TIMEOUT }, () => {
  it('pull and run owner/name take Replicate model, with a note; owner/name:latest is the local image', async () => {
    const pulled = await ok(['pull', 'fixtures/echo', '--json']);
    expect(JSON.parse(pulled.stdout) as CliVersion).toMatchObject({ id: echoId(), model: 'fixtures/echo', image: pinnedEcho() });
    expect(pulled.stderr).toContain(AMBIGUOUS_NOTE);

    const run = await ok(['run', 'fixtures/echo', '-i', 'times=1', '--json']);
    expect(JSON.parse(run.stdout) as Prediction).toMatchObject({ status: 'succeeded', output: 'hello world', model: 'fixtures/echo', version: echoId() });
    expect(run.stderr).toContain(AMBIGUOUS_NOTE);

    // The other one, by its tag: the local image (the stream fixture), and no note.
    const local = await ok(['run', 'fixtures/echo:latest', ...STREAM_INPUT, '--json']);
    expect(JSON.stringify((JSON.parse(local.stdout) as Prediction).output)).toContain('local-0');
    expect(local.stderr).not.toContain('Note: fixtures/echo is a local image');
  });

  it('r8.im/owner/name is always Replicate model; a name Replicate does not have is the local image, without a note', async () => {
    const explicit = await ok(['run', 'r8.im/fixtures/echo', '-i', 'times=1', '--json']);
    expect(JSON.parse(explicit.stdout) as Prediction).toMatchObject({ status: 'succeeded', output: 'hello world', version: echoId() });
    expect(explicit.stderr).not.toContain('is a local image');

    const only = await ok(['run', 'cogdesk-local/only', ...STREAM_INPUT, '--json']);
    expect(JSON.stringify((JSON.parse(only.stdout) as Prediction).output)).toContain('local-0');
    expect(only.stderr).not.toMatch(/Note:/);
  });
});
