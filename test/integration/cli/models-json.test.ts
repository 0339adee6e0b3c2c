/**
 * `cogdesk models --json` and `cogdesk pull --json`: Replicate's model and version shapes (snake_case, one
 * timestamp format) with Cogdesk's fields beside them; each version says which Cog server it runs. Through
 * the built CLI and real fixture images.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CliModel, CliVersion } from '../../../src/main/cli/json-library';
import type { CliPrediction } from '../../../src/main/cli/json';
import { camelCaseKeys } from '../../helpers/json-keys';
import { assertBuilt, fixtureRef, runCli, tempDirs } from './run-cli';

/** ISO 8601 in UTC with milliseconds, as Replicate writes it. */
const ISO_MS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

let home: string;
let cleanup: () => void;

beforeAll(() => {
  assertBuilt();
  for (const name of ['echo', 'coglet-echo']) {
    const ref = fixtureRef(name);
    if (spawnSync('docker', ['image', 'inspect', ref]).status !== 0) execFileSync('docker', ['pull', ref], { timeout: 120_000 });
  }
}, 300_000);
beforeEach(() => {
  ({ dirs: [home], cleanup } = tempDirs('cogdesk-models-json-'));
});
afterEach(() => cleanup());

async function ok(args: string[]): Promise<unknown> {
  const r = await runCli(args, { home });
  expect(r.code, `cogdesk ${args.join(' ')}\n${r.stderr}`).toBe(0);
  return JSON.parse(r.stdout.toString()) as unknown;
}

describe('cogdesk models --json and pull --json', { timeout: 180_000 }, () => {
  it("each version has the Cog server its image runs", async () => {
    for (const name of ['echo', 'coglet-echo']) await ok(['pull', fixtureRef(name), '--json']);
    const models = (await ok(['models', '--json'])) as CliModel[];
    const serverOf = (name: string) => models.flatMap((m) => m.versions).find((v) => v.image.includes(`/fixtures/${name}`))?.server;
    expect(serverOf('echo')).toBe('python');
    expect(serverOf('coglet-echo')).toBe('coglet');
  });

  it("a model in Replicate's model shape, its versions in Replicate's version shape, pull prints the same version, no camelCase key", async () => {
    const pulled = (await ok(['pull', fixtureRef('echo'), '--json'])) as CliVersion;
    expect(camelCaseKeys(pulled)).toEqual([]);
    expect(pulled).toMatchObject({ id: expect.stringMatching(/^[a-f0-9]{64}$/), cog_version: expect.any(String), openapi_schema: expect.objectContaining({ openapi: expect.any(String) }) });
    expect(pulled).toMatchObject({ model: expect.stringMatching(/\/fixtures\/echo$/), image: fixtureRef('echo'), image_id: expect.stringMatching(/^sha256:/), kept_weights_bytes: 0, server: 'python', legacy_labels: false });
    expect(pulled.created_at).toMatch(ISO_MS);

    const p = (await ok(['run', 'fixtures/echo', '-i', 'text=hi', '--json'])) as CliPrediction;
    expect(p.status).toBe('succeeded');
    expect((await runCli(['examples', 'add', p.id, '--default'], { home })).code).toBe(0);

    const models = (await ok(['models', '--json'])) as CliModel[];
    expect(camelCaseKeys(models)).toEqual([]);
    const echo = models.find((m) => m.versions.some((v) => v.id === pulled.id));
    expect(echo).toMatchObject({
      owner: 'fixtures',
      name: 'echo',
      visibility: 'private',
      is_official: false,
      github_url: null,
      run_count: 1,
      id: pulled.model,
      version_count: 1,
      default_example: { id: p.id, model: 'fixtures/echo', version: pulled.id, status: 'succeeded' },
    });
    expect(echo!.description).toEqual(expect.any(String));
    expect(echo!.created_at).toMatch(ISO_MS);
    expect(echo!.default_example!.created_at).toMatch(ISO_MS);
    // pull --json prints the version as models --json lists it; latest_version is the same object.
    expect(echo!.versions).toEqual([pulled]);
    expect(echo!.latest_version).toEqual(pulled);
  });
});
