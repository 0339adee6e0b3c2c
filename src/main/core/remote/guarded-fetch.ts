/**
 * The one fetch under the official client, fresh for each logical call, that
 * - sends requests (and so the token) only to the configured API;
 * - waits before the client's retries: the client retries 429 (and 5xx on GET) five times but, as written
 *   in 1.4.0, without waiting and without reading Retry-After, so this fetch honours Retry-After (else
 *   the client's intended 0.5 s, 1 s, 2 s... backoff) within a budget per call, then answers the
 *   remaining retries from memory instead of hammering a throttled API;
 * - tries a dead network once per call (the client would try six times) and times out a silent one.
 */
import { API_URL_ENV } from './api-url';
import { RemoteError } from './remote-error';

/** The client's own retry count (withAutomaticRetries: 5 retries, so up to 6 requests per call). */
const CLIENT_RETRIES = 5;

export interface GuardOptions {
  fetch?: typeof fetch;
  /** How to wait before a retry (tests record the waits). */
  sleep?: (ms: number) => Promise<void>;
  /** The most a single call may spend waiting for retries (default 20 s). */
  retryBudgetMs?: number;
  /** Per request (default 30 s). */
  timeoutMs?: number;
}

/** One logical call's retry state, shared by the requests the client makes for it. */
export interface CallState {
  attempts: number;
  waitedMs: number;
  /** The last error answer, kept to read its detail and to answer the client's remaining retries. */
  last: { status: number; statusText: string; headers: Array<[string, string]>; body: string; url: string; method: string } | null;
  exhausted: boolean;
  networkError: unknown;
  resetOnce?: boolean;
}

export function guardedFetch(o: GuardOptions, baseUrl: string, state: CallState): typeof fetch {
  const base = new URL(`${baseUrl}/`);
  const fetchImpl = o.fetch ?? globalThis.fetch;
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const budget = o.retryBudgetMs ?? 20_000;
  const timeoutMs = o.timeoutMs ?? 30_000;

  return async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (url.origin !== base.origin || !url.pathname.startsWith(base.pathname)) {
      // Never follow an answer's URL (a `next` link) to another host with the token.
      throw new RemoteError('refused', {
        message: `Refused to send a request for Replicate's API to ${url.origin}: it is not the configured API (${base.origin})`,
        hint: `Cogdesk only talks to ${baseUrl}; set ${API_URL_ENV} if the API moved.`,
      });
    }
    if (state.networkError !== undefined) throw state.networkError;
    if (state.exhausted && state.last) return replay(state.last);
    const attempt = state.attempts++;
    const method = (init?.method ?? 'GET').toUpperCase();
    const signals = [AbortSignal.timeout(timeoutMs), ...(init?.signal ? [init.signal] : [])];
    let res: Response;
    try {
      res = await fetchImpl(url, { ...init, signal: AbortSignal.any(signals) });
    } catch (e) {
      // A reset kept-alive connection is worth one more try (the client makes it); a refused connection,
      // an unknown host or a timeout is not: the remaining retries fail at once with the same error.
      if (!(RESET_CODES.has(networkCode(e)) && !state.resetOnce)) state.networkError = e;
      state.resetOnce = true;
      throw e;
    }
    if (res.ok) return res;
    state.last = {
      status: res.status,
      statusText: res.statusText,
      headers: [...res.headers.entries()],
      body: await res.text().catch(() => ''),
      url: url.pathname,
      method,
    };
    const retried = res.status === 429 || (method === 'GET' && res.status >= 500);
    if (retried) {
      const delay = retryDelay(res.headers.get('retry-after'), attempt);
      if (attempt < CLIENT_RETRIES && state.waitedMs + delay <= budget) {
        await sleep(delay);
        state.waitedMs += delay;
      } else {
        state.exhausted = true;
      }
    }
    return replay(state.last);
  };
}

function replay(last: NonNullable<CallState['last']>): Response {
  return new Response(last.body, { status: last.status, statusText: last.statusText, headers: last.headers });
}

/** Retry-After (seconds or an HTTP date), else the client's intended backoff: 0.5 s, 1 s, 2 s, ... */
export function retryDelay(retryAfter: string | null, attempt: number, now = Date.now()): number {
  if (retryAfter) {
    if (/^\d+$/.test(retryAfter.trim())) return Number(retryAfter.trim()) * 1000;
    const at = Date.parse(retryAfter);
    if (!Number.isNaN(at)) return Math.max(0, at - now);
  }
  return 500 * 2 ** attempt;
}

const RESET_CODES = new Set(['UND_ERR_SOCKET', 'ECONNRESET', 'EPIPE', 'UND_ERR_CLOSED']);

/** The error code of a failed fetch (ECONNREFUSED, ...), else the innermost cause's message ("bad port"). */
export function networkCode(e: unknown): string {
  let cur: unknown = e;
  let message = e instanceof Error ? e.message : String(e);
  for (let i = 0; i < 5 && cur; i++) {
    const c = cur as { code?: unknown; name?: unknown; cause?: unknown; message?: unknown };
    if (typeof c.code === 'string') return c.code;
    if (c.name === 'TimeoutError') return 'timed out';
    if (c.name === 'AbortError') return 'aborted';
    if (typeof c.message === 'string' && c.message) message = c.message;
    cur = c.cause;
  }
  return message;
}
