/**
 * The engine's values in Replicate's shapes (replicate-openapi.json): a domain Prediction as the prediction
 * JSON (`urls` absolute, output files as URLs this server serves or as `data:` URIs), models and versions
 * from the local library.
 */
import { sep } from 'node:path';
import type { Model, Prediction, PredictionMetrics, Version } from '../../../shared/domain';
import { fileAsDataUri, type FileStore, type StoredFile } from './files';
import { apiModelName, apiModelString } from './names';
import { signUrl, urlExpiry } from './signed-urls';

/** Where one request came in, so the URLs in its answer point back the same way. */
export interface Links {
  /** `http://127.0.0.1:PORT` (the Host the client used). */
  origin: string;
  /** `${origin}/v1`, or `${origin}/data-uri/v1` when file outputs go out as data: URIs. */
  apiBase: string;
  fileMode: 'url' | 'data-uri';
}

export interface ApiPrediction {
  id: string;
  model: string;
  version: string;
  input: Record<string, unknown>;
  logs: string;
  output: unknown;
  data_removed: boolean;
  error: string | null;
  status: string;
  created_at: string;
  started_at?: string;
  completed_at?: string;
  urls: { get: string; cancel: string; stream: string; web: string };
  metrics?: PredictionMetrics;
  source: 'api' | 'web';
  deadline?: string;
  /** Cogdesk's: `local`, or `replicate` for a prediction the local API ran on Replicate. */
  ran_on?: 'local' | 'replicate';
}

export interface PredictionView {
  /** Show the prediction as `starting` (a blocking create that ran out of time: the clients then poll). */
  asStarting?: boolean;
  deadline?: string;
}

export interface SerializerDeps {
  outputsDir: string;
  files: FileStore;
  signingKey: Buffer;
  /** The clock signed URLs' expiry is counted from. */
  now?: () => number;
}

export class Serializer {
  private readonly outputsPrefix: string;

  constructor(private readonly d: SerializerDeps) {
    this.outputsPrefix = d.outputsDir.endsWith(sep) ? d.outputsDir : d.outputsDir + sep;
  }

  // ---- URLs ----

  private expiry(): number {
    return urlExpiry((this.d.now ?? Date.now)());
  }

  /** `?expiry=..&signature=..` of a URL that works without the token (signed-urls.ts). */
  private signedQuery(payload: string, expiry = this.expiry()): string {
    return `expiry=${expiry}&signature=${signUrl(this.d.signingKey, payload, expiry)}`;
  }

  streamUrl(links: Links, predictionId: string): string {
    return `${links.apiBase}/predictions/${predictionId}/stream?${this.signedQuery(`stream/${predictionId}`)}`;
  }

  /** The output file's path relative to the outputs folder (`<prediction>/<name>`), or null. */
  outputRelative(path: string): string | null {
    if (!path.startsWith(this.outputsPrefix)) return null;
    const parts = path.slice(this.outputsPrefix.length).split(sep);
    if (parts.length < 2 || parts.some((p) => p === '' || p === '.' || p === '..')) return null;
    return parts.join('/');
  }

  /** An output file's URL; its signature covers `outputs/<prediction>/<name>`. */
  outputUrl(links: Links, relative: string): string {
    const encoded = relative.split('/').map(encodeURIComponent).join('/');
    return `${links.origin}/v1/outputs/${encoded}?${this.signedQuery(`outputs/${relative}`)}`;
  }

  // ---- predictions ----

  async prediction(p: Prediction, links: Links, view: PredictionView = {}): Promise<ApiPrediction> {
    const get = `${links.apiBase}/predictions/${p.id}`;
    const json = predictionJson(p, {
      input: this.input(p.input, links),
      output: p.output === undefined ? null : await this.output(p.output, links),
      status: view.asStarting && (p.status === 'starting' || p.status === 'processing') ? 'starting' : p.status,
      // A prediction run on Replicate: its page there (the one Replicate gave), else this server's record of it.
      urls: { get, cancel: `${get}/cancel`, stream: this.streamUrl(links, p.id), web: p.remote?.webUrl ?? get },
      deadline: view.deadline,
    }) as ApiPrediction;
    // Where it ran (the local API's routing sends a model that is not here to Replicate); also the X-Cogdesk-Ran-On header.
    json.ran_on = p.runOn === 'replicate' ? 'replicate' : 'local';
    return json;
  }

  /** An output value: files under the outputs folder become URLs (or data: URIs); the rest stays. */
  async output(value: unknown, links: Links): Promise<unknown> {
    if (typeof value === 'string') {
      const rel = this.outputRelative(value);
      if (!rel) return value;
      if (links.fileMode === 'data-uri') {
        try {
          return await fileAsDataUri(value);
        } catch {
          return this.outputUrl(links, rel); // gone from disk: the URL answers 404, which says so
        }
      }
      return this.outputUrl(links, rel);
    }
    if (Array.isArray(value)) return Promise.all(value.map((v) => this.output(v, links)));
    if (value && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[k] = await this.output(v, links);
      return out;
    }
    return value;
  }

  /** The input as the client sent it: uploads back to their file URLs, chained outputs to their URLs. */
  input(input: Record<string, unknown>, links: Links): Record<string, unknown> {
    const walk = (value: unknown): unknown => {
      if (typeof value === 'string') {
        const id = this.d.files.idForPath(value);
        if (id) return `${links.apiBase}/files/${id}`;
        const rel = this.outputRelative(value);
        return rel ? this.outputUrl(links, rel) : value;
      }
      if (Array.isArray(value)) return value.map(walk);
      return value;
    };
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(input)) out[k] = walk(v);
    return out;
  }

  // ---- models, versions, files ----

  /** The official Python client needs `cog_version` as a string: an image without the label gives "". */
  version(v: Version): { id: string; created_at: string; cog_version: string; openapi_schema: Record<string, unknown> } {
    const schema = v.openapiSchema && typeof v.openapiSchema === 'object' ? v.openapiSchema : {};
    return { id: v.id, created_at: v.createdAt, cog_version: v.cogVersion ?? '', openapi_schema: schema };
  }

  model(m: Model, links: Links, latest: Version | null, defaultExample: ApiPrediction | null, runCount = 0): Record<string, unknown> {
    const fields = localModelFields(m);
    return {
      url: `${links.apiBase}/models/${fields.owner}/${fields.name}`,
      ...fields,
      // Runs of this model here (the history's count); the clients require the field (test/fixtures/client-fields.json).
      run_count: runCount,
      default_example: defaultExample,
      latest_version: latest ? this.version(latest) : null,
    };
  }

  /** An upload; `etag` is the md5 of its bytes, and its download URL lasts as long as the upload. */
  file(f: StoredFile, links: Links): Record<string, unknown> {
    const expiry = Math.min(Math.floor(Date.parse(f.expires_at) / 1000), this.expiry());
    const { fileName: _fileName, ...shown } = f;
    void _fileName;
    return {
      ...shown,
      etag: f.checksums.md5,
      urls: {
        get: `${links.apiBase}/files/${f.id}`,
        download: `${links.origin}/v1/files/${f.id}/download?owner=cogdesk&${this.signedQuery(`cogdesk ${f.id}`, expiry)}`,
      },
    };
  }
}

/**
 * A prediction in Replicate's JSON shape (snake_case, ISO 8601 UTC timestamps, `source` api or web), the
 * way the local API answers it and `cogdesk ... --json` prints it. What needs a server (the `urls`, output
 * files as URLs) comes in `parts`; left out, the input and output stay as kept (local file paths) and there
 * are no `urls`.
 */
/** What Replicate's model object says of a local model, beside its URL, runs, example and latest version. */
export function localModelFields(m: Model) {
  return {
    ...apiModelName(m.id),
    description: `Local Cog model from ${m.repository}`,
    visibility: 'private' as const,
    github_url: null,
    paper_url: null,
    license_url: null,
    cover_image_url: null,
    is_official: false as const,
  };
}

export function predictionJson(
  p: Prediction,
  parts: { input?: Record<string, unknown>; output?: unknown; status?: string; urls?: ApiPrediction['urls']; deadline?: string } = {},
): Omit<ApiPrediction, 'urls'> & { urls?: ApiPrediction['urls'] } {
  // Built field by field in the order Replicate (and this API, always) writes them.
  const out: Record<string, unknown> = {
    id: p.id,
    model: apiModelString(p.modelId),
    version: p.versionId,
    input: parts.input ?? p.input,
    logs: p.logs ?? '',
    output: 'output' in parts ? parts.output : (p.output ?? null),
    data_removed: false,
    error: p.error,
    status: parts.status ?? p.status,
    created_at: p.createdAt,
  };
  if (parts.urls) out.urls = parts.urls;
  out.source = p.source === 'api' ? 'api' : 'web';
  if (p.startedAt) out.started_at = p.startedAt;
  if (p.completedAt) out.completed_at = p.completedAt;
  if (p.metrics) out.metrics = p.metrics;
  if (parts.deadline) out.deadline = parts.deadline;
  return out as Omit<ApiPrediction, 'urls'> & { urls?: ApiPrediction['urls'] };
}
