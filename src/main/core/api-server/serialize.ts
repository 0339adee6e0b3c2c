/**
 * The engine's values in Replicate's shapes (replicate-openapi.json): a domain Prediction as the prediction
 * JSON (`urls` absolute, output files as URLs this server serves or as `data:` URIs), models and versions
 * from the local library.
 */
import { sep } from 'node:path';
import type { Model, Prediction, PredictionMetrics, Version } from '../../../shared/domain';
import { sign } from './auth';
import { fileAsDataUri, type FileStore, type StoredFile } from './files';
import { apiModelName, apiModelString } from './names';

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
}

export class Serializer {
  private readonly outputsPrefix: string;

  constructor(private readonly d: SerializerDeps) {
    this.outputsPrefix = d.outputsDir.endsWith(sep) ? d.outputsDir : d.outputsDir + sep;
  }

  // ---- URLs ----

  streamSignature(predictionId: string): string {
    return sign(this.d.signingKey, `stream/${predictionId}`);
  }

  streamUrl(links: Links, predictionId: string): string {
    return `${links.apiBase}/predictions/${predictionId}/stream?signature=${this.streamSignature(predictionId)}`;
  }

  /** `outputs/<prediction>/<name>`: what an output file's URL signs. */
  outputSignature(relative: string): string {
    return sign(this.d.signingKey, `outputs/${relative}`);
  }

  /** The output file's path relative to the outputs folder (`<prediction>/<name>`), or null. */
  outputRelative(path: string): string | null {
    if (!path.startsWith(this.outputsPrefix)) return null;
    const parts = path.slice(this.outputsPrefix.length).split(sep);
    if (parts.length < 2 || parts.some((p) => p === '' || p === '.' || p === '..')) return null;
    return parts.join('/');
  }

  outputUrl(links: Links, relative: string): string {
    const encoded = relative.split('/').map(encodeURIComponent).join('/');
    return `${links.origin}/v1/outputs/${encoded}?signature=${this.outputSignature(relative)}`;
  }

  downloadSignature(id: string, expiry: number): string {
    return sign(this.d.signingKey, `cogdesk ${id} ${expiry}`);
  }

  // ---- predictions ----

  async prediction(p: Prediction, links: Links, view: PredictionView = {}): Promise<ApiPrediction> {
    const get = `${links.apiBase}/predictions/${p.id}`;
    const out: ApiPrediction = {
      id: p.id,
      model: apiModelString(p.modelId),
      version: p.versionId,
      input: this.input(p.input, links),
      logs: p.logs ?? '',
      output: p.output === undefined ? null : await this.output(p.output, links),
      data_removed: false,
      error: p.error,
      status: view.asStarting && (p.status === 'starting' || p.status === 'processing') ? 'starting' : p.status,
      created_at: p.createdAt,
      urls: { get, cancel: `${get}/cancel`, stream: this.streamUrl(links, p.id), web: get },
      source: p.source === 'api' ? 'api' : 'web',
    };
    if (p.startedAt) out.started_at = p.startedAt;
    if (p.completedAt) out.completed_at = p.completedAt;
    if (p.metrics) out.metrics = p.metrics;
    if (view.deadline) out.deadline = view.deadline;
    return out;
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

  version(v: Version): { id: string; created_at: string; cog_version: string | null; openapi_schema: Record<string, unknown> } {
    return { id: v.id, created_at: v.createdAt, cog_version: v.cogVersion, openapi_schema: v.openapiSchema };
  }

  model(m: Model, links: Links, latest: Version | null, defaultExample: ApiPrediction | null): Record<string, unknown> {
    const { owner, name } = apiModelName(m.id);
    return {
      url: `${links.apiBase}/models/${owner}/${name}`,
      owner,
      name,
      description: `Local Cog model from ${m.repository}`,
      visibility: 'private',
      github_url: null,
      paper_url: null,
      license_url: null,
      cover_image_url: null,
      is_official: false,
      default_example: defaultExample,
      latest_version: latest ? this.version(latest) : null,
    };
  }

  file(f: StoredFile, links: Links): Record<string, unknown> {
    const expiry = Math.floor(Date.parse(f.expires_at) / 1000);
    const { fileName: _fileName, ...shown } = f;
    void _fileName;
    return {
      ...shown,
      urls: {
        get: `${links.apiBase}/files/${f.id}`,
        download: `${links.origin}/v1/files/${f.id}/download?owner=cogdesk&expiry=${expiry}&signature=${this.downloadSignature(f.id, expiry)}`,
      },
    };
  }
}
