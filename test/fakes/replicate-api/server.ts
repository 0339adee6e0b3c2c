/**
 * A fake of Replicate's HTTP API (the catalog half, and creating models for pushes) on 127.0.0.1, serving
 * what the real API serves: the recorded bodies (world.ts), absolute `next` URLs with `?cursor=`,
 * problem+json errors, 401 without or with a wrong token wherever the published schema requires one
 * (everything but GET /search), 404s, and throttling (429 with the detail body and Retry-After). It can be
 * stopped and started again on the same port (the network going away and coming back). Every answer of
 * the API is kept, so tests can validate them all against replicate-openapi.json (validate.ts).
 *
 * Pushing (push.ts): `POST /v1/models` creates a model for the token's account; the registry's
 * `POST /cog/v1/verify-token` is served here too (the test registry cannot); and, given a real registry,
 * the fake makes a version of a model of the account when a pushed manifest appears there, the way
 * Replicate does.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createPredictions, type FakePredictions } from './predictions';
import { createPushes, type FakePushes, type FakeRegistry } from './push';
import { buildWorld, recorded, type EchoFixture, type FakeWorld } from './world';

type Obj = Record<string, unknown>;

export interface FakeRequest {
  method: string;
  /** Path without the query, e.g. `/v1/models/fixtures/echo`. */
  path: string;
  query: Record<string, string>;
  /** `none`, `valid` or `wrong` (the token itself is never kept). */
  auth: 'none' | 'valid' | 'wrong';
  body: string;
  /** The body's bytes and type (a multipart file upload). */
  raw: Buffer;
  contentType: string;
}

export interface FakeResponse {
  method: string;
  path: string;
  status: number;
  contentType: string;
  headers: Record<string, string>;
  body: string;
}

export interface FakeReplicateOptions {
  /** The API token the fake accepts. */
  token: string;
  echo: EchoFixture;
  /** Models per page of GET /models (default 4). */
  pageSize?: number;
  /** Replaces fields of the account behind the token (e.g. its `username`, the owner of new models). */
  account?: Record<string, unknown>;
  /** CLI auth tokens `POST /cog/v1/verify-token` knows, with their user names. */
  cliTokens?: Record<string, string>;
  /** The registry pushes go to: versions of the account's models are made from the manifests pushed there. */
  registry?: FakeRegistry;
  /**
   * How many looks at a model (GET of the model or its versions) see a newly pushed manifest before its
   * version appears (Replicate takes a while; default 1: the first look after the push does not show it).
   */
  versionLag?: number;
}

export interface FakeReplicate {
  /** `http://127.0.0.1:<port>/v1` */
  url: string;
  port: number;
  /** `http://127.0.0.1:<port>/cog/v1/verify-token`: the registry's CLI token check (COGDESK_REGISTRY_VERIFY_URL). */
  verifyUrl: string;
  world: FakeWorld;
  /** Models created with POST /models, and making versions from pushed manifests. */
  pushes: FakePushes;
  /** Predictions, their streams, output files and uploads (predictions.ts). */
  predictions: FakePredictions;
  readonly requests: FakeRequest[];
  readonly responses: FakeResponse[];
  /** The next `count` requests (to paths that match, if given) answer 429 with Retry-After: `retryAfter` seconds. */
  throttle(count: number, retryAfter?: number, pathMatch?: RegExp): void;
  /** The next `count` requests (to paths that match, if given) answer `status` (a 5xx or a 404). */
  fail(status: number, count: number, pathMatch?: RegExp): void;
  /** Stops listening and drops every connection: the API is unreachable. */
  stop(): Promise<void>;
  /** Listens again on the same port. */
  start(): Promise<void>;
  close(): Promise<void>;
}

const PROBLEM = 'application/problem+json';

export async function startFakeReplicate(options: FakeReplicateOptions): Promise<FakeReplicate> {
  const world = buildWorld(options.echo);
  if (options.account) Object.assign(world.account, options.account);
  const pushes = createPushes(world, { registry: options.registry, versionLag: options.versionLag ?? 1 });
  const pageSize = options.pageSize ?? 4;
  const requests: FakeRequest[] = [];
  const responses: FakeResponse[] = [];
  const sockets = new Set<Socket>();
  let throttled: { count: number; retryAfter: number; pathMatch?: RegExp } = { count: 0, retryAfter: 1 };
  let failing: { status: number; count: number; pathMatch?: RegExp } = { status: 500, count: 0 };
  let port = 0;
  const predictions = createPredictions(world, () => `http://127.0.0.1:${port}`);

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
      // A prediction's stream and its output files are not the API (no token; not kept for validation).
      if (predictions.serveRaw(req, res, url.pathname)) return;
      const authHeader = req.headers.authorization;
      const request: FakeRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        auth: !authHeader ? 'none' : authHeader === `Bearer ${options.token}` ? 'valid' : 'wrong',
        body: Buffer.concat(chunks).toString('utf8'),
        raw: Buffer.concat(chunks),
        contentType: String(req.headers['content-type'] ?? ''),
      };
      requests.push(request);
      const send = (status: number, body: unknown, contentType = 'application/json', headers: Record<string, string> = {}) => {
        const text = typeof body === 'string' ? body : JSON.stringify(body);
        responses.push({ method: request.method, path: request.path, status, contentType, headers, body: text });
        res.writeHead(status, { 'content-type': contentType, ...headers });
        res.end(text);
      };
      // The registry's token check is not Replicate's API: its answers are not kept for validation.
      if (request.method === 'POST' && url.pathname === '/cog/v1/verify-token') {
        const token = new URLSearchParams(request.body).get('token') ?? '';
        const username = token ? options.cliTokens?.[token] : undefined;
        res.writeHead(username ? 200 : 404, { 'content-type': username ? 'application/json' : 'text/plain' });
        res.end(username ? JSON.stringify({ username }) : 'user does not exist\n');
        return;
      }
      void (async () => {
        // Looking at a model of the account first makes versions of what was pushed to the registry.
        const model = /^\/v1\/models\/([^/]+)\/([^/]+)(?:\/versions(?:\/[^/]+)?)?\/?$/.exec(request.path);
        if (model && request.method === 'GET' && request.auth === 'valid') await pushes.sync(`${model[1]}/${model[2]}`);
        route(request, send);
      })().catch((e: unknown) => send(500, { detail: `fake server error: ${String(e)}`, status: 500 }, PROBLEM));
    });
  });

  function route(r: FakeRequest, send: (status: number, body: unknown, contentType?: string, headers?: Record<string, string>) => void): void {
    if (throttled.count > 0 && (!throttled.pathMatch || throttled.pathMatch.test(r.path))) {
      throttled.count--;
      const s = throttled.retryAfter;
      // The detail as Replicate writes it (replicate-api.md; replicate-python issue 445).
      send(429, { ...recorded<Obj>('error.429.reported-replicate-python-issue-445.json'), detail: `Request was throttled. Your rate limit resets in ~${s}s.`, retry_after: s }, PROBLEM, {
        'retry-after': String(s),
      });
      return;
    }
    if (failing.count > 0 && (!failing.pathMatch || failing.pathMatch.test(r.path))) {
      failing.count--;
      // GET /search declares its 500 as application/json {detail}; elsewhere errors are problem+json.
      const type = r.path === '/v1/search' ? 'application/json' : PROBLEM;
      send(failing.status, { detail: failing.status === 404 ? 'Not found.' : 'Internal server error', status: failing.status }, type);
      return;
    }
    const base = `http://127.0.0.1:${port}/v1`;
    const p = r.path.replace(/\/+$/, '');
    const method = r.method.toUpperCase();

    // GET /search is the one catalog call the published schema lets through without a token.
    const open = method === 'GET' && p === '/v1/search';
    if (!open && r.auth !== 'valid') {
      send(401, recorded('error.401.json'), PROBLEM);
      return;
    }
    const notFound = (detail = 'Not found.') => send(404, { detail, status: 404 }, PROBLEM);
    if (/^\/v1\/(predictions|files)(\/|$)/.test(p)) {
      predictions
        .route(method, p, r.raw, r.contentType, String(world.account.username), send)
        .then((answered) => answered || notFound())
        .catch((e: unknown) => send(500, { detail: `fake server error: ${String(e)}`, status: 500 }, PROBLEM));
      return;
    }

    if (method === 'GET' && p === '/v1/models') return send(200, modelsPage(r.query.cursor), 'application/json; charset=utf-8');
    if (method === 'QUERY' && p === '/v1/models') return send(200, modelSearch(r.body), 'application/json; charset=utf-8');
    if (method === 'GET' && p === '/v1/search') {
      const query = r.query.query ?? '';
      if (!query) return send(400, { detail: 'Query parameter "query" is required' });
      const limit = Math.min(Math.max(Number(r.query.limit ?? 20) || 20, 1), 50);
      return send(200, search(query, limit));
    }
    if (method === 'GET' && p === '/v1/collections') return send(200, { next: null, previous: null, results: world.listedCollections });
    let m = /^\/v1\/collections\/([^/]+)$/.exec(p);
    if (method === 'GET' && m) {
      const c = world.collections.find((x) => x.slug === m![1]);
      if (!c) return notFound();
      return send(200, { name: c.name, slug: c.slug, description: c.description, full_description: c.full_description, models: c.models.map((id) => world.models.get(id)).filter(Boolean) });
    }
    if (method === 'GET' && p === '/v1/hardware') return send(200, world.hardware);
    if (method === 'GET' && p === '/v1/account') return send(200, world.account);
    if (method === 'POST' && p === '/v1/models') {
      const created = pushes.create(r.body);
      return created.ok ? send(201, created.model) : send(created.status, { detail: created.detail, status: created.status }, PROBLEM);
    }

    m = /^\/v1\/models\/([^/]+)\/([^/]+)(\/.*)?$/.exec(p);
    if (method === 'GET' && m) {
      const id = `${m[1]}/${m[2]}`;
      const model = world.models.get(id);
      // A private model is visible to its owner's token only.
      if (!model || (model.visibility === 'private' && model.owner !== world.account.username)) return notFound();
      const rest = m[3] ?? '';
      if (rest === '') return send(200, model);
      if (rest === '/readme') {
        const readme = world.readmes.get(id);
        return readme === undefined ? notFound('README not found') : send(200, readme, 'text/plain; charset=utf-8');
      }
      if (rest === '/versions') return send(200, { next: null, previous: null, results: world.versions.get(id) ?? [] });
      const v = /^\/versions\/([^/]+)$/.exec(rest);
      if (v) {
        const version = (world.versions.get(id) ?? []).find((x) => x.id === v[1]);
        return version ? send(200, version) : notFound();
      }
      if (rest === '/examples') return send(200, { next: null, previous: null, results: world.examples.get(id) ?? [] });
    }
    notFound();

    function modelsPage(cursor: string | undefined): Obj {
      const all = [...world.models.values()].sort((a, b) => latestAt(b).localeCompare(latestAt(a)));
      const offset = cursor ? Number(Buffer.from(cursor, 'base64url').toString('utf8').replace(/^o=/, '')) : 0;
      const results = all.slice(offset, offset + pageSize);
      const nextOffset = offset + pageSize;
      return {
        next: nextOffset < all.length ? `${base}/models?cursor=${Buffer.from(`o=${nextOffset}`).toString('base64url')}` : null,
        previous: offset > 0 ? `${base}/models?cursor=${Buffer.from(`o=${Math.max(0, offset - pageSize)}`).toString('base64url')}` : null,
        results,
      };
    }
  }

  const latestAt = (m: Obj) => ((m.latest_version as Obj | null)?.created_at as string | undefined) ?? '';

  function matches(id: string, words: string[]): boolean {
    const m = world.models.get(id)!;
    const meta = world.searchMetadata.get(id);
    const text = [id, m.description, meta?.generated_description, ...(meta?.tags ?? [])].join(' ').toLowerCase();
    return words.every((w) => text.includes(w));
  }

  function search(query: string, limit: number): Obj {
    const words = query.toLowerCase().split(/\s+/).filter(Boolean);
    const ids = [...world.models.keys()].filter((id) => matches(id, words)).slice(0, limit);
    return {
      query,
      // As the published example shows: the search's model objects carry an empty schema and no default example.
      models: ids.map((id, i) => {
        const m = world.models.get(id)!;
        const lv = m.latest_version as Obj | null;
        const meta = world.searchMetadata.get(id) ?? { tags: [], generated_description: null };
        return {
          model: { ...m, default_example: null, latest_version: lv ? { ...lv, openapi_schema: {} } : null },
          metadata: { generated_description: meta.generated_description, score: 1 / (i + 1), tags: meta.tags },
        };
      }),
      collections: world.collections
        .filter((c) => words.some((w) => `${c.name} ${c.description}`.toLowerCase().includes(w)) || c.models.some((id) => ids.includes(id)))
        .map((c) => ({ description: c.description, models: c.models, name: c.name, slug: c.slug })),
      pages: words.includes('echo') ? [{ href: '/docs/guides/push-a-model', name: 'Push your own model with Cog' }] : [],
    };
  }

  function modelSearch(body: string): Obj {
    // The official JS client sends the query JSON-encoded ("\"llama\"") with Content-Type text/plain.
    let text = body;
    try {
      const parsed: unknown = JSON.parse(body);
      if (typeof parsed === 'string') text = parsed;
    } catch {
      // plain text, as the schema describes
    }
    const words = text.toLowerCase().split(/\s+/).filter(Boolean);
    const results = [...world.models.keys()]
      .filter((id) => matches(id, words))
      .map((id) => {
        const m = world.models.get(id)!;
        // QUERY /models results carry created_at (declared nowhere in the schema) in every recording.
        return { created_at: (m.created_at as string | undefined) ?? '2023-01-01T00:00:00.000000Z', ...m };
      });
    return { next: null, previous: null, results };
  }

  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  const listen = (p: number) =>
    new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(p, '127.0.0.1', () => {
        server.off('error', reject);
        resolve((server.address() as AddressInfo).port);
      });
    });
  port = await listen(0);
  const stop = async () => {
    if (!server.listening) return;
    predictions.api.dropStreams();
    const closed = new Promise<void>((r) => server.close(() => r()));
    for (const s of sockets) s.destroy();
    await closed;
  };

  return {
    url: `http://127.0.0.1:${port}/v1`,
    port,
    verifyUrl: `http://127.0.0.1:${port}/cog/v1/verify-token`,
    world,
    pushes,
    predictions: predictions.api,
    requests,
    responses,
    throttle(count, retryAfter = 1, pathMatch) {
      throttled = { count, retryAfter, pathMatch };
    },
    fail(status, count, pathMatch) {
      failing = { status, count, pathMatch };
    },
    stop,
    async start() {
      if (!server.listening) await listen(port);
    },
    close: stop,
  };
}
