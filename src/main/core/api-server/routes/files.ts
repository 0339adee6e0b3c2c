/**
 * The Files API (uploads the clients make for file inputs) and the file URLs the server hands out: an
 * upload's signed download URL and the prediction output files' URLs, which work without the token
 * (the official clients fetch them without one) because each carries its own signature.
 */
import { join } from 'node:path';
import type { Handler, RequestContext, Route, ServerState } from '../context';
import { parseUpload, sendFile } from '../files';
import { readBody, sendJson } from '../http';
import { notFound } from '../problem';
import { checkSignedUrl } from '../signed-urls';

const FILE_ID = '([a-z2-7]{26})';
const fileNotFound = () => notFound('File not found');

const create: Handler = async (ctx, s) => {
  const body = await readBody(ctx.req, s.limits.maxUploadBytes, 'upload');
  const upload = await parseUpload(ctx.req, body);
  const stored = await s.files.create(upload.bytes, upload);
  sendJson(ctx.res, 201, s.serializer.file(stored, ctx.links));
};

const list: Handler = async (ctx, s) => {
  const results = (await s.files.list()).map((f) => s.serializer.file(f, ctx.links));
  sendJson(ctx.res, 200, { next: null, previous: null, results });
};

const getOne: Handler = async (ctx, s) => {
  const f = await s.files.get(ctx.params[0]);
  if (!f) throw fileNotFound();
  sendJson(ctx.res, 200, s.serializer.file(f, ctx.links));
};

const remove: Handler = async (ctx, s) => {
  if (!(await s.files.delete(ctx.params[0]))) throw fileNotFound();
  ctx.res.writeHead(204).end();
};

const download: Handler = async (ctx, s) => {
  const f = await s.files.get(ctx.params[0]);
  const path = f ? await s.files.contentPath(f.id) : null;
  if (!f || !path) throw fileNotFound();
  await sendFile(ctx.res, path, f.content_type);
};

/** `?owner=cogdesk&expiry=<unix s>&signature=...`, the signed download URL of replicate-openapi.json. */
function downloadSigned(ctx: RequestContext, s: ServerState): boolean {
  const refresh = `Get the file again (GET /v1/files/${ctx.params[0]} with the token) for a fresh download URL.`;
  return checkSignedUrl(s.credentials.signingKey, ctx.url, `cogdesk ${ctx.params[0]}`, refresh);
}

function outputSigned(ctx: RequestContext, s: ServerState): boolean {
  const refresh = `Get the prediction again (GET /v1/predictions/${ctx.params[0]} with the token) for fresh URLs.`;
  return checkSignedUrl(s.credentials.signingKey, ctx.url, `outputs/${ctx.params[0]}/${ctx.params[1]}`, refresh);
}

function safePart(part: string): string {
  if (!part || part === '.' || part === '..' || /[\\/\0]/.test(part)) throw notFound('File not found');
  return part;
}

const output: Handler = async (ctx, s) => {
  const [prediction, name] = ctx.params.map(safePart);
  await sendFile(ctx.res, join(s.core.paths.outputs, prediction, name));
};

export const fileRoutes: Route[] = [
  { method: 'POST', pattern: /^\/files$/, handler: create },
  { method: 'GET', pattern: /^\/files$/, handler: list },
  { method: 'GET', pattern: new RegExp(`^/files/${FILE_ID}$`), handler: getOne },
  { method: 'DELETE', pattern: new RegExp(`^/files/${FILE_ID}$`), handler: remove },
  { method: 'GET', pattern: new RegExp(`^/files/${FILE_ID}/download$`), handler: download, signed: downloadSigned },
  {
    method: 'GET',
    pattern: /^\/outputs\/([^/]+)\/([^/]+)$/,
    handler: output,
    signed: outputSigned,
  },
];
