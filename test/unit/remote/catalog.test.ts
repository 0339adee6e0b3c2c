/**
 * Browsing the catalog against the fake Replicate API, then with the fake stopped: every answer is cached
 * with when it was fetched, and offline the cache answers, marked as such and saying why.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createCatalog, memoryTokenStore, type Catalog } from '../../../src/main/core/remote';
import { openStore, type Store } from '../../../src/main/core/store';
import { ECHO_README, expectAnswersValid, FAKE_TOKEN, startFakeOffline, type FakeReplicate } from '../../fakes/replicate-api';

let fake: FakeReplicate;
let dir: string;
let store: Store;
let sleeps: number[];
let clock: number;

beforeAll(async () => {
  fake = await startFakeOffline({ pageSize: 3 });
});
afterAll(async () => {
  const verdicts = expectAnswersValid(fake);
  // The examples the fake serves (like every recorded example) lack urls.web, which the schema requires.
  expect(verdicts.flatMap((v) => v.issues.map((i) => i.known)).filter(Boolean)).toContain(
    'prediction urls.web is required by the schema but absent in every recording',
  );
  await fake.close();
});
beforeEach(async () => {
  await fake.start();
  dir = mkdtempSync(join(tmpdir(), 'cogdesk-catalog-'));
  store = openStore(join(dir, 'cogdesk.db'));
  sleeps = [];
  clock = Date.parse('2026-03-01T10:00:00.000Z');
});
afterEach(() => {
  fake.throttle(0);
  fake.fail(500, 0);
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

function catalog(token: string | null = FAKE_TOKEN, env: NodeJS.ProcessEnv = {}): Catalog {
  return createCatalog({
    store,
    home: dir,
    env,
    apiUrl: fake.url,
    tokenStore: memoryTokenStore(token),
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    // Each call sees the clock one minute later, so "when fetched" is telling.
    now: () => new Date((clock += 60_000)),
  });
}
const ids = (models: Array<{ id: string }>) => models.map((m) => m.id);

describe('online', () => {
  it('explore: newest version first, paged by cursor to the end, each page fresh', async () => {
    const c = catalog();
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 10; i++) {
      const page = await c.explore({ cursor });
      expect(page.fromCache).toBe(false);
      expect(page.notice).toBeUndefined();
      seen.push(...ids(page.data.items));
      cursor = page.data.next;
      if (!cursor) break;
    }
    expect(seen[0]).toBe('fixtures/echo');
    expect(seen).toHaveLength(fake.world.models.size);
    expect(new Set(seen).size).toBe(seen.length);
    const explores = fake.requests.filter((r) => r.path === '/v1/models' && r.method === 'GET');
    expect(explores[0].query).toMatchObject({ sort_by: 'latest_version_created_at', sort_direction: 'desc' });
    expect(explores.slice(1).every((r) => r.query.cursor)).toBe(true);
  });

  it('search: the search endpoint, with its collections and docs pages, without a token', async () => {
    const before = fake.requests.length;
    const found = await catalog(null).search('echo');
    expect(found.fromCache).toBe(false);
    expect(found.data.source).toBe('search');
    expect(ids(found.data.models.map((h) => h.model))).toEqual(['fixtures/echo']);
    expect(found.data.models[0]).toMatchObject({ tags: ['text', 'echo', 'fixture'], generatedDescription: expect.stringMatching(/Repeats/) });
    expect(found.data.collections.map((x) => x.slug)).toEqual(['cogdesk-fixtures']);
    expect(found.data.pages).toEqual([{ name: 'Push your own model with Cog', href: '/docs/guides/push-a-model' }]);
    expect(fake.requests.slice(before).map((r) => `${r.method} ${r.path} ${r.auth}`)).toEqual(['GET /v1/search none']);
  });

  it('search: falls back to QUERY /models when the search endpoint fails', async () => {
    fake.fail(500, 100, /^\/v1\/search$/);
    const found = await catalog().search('llama');
    expect(found.data.source).toBe('models');
    expect(found.fromCache).toBe(false);
    expect(ids(found.data.models.map((h) => h.model))).toEqual(expect.arrayContaining(['meta/llama-2-70b-chat', 'meta/meta-llama-3-8b']));
    expect(fake.requests.some((r) => r.method === 'QUERY' && r.path === '/v1/models')).toBe(true);
  });

  it('a model page: description, run count, links, README, versions, examples, the latest input schema', async () => {
    const page = await catalog().modelPage('fixtures/echo');
    expect(page.fromCache).toBe(false);
    const { model, readme, versions, examples, inputSchema } = page.data;
    expect(model).toMatchObject({
      id: 'fixtures/echo',
      description: expect.stringMatching(/Echoes/),
      runCount: 1234,
      licenseUrl: 'https://www.apache.org/licenses/LICENSE-2.0',
      githubUrl: 'https://github.com/cogdesk/fixtures',
      coverImageUrl: expect.stringMatching(/^https:/),
      url: 'https://replicate.com/fixtures/echo',
    });
    expect(model.defaultExample).toMatchObject({ input: { text: 'world', times: 3 }, output: 'hello world world world' });
    expect(readme).toBe(ECHO_README);
    expect(versions.map((v) => v.id)).toEqual([model.latestVersion!.id, 'dead'.repeat(16)]);
    expect(examples.map((e) => e.id)).toEqual(['ex1echoworld000000000000a', 'ex2echoshout000000000000b']);
    expect(Object.keys((inputSchema as { properties: object }).properties)).toEqual(['text', 'times', 'style']);
  });

  it('a model without a README or versions (mattt/empty), and a recorded one (stability-ai/sdxl)', async () => {
    const empty = await catalog().modelPage('mattt/empty');
    expect(empty.data).toMatchObject({ readme: null, versions: [], inputSchema: null, model: { latestVersion: null, defaultExample: null, description: null } });
    const sdxl = await catalog().modelPage('stability-ai/sdxl');
    expect(sdxl.data.model.runCount).toBe(66336540);
    expect(sdxl.data.inputSchema).toMatchObject({ properties: { prompt: expect.any(Object) } });
    const llama = await catalog().modelPage('meta/llama-2-70b-chat');
    expect(llama.data.readme).toBeNull(); // the fake has no README for it: 404, a known absence
  });

  it('collections and one collection with its models; hardware; the account', async () => {
    const c = catalog();
    const all = await c.collections();
    expect(all.data.map((x) => x.slug)).toEqual(expect.arrayContaining(['text-to-image', 'vision-models', 'cogdesk-fixtures']));
    const one = await c.collection('text-to-image');
    expect(one.data).toMatchObject({ name: 'Text to image', slug: 'text-to-image' });
    expect(ids(one.data.models)).toEqual(['huiyegit/t2i_cl', 'mehdidc/feed_forward_vqgan_clip']);
    expect((await c.hardware()).data).toContainEqual({ sku: 'gpu-t4', name: 'Nvidia T4 GPU' });
    expect((await c.account()).data).toMatchObject({ username: 'cogdesk-tester', type: 'user', name: 'Cogdesk Tester' });
  });

  it('a search answer (empty schema) does not blank the schema a model page cached', async () => {
    const c = catalog();
    await c.model('fixtures/echo');
    await c.search('echo');
    await fake.stop();
    const offline = await c.modelPage('fixtures/echo');
    expect(offline.data.inputSchema).toMatchObject({ properties: { text: expect.any(Object) } });
    expect(offline.data.model.defaultExample?.input).toEqual({ text: 'world', times: 3 });
  });

  it('404: a model that does not exist is an error saying so; the cache keeps what it had', async () => {
    const c = catalog();
    await expect(c.model('nobody/nothing')).rejects.toMatchObject({ reason: 'not_found', message: 'No model nobody/nothing on Replicate' });
    await expect(c.collection('no-such-collection')).rejects.toMatchObject({ reason: 'not_found' });
    await expect(c.model('not a name')).rejects.toMatchObject({ code: 'bad_request' });
  });

  it('401: a wrong token is an error saying where to get one, even with a cache (nothing cached is lost)', async () => {
    await catalog().explore();
    const err = await catalog('r8_wrong').explore().catch((e: unknown) => e);
    expect(err).toMatchObject({ reason: 'unauthorized', hint: expect.stringContaining('https://replicate.com/account/api-tokens') });
    expect(store.db.prepare('SELECT COUNT(*) AS n FROM catalog_models').get()).toEqual({ n: 3 });
  });
});

describe('when the API cannot answer', () => {
  async function browseEverything(c: Catalog): Promise<void> {
    await c.explore();
    await c.search('echo');
    await c.collections();
    await c.collection('cogdesk-fixtures');
    await c.modelPage('fixtures/echo');
    await c.hardware();
    await c.account();
  }

  it('offline (the fake stopped): the catalog, model pages, READMEs and examples come from the cache, marked', async () => {
    const c = catalog();
    await browseEverything(c);
    await fake.stop();

    const page = await c.explore();
    expect(page.fromCache).toBe(true);
    expect(page.fetchedAt).toBe('2026-03-01T10:01:00.000Z');
    expect(page.notice).toMatch(/^Cannot reach Replicate's API at http:\/\/127\.0\.0\.1:\d+\/v1 to list public models \(connection refused, ECONNREFUSED\)/);
    expect(page.notice).toMatch(/Showing what was cached on 2026-03-01 10:01:00 UTC\.$/);
    expect(page.data.items[0].id).toBe('fixtures/echo');

    const model = await c.modelPage('fixtures/echo');
    expect(model.fromCache).toBe(true);
    expect(model.data.readme).toBe(ECHO_README);
    expect(model.data.examples.map((e) => e.id)).toEqual(['ex1echoworld000000000000a', 'ex2echoshout000000000000b']);
    expect(model.data.versions).toHaveLength(2);
    expect(model.data.inputSchema).not.toBeNull();

    expect((await c.collections()).fromCache).toBe(true);
    expect(ids((await c.collection('cogdesk-fixtures')).data.models)).toEqual(['fixtures/echo', 'mattt/empty']);
    expect((await c.hardware()).data).toHaveLength(4);
    expect((await c.account()).data.username).toBe('cogdesk-tester');
    expect((await c.readme('fixtures/echo')).fromCache).toBe(true);
    expect((await c.examples('fixtures/echo')).data).toHaveLength(2);
  });

  it('offline search is a full-text search over the cached models (READMEs and tags included)', async () => {
    const c = catalog();
    await browseEverything(c);
    await fake.stop();
    // "hello" is in the README only (not the name, description, generated description or tags).
    const byReadme = await c.search('hello');
    expect(byReadme.data.source).toBe('local');
    expect(byReadme.fromCache).toBe(true);
    expect(byReadme.notice).toMatch(/Searched the \d+ models cached on this machine instead\./);
    expect(ids(byReadme.data.models.map((h) => h.model))).toEqual(['fixtures/echo']);
    expect(byReadme.data.models[0].tags).toEqual(['text', 'echo', 'fixture']);
    const byDescription = await c.search('generative');
    expect(ids(byDescription.data.models.map((h) => h.model))).toEqual(['stability-ai/sdxl']);
    expect((await c.search('fixtures')).data.collections.map((x) => x.slug)).toEqual(['cogdesk-fixtures']);
    expect((await c.search('zebra crossing')).data.models).toEqual([]);
  });

  it('offline with nothing cached: an error saying both (and what to check)', async () => {
    await fake.stop();
    const err = await catalog().model('fixtures/echo').catch((e: unknown) => e);
    expect(err).toMatchObject({ reason: 'network', message: expect.stringMatching(/nothing about it is cached on this machine yet\.$/), hint: expect.stringMatching(/network/) });
    // A page never fetched (by its cursor) is not made up either.
    await expect(catalog().explore({ cursor: 'bz0z' })).rejects.toMatchObject({ reason: 'network' });
    // The first page never fetched, but models cached by other answers: those, newest first.
    await fake.start();
    await catalog().collection('text-to-image');
    await fake.stop();
    const page = await catalog().explore();
    expect(page.fromCache).toBe(true);
    expect(ids(page.data.items)).toEqual(['mehdidc/feed_forward_vqgan_clip', 'huiyegit/t2i_cl']);
  });

  it('offline, a model seen only in a list: its page from the cache, saying which parts were never fetched', async () => {
    await catalog().explore();
    await fake.stop();
    const page = await catalog().modelPage('fixtures/echo');
    expect(page.fromCache).toBe(true);
    expect(page.data.model.description).toMatch(/Echoes/);
    expect(page.data).toMatchObject({ readme: null, versions: [], examples: [] });
    expect(page.notice).toMatch(/^Cannot reach Replicate's API at .* to get the model fixtures\/echo \(connection refused, ECONNREFUSED\)\. Showing what was cached on .* UTC\. Not cached yet, so not shown: the README, the versions, the examples\.$/);
  });

  it('5xx that lasts: the cache answers and says Replicate failed; the cache is not touched', async () => {
    const c = catalog();
    await c.modelPage('fixtures/echo');
    const before = store.db.prepare('SELECT body, fetched_at FROM catalog_models WHERE id = ?').get('fixtures/echo');
    fake.fail(503, 1000);
    const page = await c.modelPage('fixtures/echo');
    expect(page.fromCache).toBe(true);
    expect(page.notice).toMatch(/Replicate's API failed to get the model fixtures\/echo \(503: Internal server error\)/);
    expect(page.data.readme).toBe(ECHO_README);
    expect(store.db.prepare('SELECT body, fetched_at FROM catalog_models WHERE id = ?').get('fixtures/echo')).toEqual(before);
    expect(sleeps.length).toBeGreaterThan(0); // it did retry first
  });

  it('throttled: waits and retries as Retry-After says, then answers from the cache and says so', async () => {
    const c = catalog();
    await c.explore();
    fake.throttle(2, 2);
    const fresh = await c.explore();
    expect(fresh.fromCache).toBe(false);
    expect(sleeps).toEqual([2000, 2000]);

    fake.throttle(1000, 30);
    const cached = await c.explore();
    expect(cached.fromCache).toBe(true);
    expect(cached.notice).toMatch(/Replicate is limiting requests \(429: Request was throttled\. Your rate limit resets in ~30s\.\)/);
    expect(ids(cached.data.items)).toEqual(ids(fresh.data.items));
  });

  it('the token is never written to the database', async () => {
    const c = catalog();
    await browseEverything(c);
    store.db.pragma('wal_checkpoint(TRUNCATE)');
    for (const file of ['cogdesk.db', 'cogdesk.db-wal']) {
      const path = join(dir, file);
      if (existsSync(path)) expect(readFileSync(path).includes(Buffer.from(FAKE_TOKEN)), `${file} contains the token`).toBe(false);
    }
    expect(readFileSync(join(dir, 'cogdesk.db')).includes(Buffer.from('cogdesk-tester'))).toBe(true); // the check can see text
  });

  it('the API URL: COGDESK_REPLICATE_API wins over the setting', async () => {
    expect(catalog(FAKE_TOKEN, { COGDESK_REPLICATE_API: 'https://api.example.com/v1' }).apiUrl()).toBe('https://api.example.com/v1');
    expect(catalog(FAKE_TOKEN, {}).apiUrl()).toBe(fake.url);
    expect(createCatalog({ store, home: dir, env: {} }).apiUrl()).toBe('https://api.replicate.com/v1');
  });
});
