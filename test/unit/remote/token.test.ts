import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cliTokenStore, FileTokenStore, memoryTokenStore, TOKEN_FILE_NAME } from '../../../src/main/core/remote';
import { CogdeskError } from '../../../src/shared/errors';

const TOKEN = 'r8_UnitTestToken000000000000000000000000';
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cogdesk-token-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const unixOnly = process.platform === 'win32' ? it.skip : it;

describe('FileTokenStore', () => {
  it('answers null when there is no file, and the token (trimmed) from a file only its owner can read', async () => {
    const store = new FileTokenStore(join(dir, TOKEN_FILE_NAME));
    expect(await store.get()).toBeNull();
    writeFileSync(join(dir, TOKEN_FILE_NAME), `  ${TOKEN}\n`, { mode: 0o600 });
    chmodSync(join(dir, TOKEN_FILE_NAME), 0o600);
    expect(await store.get()).toBe(TOKEN);
    expect(await store.describe()).toEqual({ present: true, source: join(dir, TOKEN_FILE_NAME) });
  });

  unixOnly.each([0o644, 0o640, 0o604, 0o660])('refuses a file with mode %o (readable by others), saying how to fix it', async (mode) => {
    const file = join(dir, TOKEN_FILE_NAME);
    writeFileSync(file, TOKEN);
    chmodSync(file, mode);
    const err = await new FileTokenStore(file).get().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CogdeskError);
    const e = err as CogdeskError;
    expect(e.message).toContain(file);
    expect(e.message).toMatch(/other users/);
    expect(e.hint).toContain(`chmod 600 ${file}`);
    // The token itself is in neither.
    expect(`${e.message} ${e.hint}`).not.toContain(TOKEN);
  });

  unixOnly('set writes the file with mode 600 (creating the folder), clear removes it', async () => {
    const file = join(dir, 'nested', TOKEN_FILE_NAME);
    const store = new FileTokenStore(file);
    await store.set(`${TOKEN}\n`);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8').trim()).toBe(TOKEN);
    expect(await store.get()).toBe(TOKEN);
    await store.clear();
    expect(existsSync(file)).toBe(false);
    await store.clear(); // twice is fine
    expect(await store.get()).toBeNull();
  });

  it('refuses to save something that is not a token (spaces, control characters, nothing)', async () => {
    const store = new FileTokenStore(join(dir, TOKEN_FILE_NAME));
    for (const bad of ['', '   ', 'two words', 'r8_abc\u0000def']) {
      await expect(store.set(bad)).rejects.toMatchObject({ code: 'bad_request', hint: expect.stringContaining('replicate.com/account/api-tokens') });
    }
    expect(existsSync(join(dir, TOKEN_FILE_NAME))).toBe(false);
  });
});

describe('cliTokenStore', () => {
  it('REPLICATE_API_TOKEN wins over the file; set/clear act on the file', async () => {
    const env: NodeJS.ProcessEnv = {};
    const store = cliTokenStore({ home: dir, env });
    expect(await store.get()).toBeNull();
    await store.set(TOKEN);
    expect(await store.get()).toBe(TOKEN);
    expect(await store.describe()).toEqual({ present: true, source: join(dir, TOKEN_FILE_NAME) });
    env.REPLICATE_API_TOKEN = 'r8_FromTheEnvironment';
    expect(await store.get()).toBe('r8_FromTheEnvironment');
    expect(await store.describe()).toEqual({ present: true, source: 'REPLICATE_API_TOKEN' });
    await store.clear();
    delete env.REPLICATE_API_TOKEN;
    expect(await store.get()).toBeNull();
  });

  it('memoryTokenStore holds one token', async () => {
    const store = memoryTokenStore();
    expect(await store.get()).toBeNull();
    await store.set(TOKEN);
    expect(await store.get()).toBe(TOKEN);
    await store.clear();
    expect((await store.describe()).present).toBe(false);
  });
});
