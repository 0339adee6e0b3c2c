/**
 * The pushing half of the fake Replicate API: POST /models follows the published schema's rules (owner is
 * the token's account, naming rules, visibility, hardware from GET /hardware, no duplicates) with answers
 * that validate against replicate-openapi.json; the registry's verify-token endpoint; and versions made
 * from what is in a real registry (the open test registry's fixtures/echo), with its Cog labels as schema.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docker } from '../../helpers/core';
import { fixtureEntry, OPEN_REGISTRY } from '../../helpers/fixtures';
import { expectAnswersValid, FAKE_TOKEN, recorded, startFakeOffline, type FakeReplicate } from '../../fakes/replicate-api';

let fake: FakeReplicate;
beforeAll(async () => {
  // The account is `fixtures`, so fixtures/echo (in the open registry) is one of its models.
  fake = await startFakeOffline({ account: { username: 'fixtures' }, cliTokens: { 'the-cli-token': 'fixtures' }, registry: { url: `http://${OPEN_REGISTRY}` } });
});
afterAll(async () => {
  expectAnswersValid(fake);
  await fake.close();
});

const api = (path: string, init: RequestInit = {}, token: string | null = FAKE_TOKEN) =>
  fetch(`${fake.url}${path}`, { ...init, headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...(init.headers ?? {}) } });
const create = (body: unknown, token: string | null = FAKE_TOKEN) => api('/models', { method: 'POST', body: JSON.stringify(body) }, token);

describe('POST /models', () => {
  it('creates a model of the account: 201 with the recorded shape, then GET shows it without versions', async () => {
    const res = await create({ owner: 'fixtures', name: 'made-here', visibility: 'private', hardware: 'gpu-t4', description: 'A test' });
    expect(res.status).toBe(201);
    const body = (await res.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(Object.keys(recorded('models.create.json')).sort());
    expect(body).toMatchObject({ owner: 'fixtures', name: 'made-here', visibility: 'private', description: 'A test', latest_version: null, url: 'https://replicate.com/fixtures/made-here' });
    expect(fake.pushes.created.at(-1)).toEqual({ owner: 'fixtures', name: 'made-here', visibility: 'private', hardware: 'gpu-t4', description: 'A test' });
    expect(((await (await api('/models/fixtures/made-here/versions')).json()) as { results: unknown[] }).results).toEqual([]);
    // Private: its owner's token sees it, another account's does not.
    expect((await api('/models/fixtures/made-here')).status).toBe(200);
    fake.world.account.username = 'someone-else';
    try {
      expect((await api('/models/fixtures/made-here')).status).toBe(404);
    } finally {
      fake.world.account.username = 'fixtures';
    }
  });

  it.each([
    [{ owner: 'someone-else', name: 'x', visibility: 'public', hardware: 'cpu' }, 403, /only create models for your own account \(fixtures\)/],
    [{ owner: 'fixtures', name: 'Bad Name', visibility: 'public', hardware: 'cpu' }, 400, /^name: /],
    [{ owner: 'fixtures', name: '-x', visibility: 'public', hardware: 'cpu' }, 400, /^name: /],
    [{ owner: 'fixtures', name: 'x', visibility: 'secret', hardware: 'cpu' }, 400, /^visibility: /],
    [{ owner: 'fixtures', name: 'x', visibility: 'public', hardware: 'gpu-h100' }, 400, /^hardware: Invalid hardware SKU "gpu-h100"/],
    [{ owner: 'fixtures', name: 'x', visibility: 'public' }, 400, /^hardware: This field is required/],
    [{ owner: 'fixtures', name: 'echo', visibility: 'public', hardware: 'cpu' }, 400, /already exists/],
  ])('refuses %j with %i', async (body, status, detail) => {
    const before = fake.pushes.created.length;
    const res = await create(body);
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toMatch(/problem\+json/);
    expect(((await res.json()) as { detail: string }).detail).toMatch(detail);
    expect(fake.pushes.created.length).toBe(before);
  });

  it('needs a valid token', async () => {
    expect((await create({ owner: 'fixtures', name: 'y', visibility: 'public', hardware: 'cpu' }, null)).status).toBe(401);
    expect((await create({ owner: 'fixtures', name: 'y', visibility: 'public', hardware: 'cpu' }, 'r8_wrong')).status).toBe(401);
  });
});

describe('POST /cog/v1/verify-token (the registry\'s)', () => {
  const verify = (token: string) =>
    fetch(fake.verifyUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token }).toString() });

  it('answers the user name of a known CLI token, 404 otherwise (as cog expects)', async () => {
    const ok = await verify('the-cli-token');
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ username: 'fixtures' });
    expect((await verify('unknown')).status).toBe(404);
    expect((await verify('')).status).toBe(404);
  });
});

describe('versions from the registry', () => {
  it('a manifest of a model of the account becomes a version after a look, with the image\'s Cog labels as schema', async () => {
    const echo = fixtureEntry('echo');
    const id = echo.digest.replace(/^sha256:/, '');
    const old = fake.world.versions.get('fixtures/echo')!;
    fake.world.versions.set('fixtures/echo', old.filter((v) => v.id !== id));
    try {
      const ids = async () => ((await (await api('/models/fixtures/echo/versions')).json()) as { results: Array<{ id: string }> }).results.map((v) => v.id);
      const looks = fake.pushes.looks('fixtures/echo');
      expect(await ids()).not.toContain(id); // Replicate takes a moment: the first look does not show it
      fake.pushes.hold(true);
      expect(await ids()).not.toContain(id); // held: still processing
      fake.pushes.hold(false);
      expect((await ids())[0]).toBe(id);
      expect(fake.pushes.looks('fixtures/echo')).toBe(looks + 3);
      const version = fake.world.versions.get('fixtures/echo')![0];
      const labels = (await docker.getImage(echo.ref).inspect()).Config.Labels ?? {};
      expect(version.openapi_schema).toEqual(JSON.parse(labels['run.cog.openapi_schema']!));
      expect(version.cog_version).toBe('0.15.5');
      expect((fake.world.models.get('fixtures/echo')!.latest_version as { id: string }).id).toBe(id);
      // Looking again makes nothing twice.
      expect((await ids()).filter((v) => v === id)).toHaveLength(1);
    } finally {
      fake.world.versions.set('fixtures/echo', old);
    }
  });

  it('a model of another account is never read from the registry', async () => {
    await api('/models/stability-ai/sdxl/versions');
    expect(fake.pushes.looks('stability-ai/sdxl')).toBe(0);
  });
});
