/**
 * The one rule for every catalog read: ask the API; on an answer, write it to the cache with when it was
 * fetched; when the API cannot be asked or cannot answer now (network down, 5xx, throttled), answer from
 * the cache, marked as such and saying why. Other failures (401, 404, ...) are the person's to act on and
 * are thrown. Nothing cached is ever removed by a failure.
 */
import type { Cached } from '../../../shared/catalog';
import { isRemoteError, RemoteError, UNREACHABLE } from './remote-error';

export interface CacheSource<T> {
  /** Asks the API and writes the answer to the cache; returns the data and when it was fetched. */
  fetch: () => Promise<{ data: T; fetchedAt: string }>;
  /** The cached data, or null when nothing usable is cached. */
  cached: () => { data: T; fetchedAt: string } | null;
}

export async function fetchOrCache<T>(source: CacheSource<T>): Promise<Cached<T>> {
  try {
    const { data, fetchedAt } = await source.fetch();
    return { data, fromCache: false, fetchedAt };
  } catch (e) {
    if (!isRemoteError(e, ...UNREACHABLE)) throw e;
    const hit = source.cached();
    if (!hit) throw nothingCached(e);
    return { data: hit.data, fromCache: true, fetchedAt: hit.fetchedAt, notice: cacheNotice(e, hit.fetchedAt) };
  }
}

export function cacheNotice(e: RemoteError, fetchedAt: string): string {
  return `${e.message}. Showing what was cached on ${fetchedAt.replace('T', ' ').slice(0, 19)} UTC.`;
}

/** The same failure, saying that the cache had nothing to show either. */
export function nothingCached(e: RemoteError): RemoteError {
  return new RemoteError(e.reason, {
    message: `${e.message}, and nothing about it is cached on this machine yet.`,
    hint: e.hint,
    details: e.details,
    status: e.status,
    retryAfter: e.retryAfter,
  });
}
