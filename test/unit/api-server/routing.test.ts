/**
 * Where the local API runs a prediction: here when the model or version is here, on Replicate only with the
 * setting on, for a Replicate model name, never for a model marked local-only, and with a token.
 */
import { describe, expect, it } from 'vitest';
import type { Version } from '../../../src/shared/domain';
import { ApiProblem } from '../../../src/main/core/api-server/problem';
import { cloudProblem, decideRoute, type CreateTarget, type RoutingDeps } from '../../../src/main/core/api-server/routing';
import { RemoteError } from '../../../src/main/core/remote/remote-error';

const here = { id: 'a'.repeat(64), modelId: '127.0.0.1:5100/fixtures/echo' } as Version;
const notHere = (t: CreateTarget) =>
  'version' in t
    ? new ApiProblem(422, 'Invalid version', `The specified version "${t.version}" does not exist here`)
    : new ApiProblem(404, 'Not found', `No local model "${t.owner}/${t.name}"`);

function deps(o: { enabled?: boolean; localOnly?: Record<string, string>; token?: boolean; local?: string[] } = {}): RoutingDeps {
  return {
    async resolveLocal(t) {
      const ref = 'version' in t ? t.version : `${t.owner}/${t.name}`;
      if ((o.local ?? ['fixtures/echo']).includes(ref)) return here;
      if (ref === 'twice/named') throw new ApiProblem(409, 'Ambiguous model name', '"twice/named" names 2 local models');
      throw notHere(t);
    },
    enabled: () => o.enabled ?? true,
    localOnlyModel: (model) => o.localOnly?.[model] ?? null,
    hasToken: async () => o.token ?? true,
  };
}

async function problemOf(p: Promise<unknown>): Promise<ApiProblem> {
  const e = await p.then(() => null, (x: unknown) => x);
  expect(e).toBeInstanceOf(ApiProblem);
  return e as ApiProblem;
}

describe('decideRoute', () => {
  it('runs a model that is here locally, with the setting on or off', async () => {
    for (const enabled of [true, false]) {
      expect(await decideRoute({ owner: 'fixtures', name: 'echo' }, deps({ enabled }))).toEqual({ where: 'local', version: here });
      expect(await decideRoute({ version: 'fixtures/echo' }, deps({ enabled }))).toEqual({ where: 'local', version: here });
    }
  });

  it('sends owner/name and owner/name:version that are not here to Replicate when the setting is on', async () => {
    expect(await decideRoute({ owner: 'stability-ai', name: 'sdxl' }, deps())).toEqual({ where: 'replicate', ref: 'stability-ai/sdxl', model: 'stability-ai/sdxl' });
    const v = 'b'.repeat(64);
    expect(await decideRoute({ version: `stability-ai/sdxl:${v}` }, deps())).toEqual({ where: 'replicate', ref: `stability-ai/sdxl:${v}`, model: 'stability-ai/sdxl' });
  });

  it('keeps the local answer without the setting', async () => {
    const p = await problemOf(decideRoute({ owner: 'stability-ai', name: 'sdxl' }, deps({ enabled: false })));
    expect(p.status).toBe(404);
    expect(p.detail).toBe('No local model "stability-ai/sdxl"');
    expect((await problemOf(decideRoute({ version: 'stability-ai/sdxl' }, deps({ enabled: false })))).status).toBe(422);
  });

  it('never sends a model marked local-only, and says why and what to do', async () => {
    const p = await problemOf(decideRoute({ version: `fixtures/echo:${'d'.repeat(64)}` }, deps({ localOnly: { 'fixtures/echo': '127.0.0.1:5100/fixtures/echo' } })));
    expect(p.status).toBe(422);
    expect(p.detail).toContain('fixtures/echo is marked local-only (127.0.0.1:5100/fixtures/echo), so it is not run on Replicate');
    expect(p.body().hint).toMatch(/Local only/);
  });

  it('asks for a Replicate token when there is none (422, "set a Replicate token: cogdesk login")', async () => {
    const p = await problemOf(decideRoute({ owner: 'stability-ai', name: 'sdxl' }, deps({ token: false })));
    expect(p.status).toBe(422);
    expect(p.body().detail).toContain('set a Replicate token: cogdesk login');
  });

  it('sends nothing that is not a Replicate model name (a bare version id, an image reference) or is ambiguous here', async () => {
    expect((await problemOf(decideRoute({ version: 'c'.repeat(64) }, deps()))).status).toBe(422);
    expect((await problemOf(decideRoute({ version: 'localhost:5000/echo:latest' }, deps()))).status).toBe(422);
    expect((await problemOf(decideRoute({ version: 'Stability-AI/SDXL' }, deps()))).status).toBe(422);
    expect((await problemOf(decideRoute({ owner: 'twice', name: 'named' }, deps()))).status).toBe(409);
  });
});

describe('cloudProblem', () => {
  it("passes Replicate's 402 and 429 (with Retry-After) through with their meaning", () => {
    const paid = cloudProblem(new RemoteError('bad_request', { status: 402, message: 'Replicate refused to create a prediction (402: out of credit)' }), 'a/b') as ApiProblem;
    expect(paid.status).toBe(402);
    expect(paid.body().detail).toMatch(/Running a\/b on Replicate failed: .*402/);
    expect(paid.body().detail).toMatch(/credit/);
    const slow = cloudProblem(new RemoteError('throttled', { status: 429, retryAfter: 7, message: 'Replicate is limiting requests (429)', hint: 'Wait about 7 s and try again.' }), 'a/b') as ApiProblem;
    expect(slow.status).toBe(429);
    expect(slow.extra.headers).toEqual({ 'Retry-After': '7' });
    expect(slow.body().hint).toBe('Wait about 7 s and try again.');
  });

  it("answers Replicate's 401 as the Replicate token (not the local one), and leaves other errors alone", () => {
    const bad = cloudProblem(new RemoteError('unauthorized', { status: 401, message: 'Replicate refused the API token (401)' }), 'a/b') as ApiProblem;
    expect(bad.status).toBe(422);
    expect(bad.body().detail).toContain('set a Replicate token: cogdesk login');
    const other = new Error('boom');
    expect(cloudProblem(other, 'a/b')).toBe(other);
  });
});
