/**
 * What a registry answers, checked before it is trusted: bodies read up to a bound (the rest is never
 * downloaded), content matched against its digest, and the registry's own error text for messages.
 */
import { createHash } from 'node:crypto';
import { CogdeskError } from '../../../shared/errors';

export function sha256(body: Buffer): string {
  return `sha256:${createHash('sha256').update(body).digest('hex')}`;
}

export function verifyDigest(body: Buffer, digest: string, what: string): void {
  const m = /^(sha256|sha512):([a-f0-9]+)$/.exec(digest);
  if (!m) throw new CogdeskError({ code: 'registry_error', message: `${what} has a digest Cogdesk cannot check (${digest})`, hint: 'Pick a version pinned by sha256.' });
  const actual = createHash(m[1]!).update(body).digest('hex');
  if (actual !== m[2]) {
    throw new CogdeskError({
      code: 'registry_error',
      message: `${what} does not match its digest (${digest}, got ${m[1]}:${actual})`,
      hint: 'Something between here and the registry changed the answer: check the network or proxy, then try again.',
    });
  }
}

/** Reads a response body, refusing more than `max` bytes (the rest is not downloaded). */
export async function readBounded(res: Response, max: number, what: string): Promise<Buffer> {
  const declared = Number(res.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > max) {
    await res.body?.cancel().catch(() => undefined);
    throw tooLarge(what, max);
  }
  if (!res.body) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let total = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > max) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(what, max);
    }
    chunks.push(Buffer.from(value));
  }
  return Buffer.concat(chunks);
}

function tooLarge(what: string, max: number): CogdeskError {
  return new CogdeskError({ code: 'registry_error', message: `${what} is larger than ${Math.round(max / 1024 / 1024)} MiB`, hint: 'This is not an image Cogdesk can read; check the registry (COGDESK_REGISTRY).' });
}

export function registryErrorText(body: Buffer): string {
  try {
    const json = JSON.parse(body.toString('utf8')) as { errors?: Array<{ code?: string; message?: string }> };
    return (json.errors ?? []).map((e) => [e.code, e.message].filter(Boolean).join(': ')).join('; ');
  } catch {
    return '';
  }
}
