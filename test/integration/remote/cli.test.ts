/**
 * A new user with a token, from the command line (a real subprocess per command, against the fake
 * Replicate API, the real Docker engine and the test registry): log in, search, open a model, read its
 * README, pull and run it here; then, with the API gone, the same browsing from the cache.
 */
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Prediction } from '../../../src/shared/domain';
import type { CliVersion } from '../../../src/main/cli/json-library';
import { homePaths } from '../../../src/main/core/paths';
import { buildProgram } from '../../../src/main/cli/index';
import { managedContainers } from '../../helpers/core';
import { camelCaseKeys } from '../../helpers/json-keys';
import { fixtureEntry, OPEN_REGISTRY } from '../../helpers/fixtures';
import { runSourceCli, type SourceCliResult } from './source-cli';
import { ECHO_README, expectAnswersValid, FAKE_TOKEN, startFakeWithFixtures, type FakeReplicate } from '../../fakes/replicate-api';

const TIMEOUT = 120_000;
/** What a script reads off --json; `any` for the parsed JSON the expectations walk. */
type Obj = Record<string, any>;
/** The one timestamp format of every --json: ISO 8601, UTC, milliseconds. */
const ISO_MS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
/** A time zone 14 hours east of UTC, where noon UTC is already the next day. */
const EAST = { TZ: 'Pacific/Kiritimati' };

let fake: FakeReplicate;
let home: string;
let dockerConfig: string;
const echoId = () => fixtureEntry('echo').digest.replace(/^sha256:/, '');

type Result = SourceCliResult;

/** Runs `cogdesk ...args` with this test's home, the fake API and the test registry. */
async function cogdesk(args: string[], o: { env?: Record<string, string | undefined>; stdin?: string } = {}): Promise<Result> {
  const { code, stdout, stderr } = await runSourceCli(args, {
    home,
    env: { COGDESK_REPLICATE_API: fake.url, COGDESK_REGISTRY: OPEN_REGISTRY, DOCKER_CONFIG: dockerConfig, ...o.env },
    stdin: o.stdin,
    killAfterMs: TIMEOUT - 10_000,
  });
  expect(await managedContainers(homePaths(home).homeId), `containers left by cogdesk ${args.join(' ')}`).toEqual([]);
  // Whatever happens, the token is never printed.
  expect(stdout + stderr, `cogdesk ${args.join(' ')} printed the token`).not.toContain(FAKE_TOKEN);
  return { code, stdout, stderr };
}

async function ok(args: string[], o: Parameters<typeof cogdesk>[1] = {}): Promise<Result> {
  const r = await cogdesk(args, o);
  expect(r.code, `cogdesk ${args.join(' ')}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`).toBe(0);
  return r;
}

const login = () => ok(['login'], { stdin: `${FAKE_TOKEN}\n` });

/** What the lead wires into src/main/cli/index.ts: pull and run take OWNER/NAME (see the wiring note). */
const wired = () => buildProgram().commands.some((c) => c.name() === 'search');

beforeAll(async () => {
  fake = await startFakeWithFixtures();
});
afterAll(async () => {
  expectAnswersValid(fake);
  await fake.close();
});
beforeEach(async () => {
  await fake.start();
  home = mkdtempSync(join(tmpdir(), 'cogdesk-remote-cli-'));
  dockerConfig = mkdtempSync(join(tmpdir(), 'cogdesk-remote-cli-docker-'));
});
afterEach(() => {
  for (const d of [home, dockerConfig]) rmSync(d, { recursive: true, force: true });
});

describe('cogdesk and the remote catalog', { timeout: TIMEOUT }, () => {
  it('login saves the token for its owner only, after asking Replicate whose it is; account shows it', async () => {
    const r = await login();
    const file = join(home, 'replicate-token');
    expect(r.stdout).toContain(`Saved the token in ${file} (readable by you only).`);
    expect(r.stderr).toContain('The token belongs to cogdesk-tester.');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    // Kept with the API origin it was entered for (token-origin.test.ts).
    expect(readFileSync(file, 'utf8').trim()).toBe(`${new URL(fake.url).origin}#${FAKE_TOKEN}`);

    const who = await ok(['account']);
    expect(who.stdout).toMatch(/^cogdesk-tester \(Cogdesk Tester\), user$/m);
    expect(who.stdout).toContain(`Token from: ${file}`);
    const account = JSON.parse((await ok(['account', '--json'])).stdout) as Obj;
    expect(account).toMatchObject({ data: { type: 'user', username: 'cogdesk-tester', name: 'Cogdesk Tester' }, from_cache: false, token: { present: true, source: file } });
    expect(account.fetched_at).toMatch(ISO_MS);
    expect(camelCaseKeys(account)).toEqual([]);

    const bad = await cogdesk(['login'], { stdin: 'r8_NotTheRightToken\n' });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/refused the API token/);
    expect(readFileSync(file, 'utf8').trim()).toBe(`${new URL(fake.url).origin}#${FAKE_TOKEN}`); // the good one stays

    await ok(['logout']);
    expect(existsSync(file)).toBe(false);
  });

  it('search, open a model, read its README, page through explore, collections', async () => {
    await login();
    // Dates are this machine's: the latest version, made at noon UTC on June 1st, is of June 2nd at UTC+14.
    const found = await ok(['search', 'echo'], { env: EAST });
    expect(found.stdout).toMatch(/^MODEL\s+RUNS\s+LATEST \(LOCAL DATE\)\s+DESCRIPTION$/m);
    expect(found.stdout).toMatch(/^fixtures\/echo\s+1,234\s+2025-06-02\s+Echoes your text back/m);
    expect(found.stdout).toMatch(/^ {2}cogdesk-fixtures {2}Cogdesk fixtures/m);
    expect(found.stderr).toBe('');

    const searched = JSON.parse((await ok(['search', 'echo', '--json'])).stdout) as Obj;
    expect(searched).toMatchObject({ from_cache: false, data: { query: 'echo', source: 'search', pages: [{ href: '/docs/guides/push-a-model' }] } });
    expect(searched.data.models[0]).toMatchObject({ model: { owner: 'fixtures', name: 'echo', run_count: 1234, latest_version: { created_at: '2025-06-01T12:00:00.000Z' } } });
    expect(camelCaseKeys(searched)).toEqual([]);

    const page = await ok(['model', 'fixtures/echo'], { env: EAST });
    expect(page.stdout).toMatch(/^fixtures\/echo {2}\(public\)$/m);
    expect(page.stdout).toContain('Runs:    1,234');
    expect(page.stdout).toContain('License: https://www.apache.org/licenses/LICENSE-2.0');
    expect(page.stdout).toContain(`Latest:  ${echoId()}  (2025-06-02 local date, cog 0.15.5)`);
    expect(page.stdout).toMatch(/^Versions \(2, local date\):$/m);
    expect(page.stdout).toContain(`  ${echoId()}  2025-06-02  cog 0.15.5`);
    expect(page.stdout).toMatch(/^ {2}text\* +string +Text to echo$/m);
    expect(page.stdout).toContain('input:  {"text":"world","times":3}');
    expect(page.stdout).toContain('ex2echoshout000000000000b');
    expect(page.stdout).toContain('Run it here:  cogdesk run fixtures/echo');
    expect(page.stdout).toContain(ECHO_README.trimEnd());

    const json = JSON.parse((await ok(['model', 'fixtures/echo', '--json'])).stdout) as Obj;
    expect(json.from_cache).toBe(false);
    expect(json.fetched_at).toMatch(ISO_MS);
    expect(json.data.readme).toBe(ECHO_README);
    expect(json.data.versions.map((v: Obj) => v.id)).toEqual([echoId(), 'dead'.repeat(16)]);
    expect(json.data.input_schema.properties.text).toMatchObject({ type: 'string' });
    expect(json.data.model).toMatchObject({ owner: 'fixtures', name: 'echo', default_example: { input: { text: 'world', times: 3 } } });
    expect(json.fit).toMatchObject({ kind: expect.any(String), required_count: expect.any(Number) });
    // The input schema is the model's, as its author wrote it (JSON Schema's own keys are camelCase: allOf, maxLength).
    expect(camelCaseKeys(json)).toEqual([]);

    const first = JSON.parse((await ok(['explore', '--json'])).stdout) as Obj;
    expect(camelCaseKeys(first)).toEqual([]);
    const results = (page: Obj) => page.data.results.map((m: Obj) => `${m.owner}/${m.name}`);
    expect(results(first)[0]).toBe('fixtures/echo');
    expect(first.data.next).toBeTruthy();
    const text = await ok(['explore']);
    expect(text.stdout).toContain(`More: cogdesk explore --cursor ${first.data.next}`);
    const second = JSON.parse((await ok(['explore', '--cursor', first.data.next, '--json'])).stdout) as Obj;
    expect(results(second)).not.toContain('fixtures/echo');
    expect(results(second).length).toBeGreaterThan(0);

    expect((await ok(['collections'])).stdout).toMatch(/^text-to-image\s+Text to image\s+Models that generate images/m);
    expect((await ok(['collections', 'cogdesk-fixtures'])).stdout).toMatch(/^fixtures\/echo\s/m);
    const collections = JSON.parse((await ok(['collections', '--json'])).stdout) as Obj;
    expect(collections.data).toContainEqual({ slug: 'text-to-image', name: 'Text to image', description: expect.stringMatching(/^Models that generate images/) });
    const collection = JSON.parse((await ok(['collections', 'cogdesk-fixtures', '--json'])).stdout) as Obj;
    expect(collection.data).toMatchObject({ slug: 'cogdesk-fixtures', name: 'Cogdesk fixtures' });
    expect(collection.data.models[0]).toMatchObject({ owner: 'fixtures', name: 'echo', latest_version: { id: echoId() } });
    for (const j of [collections, collection]) expect(camelCaseKeys(j)).toEqual([]);
  });

  it('pull and run OWNER/NAME: the latest version from the registry, run from the default example', async () => {
    expect(wired(), 'src/main/cli/index.ts does not wire the remote catalog yet (registerCatalogCommands, resolveRemoteArg in pull and run)').toBe(true);
    await login();
    const pulled = await ok(['pull', 'fixtures/echo', '--json']);
    const version = JSON.parse(pulled.stdout) as CliVersion;
    expect(version).toMatchObject({ id: echoId(), model: 'fixtures/echo', image: `${OPEN_REGISTRY}/fixtures/echo@sha256:${echoId()}` });

    const run = JSON.parse((await ok(['run', 'fixtures/echo', '--json'])).stdout) as Prediction;
    expect(run).toMatchObject({ status: 'succeeded', output: 'hello world world world', input: { text: 'world', times: 3 }, model: 'fixtures/echo' });
    const changed = JSON.parse((await ok(['run', 'fixtures/echo', '-i', 'times=1', '--json'])).stdout) as Prediction;
    expect(changed.output).toBe('hello world');
    const example = JSON.parse((await ok(['run', 'fixtures/echo', '--example', 'ex2echoshout000000000000b', '--json'])).stdout) as Prediction;
    expect(example.output).toBe('hello AGAIN AGAIN');

    // A version whose image is gone from the registry.
    const gone = await cogdesk(['pull', `fixtures/echo:${'dead'.repeat(16)}`]);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toMatch(/is gone from 127\.0\.0\.1:5100/);
    expect(gone.stderr).toContain('cogdesk model fixtures/echo');
  });

  it('offline (the API gone): search, model pages with README, explore and collections from the cache, saying so', async () => {
    await login();
    await ok(['search', 'echo']);
    await ok(['model', 'fixtures/echo']);
    await ok(['explore']);
    await ok(['collections']);
    await fake.stop();

    const search = await ok(['search', 'shout']);
    expect(search.stdout).toMatch(/^fixtures\/echo\s/m);
    // Said once, on stderr with the reason (not again under the table).
    expect(`${search.stdout}${search.stderr}`.match(/Searched the (\d+ )?models cached on this machine/g)).toHaveLength(1);
    expect(search.stderr).toMatch(/^Note: Cannot reach Replicate's API at http:\/\/127\.0\.0\.1:\d+\/v1 to search \(connection refused, ECONNREFUSED\)\. Searched the \d+ models cached on this machine instead\.$/m);

    const page = await ok(['model', 'fixtures/echo']);
    expect(page.stdout).toContain(ECHO_README.trimEnd());
    expect(page.stdout).toContain('ex1echoworld000000000000a');
    expect(page.stderr).toMatch(/Showing what was cached on \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\./);
    const json = JSON.parse((await ok(['model', 'fixtures/echo', '--json'])).stdout) as Obj;
    expect(json.from_cache).toBe(true);
    expect(json.fetched_at).toMatch(ISO_MS);
    expect(json.notice).toMatch(/Showing what was cached/);

    expect((await ok(['explore'])).stdout).toMatch(/^fixtures\/echo\s/m);
    expect((await ok(['collections'])).stdout).toMatch(/^cogdesk-fixtures\s/m);

    const never = await cogdesk(['model', 'meta/llama-2-70b-chat']);
    expect(never.code).toBe(1);
    expect(never.stderr).toMatch(/nothing about it is cached on this machine yet/);
  });

  it('token errors: none (search still works), a wrong one, a token file others can read', async () => {
    const none = await cogdesk(['explore']);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/^Error: Replicate needs an API token to list public models, and none is set/m);
    expect(none.stderr).toContain('https://replicate.com/account/api-tokens');
    expect((await ok(['search', 'echo'])).stdout).toMatch(/^fixtures\/echo\s/m);

    const wrong = await cogdesk(['explore'], { env: { REPLICATE_API_TOKEN: 'r8_NotTheRightToken' } });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/Replicate refused the API token \(401: Unauthenticated: You did not pass a valid authentication token\)/);
    expect(wrong.stderr).toContain('https://replicate.com/account/api-tokens');

    const file = join(home, 'replicate-token');
    writeFileSync(file, FAKE_TOKEN);
    chmodSync(file, 0o644);
    const before = fake.requests.length;
    const open = await cogdesk(['explore']);
    expect(open.code).toBe(1);
    expect(open.stderr).toContain(`The token file ${file} can be read by other users (mode 644), so Cogdesk will not use it`);
    expect(open.stderr).toContain(`chmod 600 ${file}`);
    expect(fake.requests.slice(before)).toEqual([]); // refused before asking anything
  });

  it('the token is sent only as the Authorization header and written nowhere in the data folder but its file', async () => {
    await login();
    await ok(['search', 'echo']);
    await ok(['model', 'fixtures/echo']);
    await ok(['explore']);
    for (const name of ['cogdesk.db', 'cogdesk.db-wal', 'cogdesk.db-shm']) {
      const file = join(home, name);
      if (existsSync(file)) expect(readFileSync(file).includes(Buffer.from(FAKE_TOKEN)), `${name} contains the token`).toBe(false);
    }
    expect(fake.requests.every((r) => !r.body.includes(FAKE_TOKEN) && !JSON.stringify(r.query).includes(FAKE_TOKEN))).toBe(true);
  });
});
