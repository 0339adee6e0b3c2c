/**
 * `cogdesk push IMAGE OWNER/NAME [--private] [--hardware SKU]`, run in-process on a fresh commander program
 * (registerPushCommands; the lead wires it into src/main/cli/index.ts), with the core the CLI opens
 * (COGDESK_HOME), the fake Replicate API (REPLICATE_API_TOKEN), the htpasswd registry standing in for r8.im
 * (COGDESK_REGISTRY) and a Docker config without a `cog login` (DOCKER_CONFIG): the CLI asks for the CLI
 * token once and keeps it.
 */
import { Command } from 'commander';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { CogdeskError } from '../../../src/shared/errors';
import { registerPushCommands } from '../../../src/main/cli/push';
import { homePaths } from '../../../src/main/core/paths';
import type { CliPushPlan, CliPushResult } from '../../../src/main/cli/json-push';
import { openStore } from '../../../src/main/core/store';
import { PushStore } from '../../../src/main/core/store/pushes';
import { AUTH_PASSWORD, AUTH_REGISTRY, AUTH_USER } from '../../helpers/fixtures';
import { camelCaseKeys } from '../../helpers/json-keys';
import { expectAnswersValid, FAKE_TOKEN, type FakeReplicate } from '../../fakes/replicate-api';
import { buildCogImage, cliPushStage, freshRepo, registryDigest, removeBuiltImages, startPushFake } from './helpers';

/** The one timestamp format of every --json: ISO 8601, UTC, milliseconds. */
const ISO_MS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

let fake: FakeReplicate;
let home: string;
let restore: () => void;
let tokenAsked = 0;

beforeAll(async () => {
  fake = await startPushFake();
});
afterAll(async () => {
  expectAnswersValid(fake);
  await fake.close();
  await removeBuiltImages();
});
beforeEach(() => {
  ({ home, restore } = cliPushStage(fake, 'cogdesk-push-cli-'));
  tokenAsked = 0;
});
afterEach(() => {
  vi.restoreAllMocks();
  restore();
});

/** Runs `cogdesk <args>` with only the push command registered; the CLI token, when asked for, is `token`. */
async function run(args: string[], token: string = AUTH_PASSWORD): Promise<{ out: string; err: string }> {
  const program = new Command().name('cogdesk').exitOverride();
  registerPushCommands(program, {
    readToken: async () => {
      tokenAsked++;
      return token;
    },
  });
  let out = '';
  let err = '';
  const text = (chunk: string | Uint8Array) => (typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((out += text(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((err += text(chunk)), true));
  try {
    await program.parseAsync(args, { from: 'user' });
  } finally {
    vi.restoreAllMocks();
  }
  expect(out + err, `cogdesk ${args.join(' ')} printed a token`).not.toMatch(new RegExp(`${FAKE_TOKEN}|${AUTH_PASSWORD}`));
  return { out, err };
}

async function failing(args: string[], token?: string): Promise<CogdeskError> {
  try {
    await run(args, token);
  } catch (e) {
    expect(e).toBeInstanceOf(CogdeskError);
    return e as CogdeskError;
  }
  throw new Error(`cogdesk ${args.join(' ')} did not fail`);
}

describe('cogdesk push', { timeout: 120_000 }, () => {
  it('from a model built here to a new version on the account: plan, CLI token asked once and kept, progress, link', async () => {
    const image = await buildCogImage();
    const repo = freshRepo('cli');

    const dry = await run(['push', image, repo, '--private', '--dry-run', '--json']);
    const plan = JSON.parse(dry.out) as CliPushPlan;
    expect(plan).toMatchObject({
      version: { image: `docker.io/${image}`, image_id: expect.stringMatching(/^sha256:/) },
      destination: { id: repo, image: `${AUTH_REGISTRY}/${repo}` },
      account: AUTH_USER,
      model: { exists: false, visibility: 'private', hardware: { sku: 'cpu', source: 'this-machine' } },
      credentials: { source: null },
      already_pushed: null,
    });
    expect(camelCaseKeys(plan)).toEqual([]);
    expect(tokenAsked).toBe(0);
    expect(fake.pushes.created.filter((m) => `${m.owner}/${m.name}` === repo)).toEqual([]);

    const pushed = await run(['push', image, repo, '--private']);
    expect(tokenAsked).toBe(1);
    // What it will do, before doing it; then the token; then progress, a line per phase off a terminal.
    expect(pushed.err).toContain(`Push docker.io/${image} (version ${plan.version.id.slice(0, 12)}) to ${AUTH_REGISTRY}/${repo}`);
    expect(pushed.err).toContain(`Model:        ${repo} does not exist: it will be created, private, on cpu (CPU)`);
    expect(pushed.err).toMatch(/Hardware: {5}matching this machine: No NVIDIA GPU/);
    expect(pushed.err).toContain(`No \`cog login\` for ${AUTH_REGISTRY}: Cogdesk needs your CLI auth token`);
    expect(pushed.err).toContain(`The CLI token belongs to ${AUTH_USER} on ${AUTH_REGISTRY}; Cogdesk keeps it in ${join(home, 'replicate-cli-token')} (readable by you only).`);
    expect(pushed.err.indexOf('Model:')).toBeLessThan(pushed.err.indexOf('The CLI token belongs'));
    expect(pushed.err).toMatch(/\] +\d+% .*pushing: Pushing /);
    expect(pushed.err).toMatch(/\] 100% .*done: Pushed as /);

    const digest = (await registryDigest(repo))!;
    const versionId = digest.replace(/^sha256:/, '');
    expect(pushed.out).toContain(`Pushed docker.io/${image} as ${repo}:${versionId}`);
    expect(pushed.out).toContain(`Model:   ${repo} (created)  https://replicate.com/${repo}`);
    expect(pushed.out).toMatch(/Layers: {2}\d+ pushed, \d+ already there/);
    expect(fake.pushes.created.filter((m) => `${m.owner}/${m.name}` === repo)).toEqual([{ owner: AUTH_USER, name: repo.split('/')[1], visibility: 'private', hardware: 'cpu', description: null }]);
    expect(fake.world.versions.get(repo)!.map((v) => v.id)).toEqual([versionId]);

    // The CLI token is kept for its owner only; the link is in the home's database.
    const file = join(home, 'replicate-cli-token');
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8').trim()).toBe(`${AUTH_REGISTRY}|${AUTH_USER}:${AUTH_PASSWORD}`); // for that registry only
    const store = openStore(homePaths(home).database);
    try {
      expect(new PushStore(store.db).forVersion(plan.version.id)).toEqual([expect.objectContaining({ modelId: repo, remoteVersionId: versionId, registry: AUTH_REGISTRY })]);
    } finally {
      store.close();
    }

    // Again, as JSON: the kept token is used (not asked again); the model exists now, with this version on it.
    const twice = await run(['push', image, repo, '--json']);
    const again = JSON.parse(twice.out) as CliPushResult;
    expect(tokenAsked).toBe(1);
    expect(again).toMatchObject({ created_model: false, link: { model: repo, remote_version_id: versionId, pushed_at: expect.stringMatching(ISO_MS) } });
    expect(camelCaseKeys(again)).toEqual([]);
    // The plan says when it was pushed before, in this machine's time.
    expect(twice.err).toMatch(new RegExp(`^Already: +pushed as ${repo}:${versionId} on \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d \\(local time\\)$`, 'm'));
  });

  it('errors say what to do, and nothing is created', async () => {
    const image = await buildCogImage();
    const before = fake.pushes.created.length;
    expect((await failing(['push', image, `${AUTH_USER}/Not Valid`])).message).toMatch(/contains spaces/);
    expect((await failing(['push', image, 'fixtures/echo'])).message).toMatch(/belongs to fixtures, not to cogdesk/);
    expect((await failing(['push', image, freshRepo('cli'), '--hardware', 'gpu-h100'])).hint).toMatch(/Pick one with --hardware: cpu, gpu-t4/);
    const wrongKind = await failing(['push', '--login', image, freshRepo('cli')], FAKE_TOKEN);
    expect(wrongKind.message).toMatch(/API token \(r8_…\), not a CLI auth token/);
    const unknown = await failing(['push', image, freshRepo('cli')], 'not-a-cli-token');
    expect(unknown.message).toMatch(/does not know that CLI token/);
    expect(fake.pushes.created.length).toBe(before);
  });
});
