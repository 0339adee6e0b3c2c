/**
 * Cogdesk's own calls beside Replicate's API, for the command line to go through a running Cogdesk (the app
 * or `cogdesk serve`) rather than around it: `cogdesk ps`, `stop` and `pull` (and `run`'s pull) then act on
 * the process that keeps the models warm, and the window sees the pull.
 *
 * - `GET  /v1/cogdesk/containers`: the warm containers, with what this process knows of them (WarmContainerStatus).
 * - `POST /v1/cogdesk/containers/stop` `{"model"?: NAME}`: stops them (a model's only, when named).
 * - `POST /v1/cogdesk/pulls` `{"image": REF, "always"?: bool}`: pulls as a task the window shows; the answer
 *   is a stream of JSON lines (`application/x-ndjson`): `{"status":"pulling","progress":{...}}` while it runs,
 *   then `{"status":"succeeded","version":ID}` or `{"status":"failed"|"canceled","error":{code,message,hint}}`.
 *   Without `always`, a version already here answers at once, as `cogdesk run` wants. Closing the connection
 *   cancels the pull.
 */
import type { TaskEvent } from '../../../../shared/api';
import { CogdeskError, type ErrorInfo } from '../../../../shared/errors';
import { versionsNamed } from '../../library/resolve-name';
import type { Handler, Route } from '../context';
import { readJsonObject, sendJson } from '../http';
import { ApiProblem } from '../problem';

const containers: Handler = async (ctx, s) => {
  sendJson(ctx.res, 200, await s.core.listWarm());
};

const stop: Handler = async (ctx, s) => {
  const body = await readJsonObject(ctx.req, s.limits.maxBodyBytes);
  if (body.model !== undefined && typeof body.model !== 'string') {
    throw new ApiProblem(400, 'Bad request', '`model` must be a string: a model name, version id or image', { hint: 'Send {"model": "fixtures/echo"} to stop one model, or {} to stop them all.' });
  }
  const versions = typeof body.model === 'string' ? versionsNamed(s.core.store.library, body.model).map((v) => v.id) : undefined;
  sendJson(ctx.res, 200, await s.core.stopWarm(versions));
};

type PullLine =
  | { status: 'pulling'; progress: unknown }
  | { status: 'succeeded'; version: string }
  | { status: 'failed' | 'canceled'; error: ErrorInfo };

const pulls: Handler = async (ctx, s) => {
  const body = await readJsonObject(ctx.req, s.limits.maxBodyBytes);
  const image = typeof body.image === 'string' ? body.image.trim() : '';
  if (!image) throw new ApiProblem(400, 'Bad request', '`image` must name the image to pull', { hint: 'Send {"image": "owner/name@sha256:..."}.' });
  const { core } = s;
  const { res } = ctx;
  const begin = () => {
    res.writeHead(200, { 'Content-Type': 'application/x-ndjson; charset=utf-8', 'Cache-Control': 'no-store' });
    s.streams.add(res);
  };
  const line = (l: PullLine) => res.write(`${JSON.stringify(l)}\n`);
  const finish = (l: PullLine) => {
    line(l);
    s.streams.delete(res);
    res.end();
  };

  if (body.always !== true) {
    const here = (() => {
      try {
        return core.resolveVersion(image);
      } catch (e) {
        if (e instanceof CogdeskError && e.code === 'not_found') return null;
        throw e;
      }
    })();
    // Here already, or an image Docker has (built with cog build): registered, nothing to download.
    const version = here ?? (await (await core.docker()).getImage(image).inspect().then(() => core.ensureVersion(image), () => null));
    if (version) {
      begin();
      return finish({ status: 'succeeded', version: version.id });
    }
  }

  // Listening before the task starts: an early end must not come before we listen.
  const seen: TaskEvent[] = [];
  let taskId: string | null = null;
  let ended = false;
  const onEvent = (e: TaskEvent) => {
    if (e.kind !== 'pull') return;
    if (taskId === null) seen.push(e);
    else if (e.taskId === taskId) relay(e);
  };
  const relay = (e: TaskEvent) => {
    if (e.kind !== 'pull' || ended) return;
    if (e.state === 'running') return line({ status: 'pulling', progress: e.progress });
    ended = true;
    off();
    if (e.state === 'succeeded') finish({ status: 'succeeded', version: e.version.id });
    else finish({ status: e.state, error: e.error });
  };
  const off = core.on('task', onEvent);
  try {
    taskId = (await core.pullImage(image)).taskId;
  } catch (e) {
    off();
    throw e;
  }
  begin();
  res.once('close', () => {
    if (ended) return;
    ended = true;
    off();
    s.streams.delete(res);
    // The client went away (Ctrl-C): the pull stops with it, as `docker pull` does.
    void core.cancelTask(taskId!).catch(() => undefined);
  });
  for (const e of seen.splice(0)) if (e.taskId === taskId) relay(e);
};

export const cogdeskRoutes: Route[] = [
  { method: 'GET', pattern: /^\/cogdesk\/containers$/, handler: containers },
  { method: 'POST', pattern: /^\/cogdesk\/containers\/stop$/, handler: stop },
  { method: 'POST', pattern: /^\/cogdesk\/pulls$/, handler: pulls },
];
