/**
 * Replicate's HTTP API through the official `replicate` client: its methods where it has them, its
 * `request` for the calls it does not wrap (`/search`, examples, the README, the sorted and cursored
 * model list). Around it, one fetch that
 * - sends requests (and so the token) only to the configured API, and only over https unless the API is on
 *   this machine;
 * - waits before the client's retries: the client retries 429 (and 5xx on GET) five times but, as written
 *   in 1.4.0, without waiting and without reading Retry-After, so this fetch honours Retry-After (else
 *   the client's intended 0.5 s, 1 s, 2 s... backoff) within a budget per call, then answers the
 *   remaining retries from memory instead of hammering a throttled API;
 * - tries a dead network once per call (the client would try six times) and times out a silent one.
 * Every failure becomes a RemoteError: what failed, why, what to do; never the token, never the request.
 */
import Replicate from 'replicate';
import { CogdeskError, type ErrorCode } from '../../../shared/errors';
import { TOKEN_ENV, TOKEN_PAGE } from './token';

export const DEFAULT_API_URL = 'https://api.replicate.com/v1';
export const API_URL_ENV = 'COGDESK_REPLICATE_API';
const USER_AGENT = 'cogdesk/0.1.0 (replicate-javascript/1.4.0)';

/** The client's own retry count (withAutomaticRetries: 5 retries, so up to 6 requests per call). */
const CLIENT_RETRIES = 5;

export type RemoteFailure =
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'throttled'
  | 'server'
  | 'network'
  | 'bad_request'
  | 'bad_response'
  | 'refused';

/** The nearest existing ErrorCode for each failure (the reason itself is on RemoteError.reason). */
const CODES: Record<RemoteFailure, ErrorCode> = {
  unauthorized: 'registry_unauthorized',
  forbidden: 'registry_unauthorized',
  not_found: 'not_found',
  throttled: 'registry_error',
  server: 'registry_error',
  network: 'registry_error',
  bad_request: 'bad_request',
  bad_response: 'internal',
  refused: 'bad_request',
};

export class RemoteError extends CogdeskError {
  readonly reason: RemoteFailure;
  readonly status?: number;
  /** Seconds the API asked to wait (429 Retry-After). */
  readonly retryAfter?: number;

  constructor(reason: RemoteFailure, info: { message: string; hint?: string; details?: string; status?: number; retryAfter?: number }) {
    super({ code: CODES[reason], message: info.message, hint: info.hint, details: info.details });
    this.name = 'RemoteError';
    this.reason = reason;
    if (info.status !== undefined) this.status = info.status;
    if (info.retryAfter !== undefined) this.retryAfter = info.retryAfter;
  }
}

export function isRemoteError(e: unknown, ...reasons: RemoteFailure[]): e is RemoteError {
  return e instanceof RemoteError && (reasons.length === 0 || reasons.includes(e.reason));
}

/** Failures that the cache may answer for: the API could not be asked, or could not answer now. */
export const UNREACHABLE: readonly RemoteFailure[] = ['network', 'server', 'throttled'];

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/**
 * The API's base URL: COGDESK_REPLICATE_API, else the setting, else https://api.replicate.com/v1.
 * Plain http is refused unless the host is this machine (a token must never cross a network in clear).
 */
export function resolveApiUrl(o: { env?: NodeJS.ProcessEnv; setting?: string | null } = {}): string {
  const env = o.env ?? process.env;
  const raw = (env[API_URL_ENV] || o.setting || DEFAULT_API_URL).trim();
  const from = env[API_URL_ENV] ? API_URL_ENV : o.setting ? 'the Replicate API setting' : 'the default';
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new RemoteError('refused', {
      message: `"${raw}" (${from}) is not a URL`,
      hint: `Set it to Replicate's API, ${DEFAULT_API_URL}, or unset ${API_URL_ENV}.`,
    });
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.has(url.hostname))) {
    throw new RemoteError('refused', {
      message: `The Replicate API URL ${raw} (${from}) is not https: the API token would travel in clear`,
      hint: `Use an https:// URL (Replicate's is ${DEFAULT_API_URL}); plain http is only allowed on this machine (127.0.0.1).`,
    });
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new RemoteError('refused', {
      message: `The Replicate API URL (${from}) must be a plain base URL like ${DEFAULT_API_URL}`,
      hint: 'Leave out user names, passwords, ?queries and #fragments.',
    });
  }
  return url.href.replace(/\/+$/, '');
}

export interface RemoteClientOptions {
  /** Resolved per call, so a changed setting takes effect at once. */
  baseUrl: () => string;
  /** Asked per call; null when there is no token (the API then answers 401 where it needs one). */
  token: () => Promise<string | null>;
  fetch?: typeof fetch;
  /** How to wait before a retry (tests record the waits). */
  sleep?: (ms: number) => Promise<void>;
  /** The most a single call may spend waiting for retries (default 20 s). */
  retryBudgetMs?: number;
  /** Per request (default 30 s). */
  timeoutMs?: number;
}

interface CallState {
  attempts: number;
  waitedMs: number;
  /** The last error answer, kept to read its detail and to answer the client's remaining retries. */
  last: { status: number; statusText: string; headers: Array<[string, string]>; body: string; url: string; method: string } | null;
  exhausted: boolean;
  networkError: unknown;
  resetOnce?: boolean;
}

/** What a call is for, in words ("search models", "get the model fixtures/echo"). */
export interface CallContext {
  doing: string;
  /** What a 404 means for this call ("No model fixtures/nope on Replicate"). */
  notFound?: string;
}

type Page = { next?: string | null; previous?: string | null; results?: unknown[] };

export class RemoteClient {
  constructor(private readonly o: RemoteClientOptions) {}

  get baseUrl(): string {
    return this.o.baseUrl();
  }

  // --- the calls ------------------------------------------------------------------------------------

  /** GET /models, newest version first, by cursor. */
  listModels(cursor: string | null): Promise<Page> {
    return this.call({ doing: 'list public models' }, async (r) =>
      json<Page>(await r.request('/models', { params: params({ sort_by: 'latest_version_created_at', sort_direction: 'desc', cursor }) })),
    );
  }

  /** GET /search (beta): models with metadata, collections and documentation pages. */
  search(query: string, limit: number): Promise<unknown> {
    return this.call({ doing: 'search' }, async (r) => json(await r.request('/search', { params: params({ query, limit }) })));
  }

  /** QUERY /models: the older model search (the official client's models.search). */
  searchModels(query: string): Promise<Page> {
    return this.call({ doing: 'search models' }, (r) => r.models.search(query) as Promise<Page>);
  }

  getModel(owner: string, name: string): Promise<unknown> {
    return this.call({ doing: `get the model ${owner}/${name}`, notFound: `No model ${owner}/${name} on Replicate` }, (r) =>
      r.models.get(owner, name),
    );
  }

  /** The README as Markdown. */
  readme(owner: string, name: string): Promise<string> {
    return this.call({ doing: `get the README of ${owner}/${name}`, notFound: `${owner}/${name} has no README on Replicate` }, async (r) =>
      (await r.request(`/models/${owner}/${name}/readme`, { method: 'GET' })).text(),
    );
  }

  listVersions(owner: string, name: string): Promise<Page> {
    return this.call({ doing: `list the versions of ${owner}/${name}`, notFound: `No model ${owner}/${name} on Replicate` }, (r) =>
      r.models.versions.list(owner, name) as Promise<Page>,
    );
  }

  getVersion(owner: string, name: string, id: string): Promise<unknown> {
    return this.call(
      { doing: `get version ${id} of ${owner}/${name}`, notFound: `${owner}/${name} has no version ${id} on Replicate` },
      (r) => r.models.versions.get(owner, name, id),
    );
  }

  listExamples(owner: string, name: string): Promise<Page> {
    return this.call({ doing: `list the examples of ${owner}/${name}`, notFound: `No model ${owner}/${name} on Replicate` }, async (r) =>
      json<Page>(await r.request(`/models/${owner}/${name}/examples`, { method: 'GET' })),
    );
  }

  listCollections(cursor: string | null): Promise<Page> {
    return this.call({ doing: 'list collections' }, async (r) =>
      cursor ? json<Page>(await r.request('/collections', { params: { cursor } })) : (r.collections.list() as Promise<Page>),
    );
  }

  getCollection(slug: string): Promise<unknown> {
    return this.call({ doing: `get the collection ${slug}`, notFound: `No collection "${slug}" on Replicate` }, (r) => r.collections.get(slug));
  }

  listHardware(): Promise<unknown> {
    return this.call({ doing: 'list hardware' }, (r) => r.hardware.list());
  }

  account(): Promise<unknown> {
    return this.call({ doing: 'get the account behind the API token' }, (r) => r.accounts.current());
  }

  // --- the machinery ----------------------------------------------------------------------------------

  /** Runs one logical call on a fresh client whose fetch keeps this call's retry state. */
  async call<T>(ctx: CallContext, fn: (r: Replicate) => Promise<T>): Promise<T> {
    const baseUrl = this.o.baseUrl();
    const token = await this.o.token();
    const state: CallState = { attempts: 0, waitedMs: 0, last: null, exhausted: false, networkError: undefined };
    const replicate = new Replicate({ auth: token ?? undefined, baseUrl, fetch: this.guardedFetch(baseUrl, state), userAgent: USER_AGENT });
    // With no token the client falls back to process.env.REPLICATE_API_TOKEN: the token store decides, not it.
    (replicate as { auth: string | null }).auth = token;
    try {
      return await fn(replicate);
    } catch (e) {
      throw toRemoteError(e, { ...ctx, baseUrl, hadToken: token !== null, state });
    }
  }

  private guardedFetch(baseUrl: string, state: CallState): typeof fetch {
    const base = new URL(`${baseUrl}/`);
    const fetchImpl = this.o.fetch ?? globalThis.fetch;
    const sleep = this.o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
    const budget = this.o.retryBudgetMs ?? 20_000;
    const timeoutMs = this.o.timeoutMs ?? 30_000;

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

function params(p: Record<string, string | number | null | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(p)) if (v !== null && v !== undefined && v !== '') out[k] = String(v);
  return out;
}

async function json<T = unknown>(res: Response): Promise<T> {
  return (await res.json()) as T;
}

/** The `detail` (and `title`) of a problem+json body, else a short piece of the text. */
function problemDetail(body: string | undefined): string | null {
  if (!body) return null;
  try {
    const parsed = JSON.parse(body) as { detail?: unknown; title?: unknown };
    const detail = typeof parsed.detail === 'string' ? parsed.detail : null;
    const title = typeof parsed.title === 'string' ? parsed.title : null;
    if (detail || title) return [title, detail].filter(Boolean).join(': ');
  } catch {
    // not JSON
  }
  const text = body.trim().replace(/\s+/g, ' ');
  return text ? text.slice(0, 200) : null;
}

const RESET_CODES = new Set(['UND_ERR_SOCKET', 'ECONNRESET', 'EPIPE', 'UND_ERR_CLOSED']);

const NETWORK_WORDS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host not found',
  ENETUNREACH: 'network unreachable',
  EHOSTUNREACH: 'host unreachable',
  ECONNRESET: 'connection reset',
  UND_ERR_SOCKET: 'connection closed',
  UND_ERR_CONNECT_TIMEOUT: 'timed out',
};

/** The error code of a failed fetch (ECONNREFUSED, ...), else the innermost cause's message ("bad port"). */
function networkCode(e: unknown): string {
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

export function toRemoteError(
  e: unknown,
  ctx: CallContext & { baseUrl: string; hadToken: boolean; state?: CallState },
): RemoteError {
  if (e instanceof RemoteError) return e;
  const apiError = e as { name?: string; response?: Response };
  const last = ctx.state?.last;
  if (apiError?.name === 'ApiError' && apiError.response) {
    const status = apiError.response.status;
    const detail = problemDetail(last?.body);
    const said = detail ? ` (${status}: ${detail})` : ` (${status})`;
    const where = last ? `${last.method} ${last.url} -> ${status}` : `${status}`;
    if (status === 401) {
      return new RemoteError('unauthorized', {
        status,
        message: ctx.hadToken
          ? `Replicate refused the API token${said}`
          : `Replicate needs an API token to ${ctx.doing}, and none is set${said}`,
        hint: `Create a token at ${TOKEN_PAGE}, then run \`cogdesk login\` (or set ${TOKEN_ENV}).`,
        details: where,
      });
    }
    if (status === 403) {
      return new RemoteError('forbidden', {
        status,
        message: `Replicate does not allow this token to ${ctx.doing}${said}`,
        hint: `Check which account the token belongs to (\`cogdesk account\`), or use a token from ${TOKEN_PAGE} with access.`,
        details: where,
      });
    }
    if (status === 404) {
      return new RemoteError('not_found', {
        status,
        message: ctx.notFound ?? `Replicate has nothing at ${last?.url ?? 'that address'}${said}`,
        hint: 'Check the spelling (owner/name); find models with `cogdesk search WORDS`.',
        details: where,
      });
    }
    if (status === 429) {
      const retryAfterHeader = apiError.response.headers.get('retry-after');
      const retryAfter = retryAfterHeader ? Math.ceil(retryDelay(retryAfterHeader, 0) / 1000) : undefined;
      const waited = ctx.state?.waitedMs ? `; Cogdesk waited ${Math.round(ctx.state.waitedMs / 1000)} s and retried, then gave up` : '';
      return new RemoteError('throttled', {
        status,
        retryAfter,
        message: `Replicate is limiting requests${said}${waited}`,
        hint: `Wait ${retryAfter !== undefined ? `about ${retryAfter} s` : 'a minute'} and try again.`,
        details: where,
      });
    }
    if (status >= 500) {
      return new RemoteError('server', {
        status,
        message: `Replicate's API failed to ${ctx.doing}${said}`,
        hint: 'This is on Replicate\'s side: try again in a few minutes (status: https://replicatestatus.com).',
        details: where,
      });
    }
    return new RemoteError('bad_request', {
      status,
      message: `Replicate refused to ${ctx.doing}${said}`,
      hint: 'Check what you asked for and try again.',
      details: where,
    });
  }
  if (e instanceof SyntaxError) {
    return new RemoteError('bad_response', {
      message: `Replicate's API answered something that is not JSON while trying to ${ctx.doing}`,
      hint: `Check that ${ctx.baseUrl} is Replicate's API (${API_URL_ENV}), then try again.`,
      details: e.message,
    });
  }
  const code = networkCode(e);
  const words = NETWORK_WORDS[code] ? `${NETWORK_WORDS[code]}, ${code}` : code;
  return new RemoteError('network', {
    message: `Cannot reach Replicate's API at ${ctx.baseUrl} to ${ctx.doing} (${words})`,
    hint: `Check the network connection${ctx.baseUrl === DEFAULT_API_URL ? '' : ` and ${API_URL_ENV}`}, then try again.`,
  });
}
