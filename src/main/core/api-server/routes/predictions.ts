/**
 * Predictions: create (by version, or by model for its latest version), get, list (paged by cursor), cancel,
 * and the event stream. A prediction made here is an engine prediction like any other, with
 * `source: 'api'`.
 */
import { isTerminal, type Prediction, type Version } from '../../../../shared/domain';
import { parseVersionSchema, type VersionSchema } from '../../../../shared/schema';
import type { Handler, RequestContext, Route, ServerState } from '../context';
import { readJsonObject, sendJson } from '../http';
import { cloudProblem, decideRoute, type CreateTarget } from '../routing';
import { ranOn, routingDeps } from '../routing-state';
import { MIN_CANCEL_AFTER_MS, parseDuration, parsePreferWait } from '../prefer';
import { checkCreateBody, CREATE_KEYS, MODEL_CREATE_KEYS, type CreateBody } from '../create-body';
import { ApiProblem, notFound } from '../problem';
import { localizeCloudInput, localizeInput } from '../input-files';
import { checkSignedUrl } from '../signed-urls';
import { streamPrediction } from '../sse';

const ID = '([a-z0-9]{1,64})';
/** How long a cancel waits for the model to stop before answering with what there is. */
const CANCEL_SETTLE_MS = 5_000;

function schemaOf(s: ServerState, version: Version): VersionSchema {
  let schema = s.schemas.get(version.id);
  if (!schema) s.schemas.set(version.id, (schema = parseVersionSchema(version.openapiSchema)));
  return schema;
}

/** Resolves after `ms`, when `done` settles, or when the client goes away, whichever comes first. */
async function waitAtMost<T>(done: Promise<T>, ms: number, ctx: RequestContext): Promise<T | null> {
  let timer: NodeJS.Timeout | undefined;
  let onClose: (() => void) | undefined;
  try {
    return await Promise.race([
      // A wait that fails (the prediction's record is still there) answers what there is.
      done.catch(() => null),
      new Promise<null>((resolve) => {
        timer = setTimeout(() => resolve(null), ms);
      }),
      new Promise<null>((resolve) => {
        onClose = () => resolve(null);
        ctx.res.once('close', onClose);
      }),
    ]);
  } finally {
    clearTimeout(timer);
    if (onClose) ctx.res.off('close', onClose);
  }
}

/** `Cancel-After`: a duration of at least 5 s, or null when not sent. */
function cancelAfterOf(ctx: RequestContext): number | null {
  const cancelAfter = ctx.req.headers['cancel-after'];
  if (typeof cancelAfter !== 'string' || !cancelAfter.trim()) return null;
  const ms = parseDuration(cancelAfter);
  if (ms === null || ms < MIN_CANCEL_AFTER_MS) {
    throw new ApiProblem(400, 'Invalid Cancel-After', `Cancel-After "${cancelAfter}" is not a duration of at least 5 seconds`, {
      hint: 'Examples: 30s, 5m, 1h30m.',
    });
  }
  return ms;
}

/** Runs the prediction here when the target is here, else on Replicate when routing allows it (routing.ts). */
async function start(s: ServerState, target: CreateTarget, body: CreateBody): Promise<Prediction> {
  const decision = await decideRoute(target, routingDeps(s));
  if (decision.where === 'local') {
    const input = await localizeInput(s, schemaOf(s, decision.version), body.input);
    return s.core.createPrediction({ version: decision.version.id, input, source: 'api' });
  }
  const input = await localizeCloudInput(s, body.input);
  try {
    return await s.routing.createRemote({ version: decision.ref, input, source: 'api', on: 'replicate' });
  } catch (e) {
    throw cloudProblem(e, decision.model);
  }
}

async function create(ctx: RequestContext, s: ServerState, target: CreateTarget, body: CreateBody): Promise<void> {
  const cancelAfterMs = cancelAfterOf(ctx);
  const created = await start(s, target, body);

  if (body.webhook) {
    s.webhooks.watch(created, body.webhook, body.events, (p) => s.serializer.prediction(p, ctx.links, { deadline: s.deadlines.get(p.id)?.at }));
    // Catch up with anything the prediction did before it was watched (its updates are diffed, never resent).
    const now = await s.core.getPrediction(created.id);
    if (now) s.webhooks.update(now);
  }
  if (cancelAfterMs !== null) {
    const at = new Date(Date.parse(created.createdAt) + cancelAfterMs).toISOString();
    const timer = setTimeout(() => {
      s.deadlines.delete(created.id);
      void s.core.cancelPrediction(created.id).catch(() => undefined);
    }, cancelAfterMs);
    timer.unref();
    s.deadlines.set(created.id, { at, timer });
  }

  const wait = parsePreferWait(ctx.req.headers.prefer);
  let answer: Prediction = created;
  if (wait !== null) {
    answer = (await waitAtMost(s.core.waitForPrediction(created.id), wait * 1000, ctx)) ?? (await s.core.getPrediction(created.id)) ?? created;
  }
  // A blocking create that ran out of time answers `starting`, never `processing`: the official clients
  // take any other status as final and stop polling.
  sendJson(ctx.res, 201, await s.serializer.prediction(answer, ctx.links, { asStarting: true, deadline: s.deadlines.get(answer.id)?.at }), ranOn(answer));
}

const createByVersion: Handler = async (ctx, s) => {
  const body = await readJsonObject(ctx.req, s.limits.maxBodyBytes);
  const checked = await checkCreateBody(body, CREATE_KEYS);
  await create(ctx, s, { version: body.version as string }, checked);
};

const createByModel: Handler = async (ctx, s) => {
  const [owner, name] = ctx.params;
  const body = await readJsonObject(ctx.req, s.limits.maxBodyBytes);
  const checked = await checkCreateBody(body, MODEL_CREATE_KEYS);
  await create(ctx, s, { owner, name }, checked);
};

async function found(s: ServerState, id: string): Promise<Prediction> {
  const p = await s.core.getPrediction(id);
  if (!p) throw notFound(`No prediction "${id}"`, 'GET /v1/predictions lists them.');
  return p;
}

const getOne: Handler = async (ctx, s) => {
  const p = await found(s, ctx.params[0]);
  sendJson(ctx.res, 200, await s.serializer.prediction(p, ctx.links, { deadline: s.deadlines.get(p.id)?.at }), ranOn(p));
};

const cancel: Handler = async (ctx, s) => {
  const p = await found(s, ctx.params[0]);
  if (!isTerminal(p.status)) {
    try {
      await s.core.cancelPrediction(p.id);
    } catch (e) {
      throw p.runOn === 'replicate' ? cloudProblem(e, p.modelId) : e;
    }
    await waitAtMost(s.core.waitForPrediction(p.id), CANCEL_SETTLE_MS, ctx);
  }
  const now = (await s.core.getPrediction(p.id)) ?? p;
  sendJson(ctx.res, 200, await s.serializer.prediction(now, ctx.links, { deadline: s.deadlines.get(p.id)?.at }), ranOn(now));
};

/** Cursors are opaque: the id of the last prediction of the previous page, base64url. */
const encodeCursor = (id: string) => Buffer.from(id, 'utf8').toString('base64url');
function decodeCursor(cursor: string): string {
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!/^[a-z0-9]{1,64}$/.test(id)) throw new ApiProblem(400, 'Invalid cursor', 'The cursor is not one this server made', { hint: 'Follow the `next` URL of a previous page.' });
  return id;
}

const list: Handler = async (ctx, s) => {
  const cursor = ctx.url.searchParams.get('cursor');
  const size = s.limits.pageSize;
  const rows = await s.core.listPredictions({ limit: size + 1, before: cursor ? decodeCursor(cursor) : undefined });
  const page = rows.slice(0, size);
  const next = rows.length > size ? `${ctx.links.apiBase}/predictions?cursor=${encodeCursor(page[page.length - 1].id)}` : null;
  const results = await Promise.all(page.map((p) => s.serializer.prediction(p, ctx.links, { deadline: s.deadlines.get(p.id)?.at })));
  sendJson(ctx.res, 200, { next, previous: null, results });
};

const stream: Handler = async (ctx, s) => {
  await streamPrediction({ core: s.core, serializer: s.serializer, open: s.streams }, ctx.res, ctx.params[0], ctx.links);
};

export const predictionRoutes: Route[] = [
  { method: 'POST', pattern: /^\/predictions$/, handler: createByVersion },
  { method: 'GET', pattern: /^\/predictions$/, handler: list },
  { method: 'GET', pattern: new RegExp(`^/predictions/${ID}$`), handler: getOne },
  { method: 'POST', pattern: new RegExp(`^/predictions/${ID}/cancel$`), handler: cancel },
  {
    method: 'GET',
    pattern: new RegExp(`^/predictions/${ID}/stream$`),
    handler: stream,
    signed: (ctx, s) =>
      checkSignedUrl(s.credentials.signingKey, ctx.url, `stream/${ctx.params[0]}`, `Get the prediction again (GET /v1/predictions/${ctx.params[0]}) for a fresh stream URL.`),
  },
  { method: 'POST', pattern: /^\/models\/([^/]+)\/([^/]+)\/predictions$/, handler: createByModel },
];
