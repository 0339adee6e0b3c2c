/**
 * One raw HTTP request to the local API (any path, any body, any header), its answer checked against the
 * schema or the problem shape (openapi.ts); what is wrong goes into `problems`.
 */
import http from 'node:http';
import type { ApiServer } from '../../../src/main/core/api-server';
import { checkAnswer } from './openapi';

export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  json: () => Record<string, unknown>;
}

export interface CallOptions {
  /** undefined: the server's token; null: none. */
  token?: string | null;
  body?: string | Buffer;
  headers?: Record<string, string>;
}

export function rawCall(server: ApiServer, method: string, path: string, o: CallOptions = {}, problems: string[] = []): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { Host: `127.0.0.1:${server.port}`, ...o.headers };
    const token = o.token === undefined ? server.token : o.token;
    if (token) headers.Authorization = `Bearer ${token}`;
    const body = typeof o.body === 'string' ? Buffer.from(o.body) : o.body;
    if (body) headers['Content-Length'] = String(body.length);
    if (body && !headers['Content-Type']) headers['Content-Type'] = 'application/json';
    const req = http.request({ host: '127.0.0.1', port: server.port, method, path, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const type = String(res.headers['content-type'] ?? '');
        const urlPath = path.startsWith('/') ? path.split('?')[0] : '/';
        problems.push(...checkAnswer(method, urlPath.length > 200 ? urlPath.slice(0, 200) : urlPath, res.statusCode ?? 0, type, /json/.test(type) ? text : ''));
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** A multipart body for POST /v1/files: the bytes, a file name and, when given, a declared type. */
export async function uploadBody(bytes: Buffer, name: string, type?: string): Promise<{ body: Buffer; contentType: string }> {
  const form = new FormData();
  form.append('content', new Blob([bytes], type ? { type } : {}), name);
  if (type) form.append('type', type);
  const req = new Request('http://x/', { method: 'POST', body: form });
  return { body: Buffer.from(await req.arrayBuffer()), contentType: req.headers.get('content-type')! };
}
