/**
 * Predictions in the fake Replicate API: POST /v1/predictions (`version`: a version id, `owner/name:id` or
 * `owner/name`), GET/list, cancel, the lifecycle (starting -> processing -> succeeded/failed/canceled, with
 * started_at, completed_at and metrics.predict_time), `urls.stream` as server-sent events in Replicate's
 * format (`output`, `logs`, `error`, `done`), the files API (POST /v1/files, multipart) and output files
 * served like replicate.delivery. The stream and the delivered files are not API answers: they are not kept
 * for validation.
 *
 * A test drives each prediction (`begin`, `output`, `log`, `succeed`, `fail`) and waits for what Cogdesk
 * shows; or `auto` runs every new prediction at once: its output is the words of its `text` or `prompt`.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FakeWorld } from './world';

type Obj = Record<string, unknown>;
type Send = (status: number, body: unknown, contentType?: string, headers?: Record<string, string>) => void;

export interface FakeRun {
  body: Obj;
  /** The events of its stream so far (replayed to each new listener). */
  events: Array<{ event: string; data: string; id: string }>;
  /** When processing began (for predict_time). */
  began: number | null;
}

export interface FakeUpload {
  id: string;
  name: string;
  contentType: string;
  bytes: Buffer;
}

export interface FakePredictions {
  readonly runs: Map<string, FakeRun>;
  /** Files uploaded through POST /v1/files. */
  readonly uploads: FakeUpload[];
  /** Run every new prediction at once (output: the words of its `text` or `prompt` input). */
  auto: boolean;
  /** The next `count` creates answer 402 (no credit). */
  noCredit(count?: number): void;
  /** Resolves with the id of the n-th prediction created (1-based), once it exists. */
  created(n?: number): Promise<string>;
  begin(id: string): void;
  output(id: string, chunk: unknown): void;
  log(id: string, line: string): void;
  succeed(id: string, output?: unknown): void;
  fail(id: string, error: string): void;
  /** A file served as an output (like replicate.delivery): its URL. */
  file(name: string, bytes: Buffer): string;
  /** A prediction made elsewhere (the web, another client), finished: its id. */
  seed(body: Partial<Obj> & { model: string; input: Obj }): string;
  /** Ends every open stream (as a network going away would). */
  dropStreams(): void;
}

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';
const newId = () => [...randomBytes(26)].map((b) => ALPHABET[b & 31]).join('');
const now = () => new Date().toISOString();
const TERMINAL = ['succeeded', 'failed', 'canceled', 'aborted'];

export function createPredictions(world: FakeWorld, origin: () => string) {
  const runs = new Map<string, FakeRun>();
  const uploads: FakeUpload[] = [];
  const delivered = new Map<string, Buffer>();
  const listeners = new Map<string, Set<ServerResponse>>();
  const waiters: Array<{ n: number; resolve: (id: string) => void }> = [];
  let noCredit = 0;
  const order: string[] = [];

  const run = (id: string): FakeRun => {
    const r = runs.get(id);
    if (!r) throw new Error(`the fake has no prediction ${id}`);
    return r;
  };

  function emit(id: string, event: string, data: string): void {
    const r = run(id);
    const e = { event, data, id: `${Date.now()}:${r.events.length}` };
    r.events.push(e);
    for (const res of listeners.get(id) ?? []) {
      res.write(sse(e));
      if (event === 'done') res.end();
    }
    if (event === 'done') listeners.delete(id);
  }

  function finish(id: string, status: string, patch: Obj = {}): void {
    const r = run(id);
    if (TERMINAL.includes(r.body.status as string)) return;
    const completed = Date.now();
    if (r.began === null) r.began = completed;
    Object.assign(r.body, patch, {
      status,
      started_at: r.body.started_at ?? new Date(r.began).toISOString(),
      completed_at: new Date(completed).toISOString(),
      metrics: { predict_time: (completed - r.began) / 1000 + 0.25, total_time: (completed - Date.parse(r.body.created_at as string)) / 1000 + 0.5 },
    });
    if (status === 'failed') emit(id, 'error', JSON.stringify({ detail: r.body.error }));
    emit(id, 'done', status === 'canceled' ? JSON.stringify({ reason: 'canceled' }) : '{}');
  }

  const api: FakePredictions = {
    runs,
    uploads,
    auto: false,
    noCredit(count = 1) {
      noCredit = count;
    },
    created(n = 1) {
      if (order.length >= n) return Promise.resolve(order[n - 1]);
      return new Promise((resolve) => waiters.push({ n, resolve }));
    },
    begin(id) {
      const r = run(id);
      if (r.body.status !== 'starting') return;
      r.began = Date.now();
      Object.assign(r.body, { status: 'processing', started_at: now() });
    },
    output(id, chunk) {
      api.begin(id);
      const r = run(id);
      r.body.output = [...((r.body.output as unknown[] | null) ?? []), chunk];
      emit(id, 'output', typeof chunk === 'string' ? chunk : JSON.stringify(chunk));
    },
    log(id, line) {
      api.begin(id);
      const r = run(id);
      r.body.logs = `${(r.body.logs as string) ?? ''}${line}\n`;
      emit(id, 'logs', line);
    },
    succeed(id, output) {
      finish(id, 'succeeded', output === undefined ? {} : { output });
    },
    fail(id, error) {
      finish(id, 'failed', { error });
    },
    file(name, bytes) {
      const key = `${newId()}/${name}`;
      delivered.set(key, bytes);
      return `${origin()}/delivery/${key}`;
    },
    seed(body) {
      const id = newId();
      const started = Date.now() - 3000;
      runs.set(id, {
        body: prediction(id, { ...body, status: 'succeeded', source: 'web', started_at: new Date(started).toISOString(), completed_at: now(), metrics: { predict_time: 2.5, total_time: 3 }, ...body }),
        events: [],
        began: started,
      });
      return id;
    },
    dropStreams() {
      for (const set of listeners.values()) for (const res of set) res.destroy();
      listeners.clear();
    },
  };

  function prediction(id: string, fields: Obj): Obj {
    const base = origin();
    return {
      id,
      model: fields.model,
      version: fields.version ?? 'hidden',
      input: fields.input,
      logs: '',
      output: null,
      data_removed: false,
      error: null,
      status: 'starting',
      created_at: now(),
      source: 'api',
      ...fields,
      urls: {
        cancel: `${base}/v1/predictions/${id}/cancel`,
        get: `${base}/v1/predictions/${id}`,
        stream: `${base}/stream/${id}`,
        web: `https://replicate.com/p/${id}`,
      },
    };
  }

  /** Which model (and version) a create's `version` names; null when none the token may run. */
  function resolve(version: string, account: string): { model: string; version: string } | null {
    const visible = (id: string) => {
      const m = world.models.get(id);
      return m && (m.visibility !== 'private' || m.owner === account) ? m : null;
    };
    const pinned = /^([^/:]+\/[^/:]+):([a-f0-9]{64})$/.exec(version);
    if (pinned) return visible(pinned[1]) && (world.versions.get(pinned[1]) ?? []).some((v) => v.id === pinned[2]) ? { model: pinned[1], version: pinned[2] } : null;
    if (/^[a-f0-9]{64}$/.test(version)) {
      for (const [model, versions] of world.versions) if (versions.some((v) => v.id === version) && visible(model)) return { model, version };
      return null;
    }
    const m = visible(version);
    if (!m) return null;
    const latest = (m.latest_version as Obj | null)?.id as string | undefined;
    return { model: version, version: latest ?? 'hidden' };
  }

  function autoRun(id: string): void {
    const r = run(id);
    const text = String(r.body.input && ((r.body.input as Obj).text ?? (r.body.input as Obj).prompt ?? 'ok'));
    setTimeout(() => {
      if (TERMINAL.includes(r.body.status as string)) return;
      api.log(id, `running ${r.body.model}`);
      for (const w of text.split(' ')) api.output(id, `${w} `);
      api.succeed(id);
    }, 30);
  }

  /** Answers the calls this module serves; false for anything else. */
  async function route(method: string, path: string, raw: Buffer, requestType: string, account: string, send: Send): Promise<boolean> {
    const body = raw.toString('utf8');
    if (method === 'POST' && path === '/v1/predictions') {
      let req: Obj;
      try {
        req = JSON.parse(body) as Obj;
      } catch {
        send(400, { detail: 'The request body is not JSON.', status: 400 }, 'application/problem+json');
        return true;
      }
      if (noCredit > 0) {
        noCredit--;
        send(402, { title: 'Insufficient credit', detail: 'You have insufficient credit to run this model. Go to https://replicate.com/account/billing#billing to purchase credit. Once you purchase credit, please wait a few minutes before trying the prediction again.', status: 402 }, 'application/problem+json');
        return true;
      }
      const target = typeof req.version === 'string' ? resolve(req.version, account) : null;
      if (!target) {
        send(422, { title: 'Invalid version', detail: 'The specified version does not exist (or perhaps you don\'t have permission to use it?)', status: 422 }, 'application/problem+json');
        return true;
      }
      const id = newId();
      runs.set(id, { body: prediction(id, { model: target.model, version: target.version, input: req.input ?? {} }), events: [], began: null });
      order.push(id);
      for (const w of waiters.filter((x) => x.n === order.length)) w.resolve(id);
      if (api.auto) autoRun(id);
      send(201, run(id).body);
      return true;
    }
    if (method === 'GET' && path === '/v1/predictions') {
      const results = [...runs.values()].map((r) => r.body).reverse();
      send(200, { next: null, previous: null, results });
      return true;
    }
    let m = /^\/v1\/predictions\/([^/]+)(\/cancel)?$/.exec(path);
    if (m && (method === 'GET' || (method === 'POST' && m[2]))) {
      const r = runs.get(m[1]);
      if (!r) {
        send(404, { detail: 'Not found.', status: 404 }, 'application/problem+json');
        return true;
      }
      if (m[2]) finish(m[1], 'canceled');
      send(200, r.body);
      return true;
    }
    if (method === 'POST' && path === '/v1/files') {
      const form: FormData = await new Response(raw, { headers: { 'content-type': requestType } }).formData();
      const content = form.get('content');
      if (!(content instanceof Blob)) {
        send(400, { detail: 'A file upload needs a "content" part.', status: 400 }, 'application/problem+json');
        return true;
      }
      const bytes = Buffer.from(await content.arrayBuffer());
      const id = Buffer.from(randomBytes(18)).toString('base64url');
      const name = content instanceof File && content.name ? content.name : 'file';
      const contentType: string = content.type || 'application/octet-stream';
      uploads.push({ id, name, contentType, bytes });
      const created = new Date();
      send(201, {
        id,
        name,
        content_type: contentType,
        size: bytes.length,
        etag: createHash('md5').update(bytes).digest('hex'),
        checksums: { sha256: createHash('sha256').update(bytes).digest('hex'), md5: createHash('md5').update(bytes).digest('hex') },
        metadata: {},
        created_at: created.toISOString(),
        expires_at: new Date(created.getTime() + 86_400_000).toISOString(),
        urls: { get: `${origin()}/v1/files/${id}` },
      });
      return true;
    }
    m = /^\/v1\/files\/([^/]+)$/.exec(path);
    if (method === 'GET' && m && uploads.some((u) => u.id === m![1])) {
      const u = uploads.find((x) => x.id === m![1])!;
      send(200, { id: u.id, name: u.name, content_type: u.contentType, size: u.bytes.length, etag: '', checksums: {}, metadata: {}, created_at: now(), expires_at: now(), urls: { get: `${origin()}/v1/files/${u.id}` } });
      return true;
    }
    return false;
  }

  /** The stream and the delivered files: not the API (no token, not validated); false for anything else. */
  function serveRaw(req: IncomingMessage, res: ServerResponse, path: string): boolean {
    let m = /^\/stream\/([^/]+)$/.exec(path);
    if (req.method === 'GET' && m) {
      const r = runs.get(m[1]);
      if (!r) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
        return true;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
      const last = req.headers['last-event-id'];
      const from = last ? r.events.findIndex((e) => e.id === last) + 1 : 0;
      for (const e of r.events.slice(from)) res.write(sse(e));
      if (r.events.some((e) => e.event === 'done')) {
        res.end();
        return true;
      }
      const set = listeners.get(m[1]) ?? new Set();
      set.add(res);
      listeners.set(m[1], set);
      res.on('close', () => set.delete(res));
      return true;
    }
    m = /^\/delivery\/(.+)$/.exec(path);
    if (req.method === 'GET' && m) {
      const bytes = delivered.get(m[1]);
      if (!bytes) res.writeHead(404, { 'content-type': 'text/plain' }).end('gone');
      else res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(bytes.length) }).end(bytes);
      return true;
    }
    return false;
  }

  return { api, route, serveRaw };
}

/** One server-sent event as Replicate writes them (each line of the data on its own `data:` line). */
function sse(e: { event: string; data: string; id: string }): string {
  return `event: ${e.event}\nid: ${e.id}\n${e.data.split('\n').map((l) => `data: ${l}`).join('\n')}\n\n`;
}
