/**
 * The fake Replicate API itself: its validator accepts the real recorded answers (with only the known
 * differences from the published schema), rejects a wrong body, and the fake serves valid answers with
 * cursors, 401s, 404s and throttling.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createValidator, expectAnswersValid, FAKE_TOKEN, recorded, startFakeOffline, type FakeReplicate } from '../../fakes/replicate-api';
import { RECORDED_DIR } from '../../fakes/replicate-api/world';

const validator = createValidator();
const body = (file: string) => readFileSync(join(RECORDED_DIR, file), 'utf8');

describe('the validator (replicate-openapi.json with ajv)', () => {
  it.each([
    ['GET', '/v1/models/stability-ai/sdxl', 'models.get.stability-ai-sdxl.2024-10.json'],
    ['GET', '/v1/models/meta/llama-2-70b-chat', 'models.get.meta-llama-2-70b-chat.json'],
    ['GET', '/v1/models/mattt/empty', 'models.get.mattt-empty.json'],
    ['GET', '/v1/models', 'models.list.page1.trimmed.json'],
    ['QUERY', '/v1/models', 'models.search.llama.trimmed.json'],
    ['GET', '/v1/models/stability-ai/sdxl/versions/39ed52f2a78e934b3ba6e2a89f5b1c712de7dfea535525255b1aa35c5565e08b', 'models.versions.get.stability-ai-sdxl-39ed52f2.json'],
    ['GET', '/v1/collections', 'collections.list.json'],
    ['GET', '/v1/collections/text-to-image', 'collections.get.text-to-image.trimmed.json'],
    ['GET', '/v1/hardware', 'hardware.list.json'],
    ['GET', '/v1/account', 'account.get.js-fixture.json'],
  ])('accepts the real answer to %s %s', (method, path, file) => {
    const v = validator.validate(method, path, 200, 'application/json', body(file));
    expect(v.operation).not.toBeNull();
    expect(v.unexplained).toEqual([]);
  });

  it('accepts a real 401 only as a known difference: the schema declares no 401 for the operation', () => {
    const v = validator.validate('GET', '/v1/models', 401, 'application/problem+json', body('error.401.json'));
    expect(v.unexplained).toEqual([]);
    expect(v.issues.map((i) => i.known)).toEqual([expect.stringMatching(/not declared/)]);
  });

  it('rejects what the schema does not allow: a wrong type, a missing key, an undeclared content type', () => {
    const model = recorded<Record<string, unknown>>('models.get.stability-ai-sdxl.2024-10.json');
    const wrong = validator.validate('GET', '/v1/models/stability-ai/sdxl', 200, 'application/json', JSON.stringify({ ...model, run_count: 'many' }));
    expect(wrong.unexplained.map((i) => i.path)).toEqual(['/run_count']);
    const search = validator.validate('GET', '/v1/search', 200, 'application/json', JSON.stringify({ query: 'x', models: [] }));
    expect(search.unexplained.map((i) => i.message).join(' ')).toMatch(/collections/);
    const html = validator.validate('GET', '/v1/hardware', 200, 'text/html', '<html></html>');
    expect(html.unexplained).toHaveLength(1);
    const badError = validator.validate('GET', '/v1/models', 500, 'text/html', '<h1>oops</h1>');
    expect(badError.unexplained.length).toBeGreaterThan(0);
  });

  it('flags a model example without urls.web as the known difference it is (the schema requires it)', () => {
    const example = (recorded<Record<string, unknown>>('models.get.stability-ai-sdxl.2024-10.json').default_example ?? {}) as Record<string, unknown>;
    const page = JSON.stringify({ next: null, previous: null, results: [example] });
    const v = validator.validate('GET', '/v1/models/stability-ai/sdxl/examples', 200, 'application/json', page);
    expect(v.unexplained).toEqual([]);
    expect(v.issues.map((i) => i.known)).toEqual([expect.stringMatching(/urls\.web/)]);
  });
});

describe('the fake Replicate API', () => {
  let fake: FakeReplicate;
  beforeAll(async () => {
    fake = await startFakeOffline({ pageSize: 3 });
  });
  afterAll(async () => {
    expectAnswersValid(fake);
    await fake.close();
  });
  const get = (path: string, token: string | null = FAKE_TOKEN, init: RequestInit = {}) =>
    fetch(`${fake.url}${path}`, { ...init, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(init.headers ?? {}) } });

  it('pages GET /models by cursor, newest version first, with absolute next URLs', async () => {
    const seen: string[] = [];
    let url: string | null = `${fake.url}/models`;
    for (let i = 0; url && i < 10; i++) {
      const res: Response = await fetch(url, { headers: { authorization: `Bearer ${FAKE_TOKEN}` } });
      expect(res.status).toBe(200);
      const page = (await res.json()) as { next: string | null; results: Array<{ owner: string; name: string; latest_version: { created_at: string } | null }> };
      expect(page.results.length).toBeLessThanOrEqual(3);
      seen.push(...page.results.map((m) => `${m.owner}/${m.name}`));
      url = page.next;
      if (url) expect(new URL(url).searchParams.get('cursor')).toBeTruthy();
    }
    expect(seen[0]).toBe('fixtures/echo');
    expect(new Set(seen).size).toBe(fake.world.models.size);
  });

  it('answers 401 without a token and with a wrong one, except on GET /search', async () => {
    for (const token of [null, 'r8_wrong']) {
      const res = await get('/models/fixtures/echo', token);
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect(await res.json()).toMatchObject({ title: 'Unauthenticated', status: 401 });
    }
    expect((await get('/search?query=echo', null)).status).toBe(200);
    expect(fake.requests.some((r) => r.auth === 'wrong')).toBe(true);
  });

  it('answers 404 for an unknown model, a README that does not exist, and an unknown version', async () => {
    expect((await get('/models/nobody/nothing')).status).toBe(404);
    expect((await get('/models/meta/llama-2-70b-chat/readme')).status).toBe(404);
    expect((await get(`/models/fixtures/echo/versions/${'0'.repeat(64)}`)).status).toBe(404);
    const readme = await get('/models/fixtures/echo/readme');
    expect(readme.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await readme.text()).toMatch(/^# echo/);
  });

  it('throttles: 429 with the detail body and Retry-After, then answers again', async () => {
    fake.throttle(1, 7);
    const res = await get('/hardware');
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('7');
    expect(await res.json()).toMatchObject({ detail: 'Request was throttled. Your rate limit resets in ~7s.' });
    expect((await get('/hardware')).status).toBe(200);
  });

  it('takes the QUERY search body as text/plain or JSON-encoded (as the official JS client sends it)', async () => {
    for (const text of ['llama', JSON.stringify('llama')]) {
      const res = await get('/models', FAKE_TOKEN, { method: 'QUERY', body: text, headers: { 'content-type': 'text/plain' } });
      const page = (await res.json()) as { results: Array<{ name: string }> };
      expect(page.results.map((m) => m.name)).toEqual(expect.arrayContaining(['llama-2-70b-chat', 'meta-llama-3-8b']));
    }
  });

  it('stops (connections refused) and starts again on the same port', async () => {
    await fake.stop();
    await expect(get('/hardware')).rejects.toThrow();
    await fake.start();
    expect((await get('/hardware')).status).toBe(200);
  });
});
