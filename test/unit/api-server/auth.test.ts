import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateWebhook } from 'replicate';
import { afterEach, describe, expect, it } from 'vitest';
import { deriveSecrets, hasToken, isLoopbackHost, loadOrCreateCredentials, sign, TOKEN_FILE, verifySignature } from '../../../src/main/core/api-server/auth';
import { signWebhook } from '../../../src/main/core/api-server/webhooks';
import { tempHome } from '../../helpers/core';

describe('the API token', () => {
  const cleanups: Array<() => void> = [];
  afterEach(() => cleanups.splice(0).forEach((c) => c()));
  const home = () => {
    const h = tempHome('cogdesk-auth-');
    cleanups.push(h.cleanup);
    return h.home;
  };

  it('is made on first use, kept readable by its owner only, and read back after', () => {
    const dir = home();
    const first = loadOrCreateCredentials(dir);
    expect(first.token).toMatch(/^cogdesk_[A-Za-z0-9_-]{43}$/);
    expect(first.file).toBe(join(dir, TOKEN_FILE));
    expect(readFileSync(first.file, 'utf8').trim()).toBe(first.token);
    expect(statSync(first.file).mode & 0o777).toBe(0o600);
    const again = loadOrCreateCredentials(dir);
    expect(again.token).toBe(first.token);
    expect(again.webhookSecret).toBe(first.webhookSecret);
    expect(again.signingKey.equals(first.signingKey)).toBe(true);
  });

  it('differs between data folders', () => {
    expect(loadOrCreateCredentials(home()).token).not.toBe(loadOrCreateCredentials(home()).token);
  });

  it('narrows permissions someone widened, and replaces a file that holds no token', () => {
    const dir = home();
    const made = loadOrCreateCredentials(dir);
    chmodSync(made.file, 0o644);
    expect(loadOrCreateCredentials(dir).token).toBe(made.token);
    expect(statSync(made.file).mode & 0o777).toBe(0o600);
    writeFileSync(made.file, 'not a token\n');
    const replaced = loadOrCreateCredentials(dir);
    expect(replaced.token).not.toBe(made.token);
    expect(readFileSync(made.file, 'utf8').trim()).toBe(replaced.token);
  });

  it('takes an override (not written anywhere), refusing a short one', () => {
    const dir = home();
    expect(loadOrCreateCredentials(dir, 'a-test-token-of-some-length').token).toBe('a-test-token-of-some-length');
    expect(() => statSync(join(dir, TOKEN_FILE))).toThrow();
    expect(() => loadOrCreateCredentials(dir, 'short')).toThrow(/too short/);
  });
});

describe('the Authorization header', () => {
  const token = 'cogdesk_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
  it.each([
    [`Bearer ${token}`, true],
    [`bearer ${token}`, true],
    [`Token ${token}`, true],
    [`Bearer  ${token} `, true],
    [`Bearer ${token}x`, false],
    [`Bearer ${token.slice(0, -1)}`, false],
    [token, false],
    [`Basic ${token}`, false],
    ['Bearer', false],
    ['', false],
    [undefined, false],
  ])('%s -> %s', (header, ok) => {
    expect(hasToken(header, token)).toBe(ok);
  });
});

describe('the Host check', () => {
  it.each([
    ['127.0.0.1:5190', true],
    ['127.0.0.1', true],
    ['localhost:5190', true],
    ['LOCALHOST', true],
    ['localhost.:80', true],
    ['[::1]:5190', true],
    ['evil.example', false],
    ['evil.example:5190', false],
    ['localhost.evil.example', false],
    ['127.0.0.1.nip.io:5190', false],
    ['127.0.0.2:5190', false],
    ['0.0.0.0:5190', false],
    ['[::ffff:7f00:1]:5190', false],
    ['127.0.0.1:5190:1', false],
    ['', false],
    [undefined, false],
  ])('%s -> %s', (host, ok) => {
    expect(isLoopbackHost(host)).toBe(ok);
  });
});

describe('URL signatures and the webhook secret', () => {
  it('signs a URL part so that only the same part with the same key verifies', () => {
    const { signingKey } = deriveSecrets('cogdesk_one-token-one-token-one-token-one-token');
    const other = deriveSecrets('cogdesk_two-token-two-token-two-token-two-token').signingKey;
    const sig = sign(signingKey, 'stream/abc');
    expect(sig).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(verifySignature(signingKey, 'stream/abc', sig)).toBe(true);
    expect(verifySignature(signingKey, 'stream/abd', sig)).toBe(false);
    expect(verifySignature(other, 'stream/abc', sig)).toBe(false);
    expect(verifySignature(signingKey, 'stream/abc', sig.slice(0, -1))).toBe(false);
    expect(verifySignature(signingKey, 'stream/abc', null)).toBe(false);
  });

  it('derives a whsec_ secret that neither is nor contains the token, and that the official client verifies with', async () => {
    const token = 'cogdesk_three-token-three-token-three-token-thr';
    const { webhookSecret, signingKey } = deriveSecrets(token);
    expect(webhookSecret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(webhookSecret.slice(6), 'base64')).toHaveLength(32);
    expect(webhookSecret).not.toContain(token.slice(8));
    expect(Buffer.from(webhookSecret.slice(6), 'base64').equals(signingKey)).toBe(false);
    const body = JSON.stringify({ id: 'p1', status: 'succeeded' });
    const signature = signWebhook(webhookSecret, 'msg_1', 1700000000, body);
    expect(await validateWebhook({ id: 'msg_1', timestamp: '1700000000', body, secret: webhookSecret, signature })).toBe(true);
    expect(await validateWebhook({ id: 'msg_2', timestamp: '1700000000', body, secret: webhookSecret, signature })).toBe(false);
  });
});
