/** Models and versions from the local library, named as names.ts describes. */
import type { Model } from '../../../../shared/domain';
import type { Handler, RequestContext, Route, ServerState } from '../context';
import { sendJson } from '../http';
import { findApiModel } from '../names';
import { ApiProblem, notFound } from '../problem';

async function modelJson(ctx: RequestContext, s: ServerState, m: Model): Promise<Record<string, unknown>> {
  const latest = m.latestVersionId ? await s.core.getVersion(m.latestVersionId) : null;
  const example = (await s.core.listExamples(m.id).catch(() => [])).find((e) => e.isDefault);
  const defaultExample = example ? await s.serializer.prediction(example.prediction, ctx.links) : null;
  return s.serializer.model(m, ctx.links, latest, defaultExample, s.core.store.predictions.countForModel(m.id));
}

const offsetCursor = (n: number) => Buffer.from(String(n)).toString('base64url');
function readOffset(cursor: string | null): number {
  if (!cursor) return 0;
  const n = Number(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!Number.isInteger(n) || n < 0) throw new ApiProblem(400, 'Invalid cursor', 'The cursor is not one this server made', { hint: 'Follow the `next` URL of a previous page.' });
  return n;
}

const list: Handler = async (ctx, s) => {
  const models = await s.core.listModels();
  const from = readOffset(ctx.url.searchParams.get('cursor'));
  const page = models.slice(from, from + s.limits.pageSize);
  const next = from + page.length < models.length ? `${ctx.links.apiBase}/models?cursor=${offsetCursor(from + page.length)}` : null;
  sendJson(ctx.res, 200, { next, previous: null, results: await Promise.all(page.map((m) => modelJson(ctx, s, m))) });
};

const getOne: Handler = async (ctx, s) => {
  const model = findApiModel(await s.core.listModels(), ctx.params[0], ctx.params[1]);
  sendJson(ctx.res, 200, await modelJson(ctx, s, model));
};

const versions: Handler = async (ctx, s) => {
  const model = findApiModel(await s.core.listModels(), ctx.params[0], ctx.params[1]);
  const results = (await s.core.listVersions(model.id)).map((v) => s.serializer.version(v));
  sendJson(ctx.res, 200, { next: null, previous: null, results });
};

const version: Handler = async (ctx, s) => {
  const [owner, name, id] = ctx.params;
  const model = findApiModel(await s.core.listModels(), owner, name);
  const v = await s.core.getVersion(id.replace(/^sha256:/, ''));
  if (!v || v.modelId !== model.id) throw notFound(`${owner}/${name} has no version "${id}"`, `GET /v1/models/${owner}/${name}/versions lists them.`);
  sendJson(ctx.res, 200, s.serializer.version(v));
};

export const modelRoutes: Route[] = [
  { method: 'GET', pattern: /^\/models$/, handler: list },
  { method: 'GET', pattern: /^\/models\/([^/]+)\/([^/]+)$/, handler: getOne },
  { method: 'GET', pattern: /^\/models\/([^/]+)\/([^/]+)\/versions$/, handler: versions },
  { method: 'GET', pattern: /^\/models\/([^/]+)\/([^/]+)\/versions\/([^/]+)$/, handler: version },
];
