/** Reading bounded request bodies and writing JSON answers. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { jsonDepth, MAX_JSON_DEPTH, overflowedNumbers } from './json-checks';
import { ApiProblem, invalidField } from './problem';

/** What a body is, for the 413 that refuses it: a JSON request, or an upload to POST /v1/files. */
export type BodyKind = 'json' | 'upload';

/** The `cogdesk serve` options that raise each limit (ApiServerOptions.maxBodyBytes / maxUploadBytes). */
export const LIMIT_OPTIONS: Record<BodyKind, string> = { json: '--max-body-mb', upload: '--max-upload-mb' };

const tooLarge = (limit: number, kind: BodyKind) =>
  kind === 'upload'
    ? new ApiProblem(413, 'Content Too Large', `The upload is larger than ${formatBytes(limit)}, the most POST /v1/files takes`, {
        hint: `Give the model the file as an http(s) URL it can fetch instead, or start the server with a larger limit (cogdesk serve ${LIMIT_OPTIONS.upload} N).`,
        headers: { Connection: 'close' },
      })
    : new ApiProblem(413, 'Content Too Large', `The request body is larger than ${formatBytes(limit)}`, {
        hint: `Send large files through POST /v1/files (the official clients do this for a file or buffer) or as an http(s) URL instead of inline, or start the server with a larger limit (cogdesk serve ${LIMIT_OPTIONS.json} N).`,
        headers: { Connection: 'close' },
      });

function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${Math.round((n / (1024 * 1024)) * 10) / 10} MiB`;
  if (n >= 1024) return `${Math.round((n / 1024) * 10) / 10} KiB`;
  return `${n} bytes`;
}

/**
 * The whole body, refused with a 413 as soon as it is known to pass `limit` bytes (from Content-Length, or
 * while it arrives). What is left of a refused body is read and dropped, so the client gets the answer
 * instead of a reset connection; the connection is then closed.
 */
export function readBody(req: IncomingMessage, limit: number, kind: BodyKind = 'json'): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      req.resume();
      reject(tooLarge(limit, kind));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on('data', (chunk: Buffer) => {
      if (refused) return;
      size += chunk.length;
      if (size > limit) {
        refused = true;
        chunks.length = 0;
        reject(tooLarge(limit, kind));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!refused) resolve(Buffer.concat(chunks, size));
    });
    req.on('error', (e) => {
      if (!refused) reject(e);
    });
  });
}

/**
 * A JSON object body (an empty body reads as `{}`); anything else is a 400, and so is one nested deeper
 * than MAX_JSON_DEPTH. A number too large for a float is a 422 that names its field.
 */
export async function readJsonObject(req: IncomingMessage, limit: number): Promise<Record<string, unknown>> {
  const raw = await readBody(req, limit);
  const text = raw.toString('utf8');
  if (raw.length === 0 || text.trim() === '') return {};
  if (jsonDepth(text) > MAX_JSON_DEPTH) {
    throw new ApiProblem(400, 'Invalid JSON', `The request body is nested more than ${MAX_JSON_DEPTH} levels deep`, {
      hint: 'Send the input as a flatter JSON object; no model input needs that much nesting.',
    });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new ApiProblem(400, 'Invalid JSON', `The request body is not valid JSON: ${(e as Error).message}`, {
      hint: 'Send a JSON object with `Content-Type: application/json`.',
    });
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new ApiProblem(400, 'Invalid JSON', 'The request body must be a JSON object');
  }
  const overflowed = overflowedNumbers(value as Record<string, unknown>);
  if (overflowed.length > 0) {
    const fields = overflowed.map((f) =>
      invalidField(f, 'out_of_range', `${f}: the number is out of range (larger than a 64-bit float can hold, about 1.8e308)`),
    );
    throw new ApiProblem(422, 'Invalid request', fields.map((f) => f.description).join('; '), {
      invalid_fields: fields,
      hint: 'Send a smaller number, or a string if the model takes one.',
    });
  }
  return value as Record<string, unknown>;
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const payload = Buffer.from(JSON.stringify(body));
  res.writeHead(status, { ...headers, 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': payload.length });
  res.end(payload);
}
