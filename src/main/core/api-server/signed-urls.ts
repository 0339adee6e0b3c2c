/**
 * The URLs that work without the token (an output file, an upload's download, a prediction's event stream)
 * carry `expiry=<unix seconds>&signature=<HMAC>`; the signature covers what the URL names and its expiry.
 * They last SIGNED_URL_LIFETIME_MS, rounded up to the next full hour so that the same prediction gives the
 * same URLs for a while; the API gives fresh ones each time it shows the prediction or the file again.
 */
import { sign, verifySignature } from './auth';
import { ApiProblem } from './problem';

/** How long a signed URL works (between this and an hour more). */
export const SIGNED_URL_LIFETIME_MS = 24 * 60 * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;

/** The expiry (unix seconds) of a URL made at `now`. */
export function urlExpiry(now: number): number {
  return (Math.ceil((now + SIGNED_URL_LIFETIME_MS) / HOUR_MS) * HOUR_MS) / 1000;
}

/** The signature of one URL: `payload` names what it gives access to. */
export function signUrl(key: Buffer, payload: string, expiry: number): string {
  return sign(key, `${payload} ${expiry}`);
}

/**
 * True when the URL's one signature is valid for `payload` and its expiry, false when it carries none or a
 * wrong one (the token is then needed). A URL with more than one `signature` or `expiry`, or a valid one
 * that has expired, is refused with an answer that says so.
 */
export function checkSignedUrl(key: Buffer, url: URL, payload: string, refresh: string, now = Date.now()): boolean {
  const signatures = url.searchParams.getAll('signature');
  const expiries = url.searchParams.getAll('expiry');
  if (signatures.length === 0) return false;
  for (const [name, values] of [['signature', signatures], ['expiry', expiries]] as const) {
    if (values.length > 1) {
      throw new ApiProblem(400, 'Bad request', `The URL carries ${values.length} "${name}" parameters; a signed URL has exactly one`, {
        hint: 'Use the URL exactly as the API gave it.',
      });
    }
  }
  const expiry = Number(expiries[0]);
  if (expiries.length !== 1 || !/^\d{1,12}$/.test(expiries[0])) return false;
  if (!verifySignature(key, `${payload} ${expiry}`, signatures[0])) return false;
  if (expiry * 1000 <= now) {
    throw new ApiProblem(403, 'Link expired', `This signed URL expired at ${new Date(expiry * 1000).toISOString()}`, {
      hint: `Signed URLs last 24 hours. ${refresh}`,
    });
  }
  return true;
}
