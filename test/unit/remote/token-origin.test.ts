/**
 * The Replicate API token is kept for the API it was entered for: changing the base URL (the setting the
 * window can change, or COGDESK_REPLICATE_API) never sends it to the new host, and the status says to enter
 * it again there. REPLICATE_API_TOKEN goes to whatever base URL is set. Two fake Replicate APIs on two
 * ports are the old and the new host; the token store is the CLI's real file (and a memory one).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cliTokenStore, createCatalog, memoryTokenStore, TOKEN_FILE_NAME, type Catalog, type TokenStore } from '../../../src/main/core/remote';
import { openStore, type Store } from '../../../src/main/core/store';
import { FAKE_TOKEN, startFakeWithFixtures, type FakeReplicate } from '../../fakes/replicate-api';

let first: FakeReplicate;
let second: FakeReplicate;
let dir: string;
let store: Store;

beforeAll(async () => {
  first = await startFakeWithFixtures();
  second = await startFakeWithFixtures();
});
afterAll(async () => {
  await first.close();
  await second.close();
});
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cogdesk-token-origin-'));
  store = openStore(join(dir, 'cogdesk.db'));
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const host = (url: string) => new URL(url).host;
const fileStore = (env: NodeJS.ProcessEnv = {}) => cliTokenStore({ home: dir, env });
function catalog(tokenStore: TokenStore, env: NodeJS.ProcessEnv = {}): Catalog {
  return createCatalog({ store, home: dir, env, tokenStore, retryBudgetMs: 0 });
}
const sentTo = (fake: FakeReplicate, from: number) => fake.requests.slice(from).map((r) => r.auth);

describe('a kept token is for the API it was entered for', () => {
  it('the setting moves to another host: no request there carries the token; the status and the error say to enter it again', async () => {
    store.settings.update({ replicateApiUrl: first.url });
    const c = catalog(fileStore());
    await c.tokens.set(FAKE_TOKEN);
    expect((await c.account()).data.username).toBe('cogdesk-tester');
    expect(first.requests.at(-1)?.auth).toBe('valid');
    // Kept with its origin, in the file only its owner reads.
    expect(readFileSync(join(dir, TOKEN_FILE_NAME), 'utf8')).toBe(`${new URL(first.url).origin}#${FAKE_TOKEN}\n`);

    store.settings.update({ replicateApiUrl: second.url });
    const before = second.requests.length;
    const status = await c.tokenStatus();
    expect(status).toEqual({
      present: false,
      source: join(dir, TOKEN_FILE_NAME),
      note: `The token was entered for ${host(first.url)}; enter it again for ${host(second.url)}.`,
    });
    expect(await c.tokens.get()).toBeNull();
    const err = await c.account().catch((e: unknown) => e);
    expect(err).toMatchObject({
      reason: 'unauthorized',
      message: `The Replicate API token was entered for ${host(first.url)}, and the API is now ${host(second.url)}: Cogdesk does not send it to another host`,
      hint: expect.stringContaining(`Enter the token again for ${host(second.url)}`),
    });
    await c.search('echo').catch(() => undefined);
    await c.model('fixtures/echo').catch(() => undefined);
    expect(sentTo(second, before).every((a) => a === 'none')).toBe(true);

    // Entered again for the new host: it goes there, and no longer to the old one.
    await c.tokens.set(FAKE_TOKEN);
    expect(await c.tokenStatus()).toEqual({ present: true, source: join(dir, TOKEN_FILE_NAME) });
    expect((await c.account()).data.username).toBe('cogdesk-tester');
    expect(second.requests.at(-1)?.auth).toBe('valid');
    store.settings.update({ replicateApiUrl: first.url });
    const back = first.requests.length;
    await c.account().catch(() => undefined);
    expect(sentTo(first, back).every((a) => a === 'none')).toBe(true);
  });

  it('COGDESK_REPLICATE_API moves it the same way; a token file from before origins were is for api.replicate.com', async () => {
    writeFileSync(join(dir, TOKEN_FILE_NAME), `${FAKE_TOKEN}\n`, { mode: 0o600 });
    const before = second.requests.length;
    const c = catalog(fileStore(), { COGDESK_REPLICATE_API: second.url });
    expect((await c.tokenStatus()).note).toBe(`The token was entered for api.replicate.com; enter it again for ${host(second.url)}.`);
    await expect(c.account()).rejects.toMatchObject({ reason: 'unauthorized' });
    expect(sentTo(second, before).every((a) => a === 'none')).toBe(true);
  });

  it('the app\'s kind of store (one string, like safeStorage) keeps the origin the same way', async () => {
    const kept = memoryTokenStore();
    store.settings.update({ replicateApiUrl: first.url });
    await catalog(kept).tokens.set(FAKE_TOKEN);
    expect(await kept.get()).toBe(`${new URL(first.url).origin}#${FAKE_TOKEN}`);
    store.settings.update({ replicateApiUrl: second.url });
    expect((await catalog(kept).tokenStatus()).note).toMatch(/^The token was entered for 127\.0\.0\.1:\d+; enter it again for 127\.0\.0\.1:\d+\.$/);
    expect(await catalog(kept).tokens.get()).toBeNull();
  });
});

describe('tokens the user or a program gives for whatever URL is set', () => {
  it('REPLICATE_API_TOKEN goes to the base URL in use, even with a file kept for another host', async () => {
    store.settings.update({ replicateApiUrl: first.url });
    await catalog(fileStore()).tokens.set(FAKE_TOKEN);
    store.settings.update({ replicateApiUrl: second.url });
    const env = { REPLICATE_API_TOKEN: FAKE_TOKEN };
    const c = catalog(fileStore(env), env);
    expect(await c.tokenStatus()).toEqual({ present: true, source: 'REPLICATE_API_TOKEN' });
    expect((await c.account()).data.username).toBe('cogdesk-tester');
    expect(second.requests.at(-1)?.auth).toBe('valid');
  });

  it('a token a program hands over in memory goes to the base URL in use', async () => {
    store.settings.update({ replicateApiUrl: second.url });
    expect((await catalog(memoryTokenStore(FAKE_TOKEN)).account()).data.username).toBe('cogdesk-tester');
  });
});
