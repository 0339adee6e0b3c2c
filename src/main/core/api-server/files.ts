/**
 * Files through the API: uploads (`POST /v1/files`, Replicate's Files API, which the official clients use
 * for file inputs) kept under `<data>/api-files/<id>/`, and the local files the server serves by URL
 * (uploads and prediction outputs). The files a prediction made stay where the engine put them
 * (`<data>/outputs/<prediction>/`); the server only hands out signed URLs to them.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { basename, extname, join } from 'node:path';
import { mimeForPath } from '../cog/input-parse';
import { ApiProblem, notFound } from './problem';

/** Uploads last a day, as on Replicate; older ones are removed when the server starts. */
export const FILE_LIFETIME_MS = 24 * 60 * 60 * 1000;

export interface StoredFile {
  id: string;
  name: string;
  content_type: string;
  size: number;
  checksums: { sha256: string; md5: string };
  metadata: Record<string, unknown>;
  created_at: string;
  expires_at: string;
  /** The stored file's name inside its folder. */
  fileName: string;
}

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';
const ID_SHAPE = /^[a-z2-7]{26}$/;

export function newFileId(): string {
  let id = '';
  for (const b of randomBytes(26)) id += ALPHABET[b & 31];
  return id;
}

const EXTENSION_FOR: Record<string, string> = {
  'image/png': '.png', 'image/jpeg': '.jpg', 'image/webp': '.webp', 'image/gif': '.gif', 'image/svg+xml': '.svg',
  'audio/wav': '.wav', 'audio/x-wav': '.wav', 'audio/mpeg': '.mp3', 'audio/ogg': '.ogg', 'audio/flac': '.flac',
  'video/mp4': '.mp4', 'video/webm': '.webm', 'text/plain': '.txt', 'application/json': '.json',
  'application/zip': '.zip', 'application/pdf': '.pdf',
};

/**
 * A safe name to keep an upload under: its base name without path or odd characters, with an extension
 * from its content type when it has none (the engine picks the data URI's MIME type from the extension).
 */
export function storedFileName(name: string, contentType: string): string {
  let safe = basename(name.replace(/\\/g, '/')).replace(/[^\w.-]+/g, '_').replace(/^\.+/, '').slice(0, 120);
  if (!safe) safe = 'file';
  if (!extname(safe)) safe += EXTENSION_FOR[contentType.split(';')[0].trim().toLowerCase()] ?? '';
  return safe;
}

export class FileStore {
  constructor(readonly dir: string) {}

  private metaPath(id: string): string {
    return join(this.dir, `${id}.json`);
  }

  /** The stored bytes' path for an upload id, or null when there is no such upload. */
  async contentPath(id: string): Promise<string | null> {
    const meta = await this.get(id);
    return meta ? join(this.dir, id, meta.fileName) : null;
  }

  /** The upload a path under this store belongs to (for showing a stored input as its URL again). */
  idForPath(path: string): string | null {
    if (!path.startsWith(this.dir)) return null;
    const rest = path.slice(this.dir.length).split(/[\\/]/).filter(Boolean);
    return rest.length === 2 && ID_SHAPE.test(rest[0]) ? rest[0] : null;
  }

  async create(bytes: Buffer, o: { name: string; contentType: string; metadata: Record<string, unknown> }): Promise<StoredFile> {
    const id = newFileId();
    const fileName = storedFileName(o.name, o.contentType);
    await mkdir(join(this.dir, id), { recursive: true, mode: 0o700 });
    await writeFile(join(this.dir, id, fileName), bytes, { mode: 0o600 });
    const now = Date.now();
    const meta: StoredFile = {
      id,
      name: o.name,
      content_type: o.contentType,
      size: bytes.length,
      checksums: {
        sha256: createHash('sha256').update(bytes).digest('hex'),
        md5: createHash('md5').update(bytes).digest('hex'),
      },
      metadata: o.metadata,
      created_at: new Date(now).toISOString(),
      expires_at: new Date(now + FILE_LIFETIME_MS).toISOString(),
      fileName,
    };
    await writeFile(this.metaPath(id), JSON.stringify(meta), { mode: 0o600 });
    return meta;
  }

  async get(id: string): Promise<StoredFile | null> {
    if (!ID_SHAPE.test(id)) return null;
    try {
      return JSON.parse(await readFile(this.metaPath(id), 'utf8')) as StoredFile;
    } catch {
      return null;
    }
  }

  /** Newest first. */
  async list(): Promise<StoredFile[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch {
      return [];
    }
    const files = await Promise.all(names.filter((n) => n.endsWith('.json')).map((n) => this.get(n.slice(0, -5))));
    return files.filter((f): f is StoredFile => f !== null).sort((a, b) => b.created_at.localeCompare(a.created_at) || a.id.localeCompare(b.id));
  }

  async delete(id: string): Promise<boolean> {
    if (!(await this.get(id))) return false;
    await rm(this.metaPath(id), { force: true });
    await rm(join(this.dir, id), { recursive: true, force: true });
    return true;
  }

  /** Removes the uploads whose day is over. */
  async sweep(now = Date.now()): Promise<number> {
    let removed = 0;
    for (const f of await this.list()) {
      if (Date.parse(f.expires_at) <= now && (await this.delete(f.id))) removed++;
    }
    return removed;
  }
}

/** The pieces of a multipart upload (`content`, and optional `filename`, `type`, `metadata`). */
export async function parseUpload(
  req: IncomingMessage,
  body: Buffer,
): Promise<{ bytes: Buffer; name: string; contentType: string; metadata: Record<string, unknown> }> {
  const type = req.headers['content-type'] ?? '';
  if (!/^multipart\/form-data/i.test(type)) {
    throw new ApiProblem(415, 'Unsupported Media Type', 'POST /v1/files takes multipart/form-data with the file in a "content" part', {
      hint: 'The official clients do this for you: replicate.files.create(buffer).',
    });
  }
  let form: FormData;
  try {
    form = await new Request('http://cogdesk.local/', { method: 'POST', headers: { 'content-type': type }, body }).formData();
  } catch (e) {
    throw new ApiProblem(400, 'Bad request', `The multipart body cannot be read: ${(e as Error).message}`);
  }
  const content = form.get('content');
  if (!content || typeof content === 'string') {
    throw new ApiProblem(422, 'Invalid file', 'The upload has no "content" file part', {
      invalid_fields: [{ type: 'required', field: 'content', description: 'content is required' }],
    });
  }
  const file = content as Blob & { name?: string };
  const filenameField = form.get('filename');
  const typeField = form.get('type');
  let metadata: Record<string, unknown> = {};
  const metaField = form.get('metadata');
  if (metaField !== null) {
    const text = typeof metaField === 'string' ? metaField : await (metaField as Blob).text();
    try {
      const parsed = text.trim() ? JSON.parse(text) : {};
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
      metadata = parsed as Record<string, unknown>;
    } catch (e) {
      throw new ApiProblem(422, 'Invalid file', `"metadata" must be a JSON object (${(e as Error).message})`, {
        invalid_fields: [{ type: 'invalid_type', field: 'metadata', description: 'metadata must be a JSON object' }],
      });
    }
  }
  const name = (typeof filenameField === 'string' && filenameField) || file.name || 'file';
  const contentType = (typeof typeField === 'string' && typeField) || file.type || mimeForPath(name);
  return { bytes: Buffer.from(await file.arrayBuffer()), name, contentType, metadata };
}

/**
 * Types a browser shows without running anything in them. Every other type (HTML, SVG, XML, scripts, PDF,
 * and whatever a client declares for an upload) goes out as a download.
 */
const PASSIVE_TYPE = /^(image\/(png|jpeg|gif|webp|avif|bmp)|audio\/[\w.+-]+|video\/[\w.+-]+|text\/plain|text\/csv|application\/json|application\/octet-stream)$/;
const TYPE_SHAPE = /^[\w.+-]+\/[\w.+-]+(\s*;\s*[\w.+-]+=("[^"\r\n\\]*"|[\w.+-]+))*$/;

/** The Content-Type to send: a well-formed one as it is, anything else as bytes. */
export function safeContentType(type: string): string {
  return TYPE_SHAPE.test(type.trim()) ? type.trim() : 'application/octet-stream';
}

/** True when a browser could run script from a file of this type, so it must be a download. */
export function isActiveType(type: string): boolean {
  return !PASSIVE_TYPE.test(type.split(';')[0].trim().toLowerCase());
}

/** `attachment; filename="..."; filename*=UTF-8''...` (RFC 6266), for any name. */
export function attachment(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/**
 * Sends a local file (GET), with its type from its extension unless given. Files are model output or
 * whatever a client uploaded: they never run as a page of this origin (a sandbox CSP, no sniffing, and
 * active types as downloads), since other 127.0.0.1 ports would share what such a page set.
 */
export async function sendFile(res: ServerResponse, path: string, contentType?: string): Promise<void> {
  let size: number;
  try {
    const s = await stat(path);
    if (!s.isFile()) throw new Error('not a file');
    size = s.size;
  } catch {
    throw notFound('File not found');
  }
  const type = safeContentType(contentType ?? mimeForPath(path));
  const headers: Record<string, string | number> = {
    'Content-Type': type,
    'Content-Length': size,
    'Cache-Control': 'private, max-age=3600',
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': 'sandbox',
  };
  if (isActiveType(type)) headers['Content-Disposition'] = attachment(basename(path));
  res.writeHead(200, headers);
  await new Promise<void>((resolve, reject) => {
    const stream = createReadStream(path);
    stream.on('error', (e) => {
      res.destroy();
      reject(e);
    });
    res.on('close', () => {
      stream.destroy();
      resolve();
    });
    stream.pipe(res);
  });
}

/** A local file as a `data:` URI. */
export async function fileAsDataUri(path: string): Promise<string> {
  const bytes = await readFile(path);
  return `data:${mimeForPath(path)};base64,${bytes.toString('base64')}`;
}
