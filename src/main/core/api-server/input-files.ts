/**
 * File inputs through the API. A client sends the file itself (an upload's URL, a `data:` URI) or an
 * http(s) URL; it never names a path on this machine. The only local paths a prediction made here gets are
 * the ones this server makes from its own URLs: an upload (`<data>/api-files/<id>/<name>`) or an earlier
 * prediction's output file (`<data>/outputs/<prediction>/<name>`).
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { VersionSchema } from '../../../shared/schema';
import { isLoopbackHost } from './auth';
import type { ServerState } from './context';
import { ApiProblem, invalidField, type InvalidField } from './problem';

/** What a client may give for a file: the bytes as a data: URI, or a URL the model can fetch. */
const SENDABLE = /^(data:|https?:\/\/)/i;

const exists = (path: string) => stat(path).then((st) => st.isFile(), () => false);

function decoded(part: string): string | null {
  try {
    const p = decodeURIComponent(part);
    return p === '' || p === '.' || p === '..' || /[\\/\0]/.test(p) ? null : p;
  } catch {
    return null;
  }
}

/**
 * The local file a URL of this server stands for (an upload's URL or download URL, an output file's URL),
 * so a file input given as one reaches the model as the file; undefined for anyone else's URL, null for
 * one of ours whose file is gone.
 */
export async function localFileFor(s: ServerState, value: string): Promise<string | null | undefined> {
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    return undefined;
  }
  if (u.protocol !== 'http:' || !isLoopbackHost(u.host) || Number(u.port || 80) !== s.port()) return undefined;
  const path = u.pathname.replace(/^\/data-uri(?=\/v1\/)/, '');
  const upload = /^\/v1\/files\/([a-z2-7]{26})(?:\/download)?$/.exec(path);
  if (upload) return s.files.contentPath(upload[1]);
  const output = /^\/v1\/outputs\/([^/]+)\/([^/]+)$/.exec(path);
  if (output) {
    const prediction = decoded(output[1]);
    const name = decoded(output[2]);
    if (!prediction || !name) return null;
    const file = join(s.core.paths.outputs, prediction, name);
    return (await exists(file)) ? file : null;
  }
  return undefined;
}

const shown = (v: string) => JSON.stringify(v.length > 80 ? `${v.slice(0, 77)}...` : v);

/** File inputs given as this server's URLs become the local files they stand for; raw paths are refused. */
export async function localizeInput(s: ServerState, schema: VersionSchema, input: Record<string, unknown>): Promise<Record<string, unknown>> {
  const out = { ...input };
  const gone: InvalidField[] = [];
  const refused: InvalidField[] = [];
  const map = async (field: string, value: unknown): Promise<unknown> => {
    if (typeof value !== 'string') return value;
    const local = await localFileFor(s, value);
    if (local === null) gone.push(invalidField(field, 'format', `${field}: the file at ${value} no longer exists`));
    if (local) return local;
    if (!SENDABLE.test(value)) {
      refused.push(
        invalidField(field, 'format', `${field}: ${shown(value)} is not a file the API takes: send the file itself (an upload, a data: URI) or an http(s) URL`),
      );
    }
    return value;
  };
  for (const field of schema.inputs) {
    const value = input[field.name];
    if (field.isFile) out[field.name] = await map(field.name, value);
    else if (field.items?.isFile && Array.isArray(value)) out[field.name] = await Promise.all(value.map((v) => map(field.name, v)));
  }
  const problems = [...refused, ...gone];
  if (problems.length > 0) {
    throw new ApiProblem(422, 'Input validation failed', problems.map((p) => p.description).join('; '), {
      invalid_fields: problems,
      hint:
        refused.length > 0
          ? 'The local API never reads a path on this machine: upload the file (POST /v1/files; the official clients do it for a file or buffer), send it as a data: URI, or give an http(s) URL.'
          : 'Upload the file again (POST /v1/files) or send it as a data: URI.',
    });
  }
  return out;
}

/** A string that names a file on this machine rather than sending one (`/home/…`, `~/…`, `file:`, `C:\…`). */
const LOCAL_PATH = /^(\/|~\/|file:|[a-zA-Z]:[\\/])/;

/**
 * The input of a prediction that runs on Replicate: there is no local schema, so every value (and each item
 * of a list) is looked at. This server's own URLs (uploads, earlier outputs) become their local files, which
 * the core then sends to Replicate; a path on this machine is refused as for a local model, so the API never
 * sends a local file that a client merely named.
 */
export async function localizeCloudInput(s: ServerState, input: Record<string, unknown>): Promise<Record<string, unknown>> {
  const problems: InvalidField[] = [];
  const map = async (field: string, value: unknown): Promise<unknown> => {
    if (typeof value !== 'string') return value;
    const local = await localFileFor(s, value);
    if (local === null) problems.push(invalidField(field, 'format', `${field}: the file at ${value} no longer exists`));
    if (local) return local;
    if (LOCAL_PATH.test(value)) {
      problems.push(invalidField(field, 'format', `${field}: ${shown(value)} is a path on this machine; the API never reads or sends a local file a client names`));
    }
    return value;
  };
  const out: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(input)) {
    out[field] = Array.isArray(value) ? await Promise.all(value.map((v) => map(field, v))) : await map(field, value);
  }
  if (problems.length > 0) {
    throw new ApiProblem(422, 'Input validation failed', problems.map((p) => p.description).join('; '), {
      invalid_fields: problems,
      hint: 'Upload the file (POST /v1/files; the official clients do it for a file or buffer), send it as a data: URI, or give an http(s) URL.',
    });
  }
  return out;
}
