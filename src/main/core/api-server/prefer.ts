/** The request headers that shape a create: `Prefer: wait[=N]` (sync mode) and `Cancel-After`. */

/** The longest a create blocks, as on Replicate. */
export const MAX_WAIT_SECONDS = 60;

/**
 * Seconds to block for, from `Prefer` (RFC 7240: comma-separated preferences): `wait` is 60, `wait=N` is N
 * kept within 1..60 (a preference, not a command: out-of-range values are bent, not refused). Null when
 * the request does not ask to wait.
 */
export function parsePreferWait(header: string | string[] | undefined): number | null {
  if (header === undefined) return null;
  const all = (Array.isArray(header) ? header.join(',') : header).split(',');
  for (const pref of all) {
    const [rawKey, rawValue] = pref.split(';')[0].split('=');
    if (rawKey.trim().toLowerCase() !== 'wait') continue;
    if (rawValue === undefined) return MAX_WAIT_SECONDS;
    const n = Number(rawValue.trim().replace(/^"|"$/g, ''));
    if (!Number.isFinite(n)) return MAX_WAIT_SECONDS;
    return Math.min(MAX_WAIT_SECONDS, Math.max(1, Math.ceil(n)));
  }
  return null;
}

/** The shortest `Cancel-After` Replicate allows. */
export const MIN_CANCEL_AFTER_MS = 5_000;

/**
 * `Cancel-After` as milliseconds: `30`, `30s`, `5m`, `1h30m45s` (units h, m, s; bare numbers are seconds).
 * Null when the text is not such a duration.
 */
export function parseDuration(text: string): number | null {
  const t = text.trim().toLowerCase();
  if (/^\d+(\.\d+)?$/.test(t)) return Math.round(Number(t) * 1000);
  const m = /^(?:(\d+(?:\.\d+)?)h)?(?:(\d+(?:\.\d+)?)m)?(?:(\d+(?:\.\d+)?)s)?$/.exec(t);
  if (!m || t === '') return null;
  const [h, min, s] = [m[1], m[2], m[3]].map((x) => (x ? Number(x) : 0));
  return Math.round(((h * 60 + min) * 60 + s) * 1000);
}
