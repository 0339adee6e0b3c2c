/**
 * Who may talk to the local API: the bearer token (made on first start, kept in the data folder, readable
 * by its owner only), loopback `Host` names only (no DNS rebinding), and the signatures that let the stream
 * and file URLs the server hands out work without the token (the official clients send none to them).
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CogdeskError } from '../../../shared/errors';

/** The file in the data folder that holds the token (mode 0600). */
export const TOKEN_FILE = 'api-token';

const TOKEN_SHAPE = /^cogdesk_[A-Za-z0-9_-]{32,}$/;

export interface ApiCredentials {
  /** `Authorization: Bearer <token>`; also what the clients take as REPLICATE_API_TOKEN. */
  token: string;
  /** Where the token is kept. */
  file: string;
  /** Signs stream and file URLs (derived from the token: a new token invalidates them). */
  signingKey: Buffer;
  /** The Standard Webhooks secret (`whsec_` + base64) that webhook receivers check signatures with. */
  webhookSecret: string;
}

export function newToken(): string {
  return `cogdesk_${randomBytes(32).toString('base64url')}`;
}

/** Reads the token from the data folder, making it (owner-only) on first use. */
export function loadOrCreateCredentials(home: string, override?: string): ApiCredentials {
  const file = join(home, TOKEN_FILE);
  if (override !== undefined) {
    if (override.length < 16) {
      throw new CogdeskError({ code: 'bad_request', message: 'The API token is too short', hint: 'Use at least 16 characters, or leave it out to use the generated one.' });
    }
    return { token: override, file, ...deriveSecrets(override) };
  }
  mkdirSync(home, { recursive: true });
  let token: string | null = null;
  try {
    token = readFileSync(file, 'utf8').trim();
    // Someone widened its permissions: narrow them again (no-op on Windows).
    if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  if (!token || !TOKEN_SHAPE.test(token)) {
    token = newToken();
    try {
      writeFileSync(file, token + '\n', { mode: 0o600, flag: 'wx' });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const existing = readFileSync(file, 'utf8').trim();
      if (TOKEN_SHAPE.test(existing)) token = existing; // another process made it first
      else writeFileSync(file, token + '\n', { mode: 0o600 }); // unreadable junk: replace it
    }
    chmodSync(file, 0o600);
  }
  return { token, file, ...deriveSecrets(token) };
}

/** The URL-signing key and webhook secret, derived one-way from the token (neither reveals it). */
export function deriveSecrets(token: string): { signingKey: Buffer; webhookSecret: string } {
  const signingKey = createHmac('sha256', token).update('cogdesk api url signing').digest();
  const webhookKey = createHmac('sha256', token).update('cogdesk api webhook signing').digest();
  return { signingKey, webhookSecret: `whsec_${webhookKey.toString('base64')}` };
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/** True when an Authorization header carries the token (`Bearer` as the clients send, or the old `Token`). */
export function hasToken(authorization: string | undefined, token: string): boolean {
  if (!authorization) return false;
  const m = /^(?:Bearer|Token)\s+(\S+)\s*$/i.exec(authorization);
  if (!m) return false;
  // Compare digests: equal length, constant time, nothing learned from where they differ.
  return timingSafeEqual(digest(m[1]), digest(token));
}

const LOOPBACK_NAMES = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * True when a Host header names this machine's loopback. A web page that rebinds its own domain to
 * 127.0.0.1 still sends its domain as the Host, so it is refused.
 */
export function isLoopbackHost(host: string | undefined): boolean {
  if (!host) return false;
  const m = /^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/i.exec(host.trim());
  if (!m) return false;
  const name = m[1].toLowerCase().replace(/\.$/, '');
  return LOOPBACK_NAMES.has(name);
}

/** An unguessable signature of a URL part (base64url HMAC-SHA256). */
export function sign(key: Buffer, payload: string): string {
  return createHmac('sha256', key).update(payload).digest('base64url');
}

export function verifySignature(key: Buffer, payload: string, signature: string | null | undefined): boolean {
  if (!signature) return false;
  const expected = Buffer.from(sign(key, payload));
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
