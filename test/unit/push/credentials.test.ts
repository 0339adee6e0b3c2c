/**
 * Registry credentials: where CLI tokens are verified (COGDESK_REGISTRY_VERIFY_URL, https only unless on
 * this machine), telling an API token from a CLI token before anything is sent, verifying against the fake
 * registry endpoint, keeping the token with its user name, and which credentials a push uses (`cog login`
 * in DOCKER_CONFIG first, then Cogdesk's).
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { memoryTokenStore } from '../../../src/main/core/remote';
import {
  checkCliToken,
  cliRegistryTokens,
  findCredentials,
  loginStatus,
  noCredentials,
  RegistryLogins,
  verifyCliToken,
  verifyTokenUrl,
} from '../../../src/main/core/push/credentials';
import { startFakeOffline, type FakeReplicate } from '../../fakes/replicate-api';
import { rejection, thrown } from '../../helpers/errors';

describe('verifyTokenUrl', () => {
  it('defaults to https://<registry>/cog/v1/verify-token; COGDESK_REGISTRY_VERIFY_URL wins', () => {
    expect(verifyTokenUrl('r8.im', {})).toBe('https://r8.im/cog/v1/verify-token');
    expect(verifyTokenUrl('r8.im', { COGDESK_REGISTRY_VERIFY_URL: 'http://127.0.0.1:9/cog/v1/verify-token' })).toBe('http://127.0.0.1:9/cog/v1/verify-token');
  });

  it('never sends a token in clear over a network: plain http only to this machine', () => {
    const e = thrown(() => verifyTokenUrl('r8.im', { COGDESK_REGISTRY_VERIFY_URL: 'http://r8.example.com/cog/v1/verify-token' }));
    expect(e.message).toMatch(/would be sent in clear/);
    expect(thrown(() => verifyTokenUrl('r8.im', { COGDESK_REGISTRY_VERIFY_URL: 'not a url' })).message).toMatch(/is not a URL/);
  });
});

describe('checkCliToken', () => {
  it('an API token (r8_...) is the wrong kind: says which token is needed and where to get it', () => {
    const e = thrown(() => checkCliToken('r8_FakeTokenForCogdeskTests0123456789ab'));
    expect(e.code).toBe('bad_request');
    expect(e.message).toMatch(/API token \(r8_…\), not a CLI auth token/);
    expect(e.hint).toMatch(/replicate\.com\/auth\/token/);
    expect(e.message + (e.hint ?? '')).not.toContain('r8_FakeToken');
  });

  it('empty, or not one printable word: refused; a real-looking one is trimmed', () => {
    expect(thrown(() => checkCliToken('  ')).message).toBe('No CLI token given');
    expect(thrown(() => checkCliToken('two words')).message).toMatch(/not a CLI auth token/);
    expect(checkCliToken('  abc123  ')).toBe('abc123');
  });
});

describe('verifyCliToken against the registry endpoint (the fake serves it)', () => {
  let fake: FakeReplicate;
  beforeAll(async () => {
    fake = await startFakeOffline({ cliTokens: { 'cli-token-of-cogdesk': 'cogdesk' } });
  });
  afterAll(async () => {
    await fake.close();
  });
  const verifies = () => fake.requests.filter((r) => r.path === '/cog/v1/verify-token').length;

  it('a known token: its user name', async () => {
    expect(await verifyCliToken('cli-token-of-cogdesk', { url: fake.verifyUrl })).toBe('cogdesk');
    const sent = fake.requests.filter((r) => r.path === '/cog/v1/verify-token').at(-1)!;
    expect(new URLSearchParams(sent.body).get('token')).toBe('cli-token-of-cogdesk');
  });

  it('an unknown token: registry_unauthorized, saying the registry does not know it', async () => {
    const e = await rejection(verifyCliToken('not-a-known-token', { url: fake.verifyUrl }));
    expect(e.code).toBe('registry_unauthorized');
    expect(e.message).toBe(`127.0.0.1:${fake.port} does not know that CLI token (no user has it)`);
    expect(e.message + (e.hint ?? '')).not.toContain('not-a-known-token');
  });

  it('an API token is refused before anything is sent', async () => {
    const before = verifies();
    await rejection(verifyCliToken('r8_FakeTokenForCogdeskTests0123456789ab', { url: fake.verifyUrl }));
    expect(verifies()).toBe(before);
  });

  it('the registry unreachable: registry_error with what to do', async () => {
    await fake.stop();
    try {
      const e = await rejection(verifyCliToken('cli-token-of-cogdesk', { url: fake.verifyUrl }));
      expect(e.code).toBe('registry_error');
      expect(e.message).toMatch(/Cannot reach 127\.0\.0\.1:\d+ to verify the CLI token \((connection refused|connection closed)\)$/);
    } finally {
      await fake.start();
    }
  });
});

describe('keeping the CLI token and finding credentials', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cogdesk-push-creds-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('the CLI keeps user and token in <home>/replicate-cli-token, readable by its owner only', async () => {
    const logins = new RegistryLogins(cliRegistryTokens(dir));
    expect(await logins.get()).toBeNull();
    await logins.set('cogdesk', 'tok:with:colons', 'r8.im');
    expect(await logins.get()).toEqual({ username: 'cogdesk', token: 'tok:with:colons', registry: 'r8.im' });
    const file = join(dir, 'replicate-cli-token');
    expect(readFileSync(file, 'utf8')).toBe('r8.im|cogdesk:tok:with:colons\n');
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(await logins.where()).toBe(file);
    await logins.clear();
    expect(await logins.get()).toBeNull();
  });

  it('a `cog login` in the Docker config comes first; else the kept token; else none', async () => {
    const configPath = join(dir, 'config.json');
    const logins = new RegistryLogins(memoryTokenStore());
    const registry = '127.0.0.1:5101';
    expect(await findCredentials({ registry, logins, configPath })).toBeNull();
    expect(await loginStatus({ registry, logins, configPath })).toEqual({ registry, source: null, username: null, where: null, kept: null });

    await logins.set('kept-user', 'kept-token', registry);
    expect(await findCredentials({ registry, logins, configPath })).toMatchObject({
      source: 'cogdesk',
      username: 'kept-user',
      auth: { serveraddress: registry, username: 'kept-user', password: 'kept-token' },
    });

    writeFileSync(configPath, JSON.stringify({ auths: { [registry]: { auth: Buffer.from('cog-user:cog-token').toString('base64') } } }));
    const found = await findCredentials({ registry, logins, configPath });
    expect(found).toMatchObject({ source: 'docker-config', username: 'cog-user', auth: { username: 'cog-user', password: 'cog-token' } });
    expect(found!.where).toContain(configPath);
    // 'cogdesk' skips the Docker config.
    expect((await findCredentials({ registry, logins, configPath, prefer: 'cogdesk' }))?.source).toBe('cogdesk');
    // Another host's login is not used.
    expect((await findCredentials({ registry: 'r8.im', logins: new RegistryLogins(memoryTokenStore()), configPath }))).toBeNull();
    const status = await loginStatus({ registry, logins, configPath });
    expect(status).toMatchObject({ source: 'docker-config', username: 'cog-user', kept: { username: 'kept-user', where: 'memory' } });
    expect(JSON.stringify(status)).not.toContain('token"');
    expect(JSON.stringify(status)).not.toMatch(/cog-token|kept-token/);
  });

  it('a kept CLI token is for the registry it was verified against: never sent to another host, and the status says so', async () => {
    const configPath = join(dir, 'no-config.json');
    const logins = new RegistryLogins(memoryTokenStore());
    await logins.set('kept-user', 'kept-token', '127.0.0.1:5101');
    expect(await findCredentials({ registry: '127.0.0.1:5101', logins, configPath })).toMatchObject({ source: 'cogdesk', auth: { serveraddress: '127.0.0.1:5101' } });
    // COGDESK_REGISTRY moved to another host: nothing to send there.
    expect(await findCredentials({ registry: 'r8.im', logins, configPath })).toBeNull();
    expect(await findCredentials({ registry: 'r8.im', logins, configPath, prefer: 'cogdesk' })).toBeNull();
    const status = await loginStatus({ registry: 'r8.im', logins, configPath });
    expect(status).toEqual({
      registry: 'r8.im',
      source: null,
      username: null,
      where: null,
      kept: { username: 'kept-user', where: 'memory, verified for 127.0.0.1:5101: not sent to r8.im; give the CLI token again for r8.im' },
    });
    expect(noCredentials('r8.im', await logins.get()).message).toBe(
      'Cogdesk has no credentials for r8.im, so it cannot push there (the CLI token it keeps was verified for 127.0.0.1:5101: not sent to r8.im; give the CLI token again for r8.im)',
    );
  });

  it('a CLI token kept before hosts were (user:token) is for r8.im only', async () => {
    const configPath = join(dir, 'no-config.json');
    const logins = new RegistryLogins(memoryTokenStore('old-user:old-token'));
    expect(await logins.get()).toEqual({ username: 'old-user', token: 'old-token', registry: 'r8.im' });
    expect(await findCredentials({ registry: 'r8.im', logins, configPath })).toMatchObject({ auth: { serveraddress: 'r8.im', password: 'old-token' } });
    expect(await findCredentials({ registry: '127.0.0.1:5101', logins, configPath })).toBeNull();
  });
});
