/**
 * Replicate's HTTP API through the official `replicate` client: its methods where it has them, its
 * `request` for the calls it does not wrap (`/search`, examples, the README, the sorted and cursored
 * model list). Each call runs on a fresh client over guardedFetch (guarded-fetch.ts: only the configured
 * API, https unless on this machine, retries that wait), and every failure becomes a RemoteError
 * (call-failure.ts): what failed, why, what to do; never the token, never the request.
 */
import Replicate from 'replicate';
import { toRemoteError, type CallContext } from './call-failure';
import { guardedFetch, type CallState, type GuardOptions } from './guarded-fetch';

// What the client's callers also need, from the modules that hold it.
export { API_URL_ENV, DEFAULT_API_URL, resolveApiUrl } from './api-url';
export { toRemoteError, type CallContext } from './call-failure';
export { retryDelay } from './guarded-fetch';
export { isRemoteError, RemoteError, UNREACHABLE, type RemoteFailure } from './remote-error';

const USER_AGENT = 'cogdesk/0.1.0 (replicate-javascript/1.4.0)';

export interface RemoteClientOptions extends GuardOptions {
  /** Resolved per call, so a changed setting takes effect at once. */
  baseUrl: () => string;
  /** Asked per call; null when there is no token (the API then answers 401 where it needs one). */
  token: () => Promise<string | null>;
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
    const replicate = new Replicate({ auth: token ?? undefined, baseUrl, fetch: guardedFetch(this.o, baseUrl, state), userAgent: USER_AGENT });
    // With no token the client falls back to process.env.REPLICATE_API_TOKEN: the token store decides, not it.
    (replicate as { auth: string | null }).auth = token;
    try {
      return await fn(replicate);
    } catch (e) {
      throw toRemoteError(e, { ...ctx, baseUrl, hadToken: token !== null, state });
    }
  }
}

function params(p: Record<string, string | number | null | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(p)) if (v !== null && v !== undefined && v !== '') out[k] = String(v);
  return out;
}

async function json<T = unknown>(res: Response): Promise<T> {
  return (await res.json()) as T;
}
