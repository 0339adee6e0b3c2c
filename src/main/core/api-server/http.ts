/** Reading bounded request bodies and writing JSON answers. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiProblem } from './problem';

const tooLarge = (limit: number) =>
  new ApiProblem(413, 'Content Too Large', `The request body is larger than ${formatBytes(limit)}`, {
    hint: 'Send large files through POST /v1/files (or as a URL) instead of inline, or start the server with a larger limit.',
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
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      req.resume();
      reject(tooLarge(limit));
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
        reject(tooLarge(limit));
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

/** A JSON object body (an empty body reads as `{}`); anything else is a 400. */
export async function readJsonObject(req: IncomingMessage, limit: number): Promise<Record<string, unknown>> {
  const raw = await readBody(req, limit);
  if (raw.length === 0 || raw.toString('utf8').trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(raw.toString('utf8'));
  } catch (e) {
    throw new ApiProblem(400, 'Invalid JSON', `The request body is not valid JSON: ${(e as Error).message}`, {
      hint: 'Send a JSON object with `Content-Type: application/json`.',
    });
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new ApiProblem(400, 'Invalid JSON', 'The request body must be a JSON object');
  }
  return value as Record<string, unknown>;
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const payload = Buffer.from(JSON.stringify(body));
  res.writeHead(status, { ...headers, 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': payload.length });
  res.end(payload);
}
