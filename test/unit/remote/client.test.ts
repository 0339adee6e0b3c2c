/**
 * The API client against the fake Replicate API: where requests go, the token, errors a person can act
 * on, and retries that wait as Retry-After asks (the waits are recorded, not timed).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RemoteClient, resolveApiUrl, retryDelay, RemoteError, DEFAULT_API_URL } from '../../../src/main/core/remote/client';
import { expectAnswersValid, FAKE_TOKEN, startFakeOffline, type FakeReplicate } from '../../fakes/replicate-api';

let fake: FakeReplicate;
beforeAll(async () => {
  fake = await startFakeOffline();
});
afterAll(async () => {
  expectAnswersValid(fake);
  await fake.close();
});
afterEach(async () => {
  fake.throttle(0);
  fake.fail(500, 0);
  await fake.start();
});

function client(o: { token?: string | null; sleeps?: number[]; budget?: number; url?: string; fetch?: typeof fetch } = {}) {
  const sleeps = o.sleeps ?? [];
  return new RemoteClient({
    baseUrl: () => o.url ?? fake.url,
    token: async () => (o.token === undefined ? FAKE_TOKEN : o.token),
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    retryBudgetMs: o.budget ?? 20_000,
    fetch: o.fetch,
  });
}
const requestsSince = (n: number) => fake.requests.slice(n);

describe('resolveApiUrl', () => {
  it('is COGDESK_REPLICATE_API, else the setting, else Replicate', () => {
    expect(resolveApiUrl({ env: {} })).toBe(DEFAULT_API_URL);
    expect(resolveApiUrl({ env: {}, setting: 'https://proxy.example.com/v1/' })).toBe('https://proxy.example.com/v1');
    expect(resolveApiUrl({ env: { COGDESK_REPLICATE_API: 'http://127.0.0.1:8123/v1' }, setting: 'https://proxy.example.com/v1' })).toBe('http://127.0.0.1:8123/v1');
  });

  it('refuses plain http to another machine (the token would travel in clear), and what is not a URL', () => {
    expect(() => resolveApiUrl({ env: { COGDESK_REPLICATE_API: 'http://api.example.com/v1' } })).toThrow(/not https/);
    expect(() => resolveApiUrl({ env: { COGDESK_REPLICATE_API: 'api.replicate.com' } })).toThrow(/not a URL/);
    expect(() => resolveApiUrl({ env: { COGDESK_REPLICATE_API: 'https://user:pw@api.example.com/v1' } })).toThrow(RemoteError);
    expect(resolveApiUrl({ env: { COGDESK_REPLICATE_API: 'http://localhost:9/v1' } })).toBe('http://localhost:9/v1');
  });
});

describe('retryDelay', () => {
  it('takes Retry-After in seconds or as a date, else backs off 0.5 s, 1 s, 2 s', () => {
    expect(retryDelay('3', 0)).toBe(3000);
    expect(retryDelay(new Date(10_000).toUTCString(), 0, 4_000)).toBe(6000);
    expect([0, 1, 2].map((a) => retryDelay(null, a))).toEqual([500, 1000, 2000]);
  });
});

describe('RemoteClient', () => {
  it('sends the token as a Bearer header to the configured API, and nothing when there is none', async () => {
    const before = fake.requests.length;
    const model = (await client().getModel('fixtures', 'echo')) as { name: string };
    expect(model.name).toBe('echo');
    expect(requestsSince(before).map((r) => `${r.method} ${r.path} ${r.auth}`)).toEqual(['GET /v1/models/fixtures/echo valid']);
  });

  it('never falls back to process.env.REPLICATE_API_TOKEN behind the token store', async () => {
    const saved = process.env.REPLICATE_API_TOKEN;
    process.env.REPLICATE_API_TOKEN = FAKE_TOKEN;
    try {
      const before = fake.requests.length;
      const err = await client({ token: null }).getModel('fixtures', 'echo').catch((e: unknown) => e);
      expect(err).toMatchObject({ reason: 'unauthorized' });
      expect(requestsSince(before).map((r) => r.auth)).toEqual(['none']);
    } finally {
      if (saved === undefined) delete process.env.REPLICATE_API_TOKEN;
      else process.env.REPLICATE_API_TOKEN = saved;
    }
  });

  it('401 without a token says none is set and where to get one; with a wrong one, that it was refused', async () => {
    const none = (await client({ token: null }).listModels(null).catch((e: unknown) => e)) as RemoteError;
    expect(none).toBeInstanceOf(RemoteError);
    expect(none.reason).toBe('unauthorized');
    expect(none.status).toBe(401);
    expect(none.message).toMatch(/needs an API token .*none is set/);
    expect(none.hint).toContain('https://replicate.com/account/api-tokens');
    expect(none.hint).toMatch(/cogdesk login|REPLICATE_API_TOKEN/);

    const wrong = (await client({ token: 'r8_NotTheRightToken' }).listModels(null).catch((e: unknown) => e)) as RemoteError;
    expect(wrong.reason).toBe('unauthorized');
    expect(wrong.message).toMatch(/refused the API token \(401: Unauthenticated: You did not pass a valid authentication token\)/);
    expect(wrong.hint).toContain('https://replicate.com/account/api-tokens');
  });

  it('never puts the token in an error, however deeply it is inspected', async () => {
    const secret = 'r8_SecretThatMustNotLeak000000000000000';
    const errors = [
      await client({ token: secret }).listModels(null).catch((e: unknown) => e),
      await client({ token: secret, url: 'http://127.0.0.1:9/v1' }).listModels(null).catch((e: unknown) => e),
    ];
    fake.fail(503, 100);
    errors.push(await client({ token: FAKE_TOKEN }).getModel('fixtures', 'echo').catch((e: unknown) => e));
    for (const e of errors) {
      expect(e).toBeInstanceOf(RemoteError);
      expect(inspect(e, { depth: 20, showHidden: true })).not.toContain(secret);
      expect(JSON.stringify((e as RemoteError).toInfo())).not.toContain(secret);
    }
    expect(inspect(errors[2], { depth: 20, showHidden: true })).not.toContain(FAKE_TOKEN);
  });

  it('404 names what is missing', async () => {
    const err = (await client().getModel('nobody', 'nothing').catch((e: unknown) => e)) as RemoteError;
    expect(err.reason).toBe('not_found');
    expect(err.code).toBe('not_found');
    expect(err.message).toBe('No model nobody/nothing on Replicate');
    expect(err.hint).toMatch(/cogdesk search/);
  });

  it('429: waits as Retry-After says before each retry, then gets the answer', async () => {
    const sleeps: number[] = [];
    const before = fake.requests.length;
    fake.throttle(2, 3);
    const hw = (await client({ sleeps }).listHardware()) as Array<{ sku: string }>;
    expect(hw.map((h) => h.sku)).toContain('gpu-t4');
    expect(sleeps).toEqual([3000, 3000]);
    expect(requestsSince(before)).toHaveLength(3);
  });

  it('429 that does not end: retries within the wait budget, then says so and stops asking', async () => {
    const sleeps: number[] = [];
    const before = fake.requests.length;
    fake.throttle(1000, 4);
    const err = (await client({ sleeps, budget: 10_000 }).listHardware().catch((e: unknown) => e)) as RemoteError;
    expect(err.reason).toBe('throttled');
    expect(err.status).toBe(429);
    expect(err.retryAfter).toBe(4);
    expect(err.message).toMatch(/limiting requests \(429: Request was throttled\. Your rate limit resets in ~4s\.\); Cogdesk waited 8 s and retried, then gave up/);
    expect(err.hint).toBe('Wait about 4 s and try again.');
    expect(sleeps).toEqual([4000, 4000]);
    // Three requests: two waits fit the 10 s budget; the client's other retries were answered from memory.
    expect(requestsSince(before)).toHaveLength(3);
  });

  it('5xx on a GET: retried with the client\'s backoff; one that lasts says it is on Replicate\'s side', async () => {
    const sleeps: number[] = [];
    fake.fail(502, 2);
    expect(((await client({ sleeps }).getModel('fixtures', 'echo')) as { name: string }).name).toBe('echo');
    expect(sleeps).toEqual([500, 1000]);

    const before = fake.requests.length;
    fake.fail(500, 1000);
    const err = (await client({ sleeps: [] }).getModel('fixtures', 'echo').catch((e: unknown) => e)) as RemoteError;
    expect(err.reason).toBe('server');
    expect(err.message).toMatch(/Replicate's API failed to get the model fixtures\/echo \(500: Internal server error\)/);
    expect(err.hint).toMatch(/Replicate's side/);
    expect(requestsSince(before)).toHaveLength(6); // the client's 5 retries, with 0.5+1+2+4+8 s of waits in the budget
  });

  it('the network down: one attempt per call (not the client\'s six), and a message that says what to check', async () => {
    // A port where nothing listens (and that no kept-alive connection ever reached).
    const probe = http.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', () => r()));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    let calls = 0;
    const counting: typeof fetch = (input, init) => {
      calls++;
      return fetch(input, init);
    };
    const url = `http://127.0.0.1:${port}/v1`;
    const err = (await client({ fetch: counting, url }).listModels(null).catch((e: unknown) => e)) as RemoteError;
    expect(err.reason).toBe('network');
    expect(err.message).toContain(`Cannot reach Replicate's API at ${url} to list public models (connection refused, ECONNREFUSED)`);
    expect(err.hint).toMatch(/network connection/);
    expect(calls).toBe(1);
  });

  it('a reset kept-alive connection is tried once more', async () => {
    let calls = 0;
    const resetOnce: typeof fetch = (input, init) => {
      if (calls++ === 0) return Promise.reject(Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNRESET' } }));
      return fetch(input, init);
    };
    expect(((await client({ fetch: resetOnce }).getModel('fixtures', 'echo')) as { name: string }).name).toBe('echo');
    expect(calls).toBe(2);
  });

  it('never sends a request (nor the token) anywhere but the configured API, even when an answer points elsewhere', async () => {
    const seen: string[] = [];
    const other = http.createServer((req, res) => {
      seen.push(`${req.method} ${req.url} ${req.headers.authorization ?? ''}`);
      res.end('{}');
    });
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', () => r()));
    try {
      const elsewhere = `http://127.0.0.1:${(other.address() as AddressInfo).port}/v1/models?cursor=abc`;
      const err = (await client()
        .call({ doing: 'follow a next link' }, (r) => r.request(elsewhere, { method: 'GET' }))
        .catch((e: unknown) => e)) as RemoteError;
      expect(err.reason).toBe('refused');
      expect(err.message).toMatch(/not the configured API/);
      expect(seen).toEqual([]);
    } finally {
      await new Promise<void>((r) => other.close(() => r()));
    }
  });

  it('search: GET /search works without a token; QUERY /models sends the query', async () => {
    const before = fake.requests.length;
    const found = (await client({ token: null }).search('echo', 5)) as { models: Array<{ model: { name: string } }> };
    expect(found.models.map((m) => m.model.name)).toEqual(['echo']);
    const page = await client().searchModels('llama');
    expect((page.results as Array<{ name: string }>).map((m) => m.name)).toContain('llama-2-70b-chat');
    expect(requestsSince(before).map((r) => `${r.method} ${r.path}`)).toEqual(['GET /v1/search', 'QUERY /v1/models']);
  });
});
