/**
 * Tags a local image as `<registry>/owner/name:latest` and pushes it through the engine with the
 * registry credentials, reporting one aggregated progress (PushProgressTracker) and stopping on cancel.
 * Docker's tags are left as they were (the tag is removed again, or given back to the image that had it).
 * Registry failures become CogdeskErrors that say what happened and what to do: refused credentials, a
 * refused push, a model the registry does not know, the network dropping (a second push resumes: layers
 * the registry has are not uploaded again).
 */
import type Docker from 'dockerode';
import { CogdeskError } from '../../../shared/errors';
import type { RegistryAuth } from '../docker/auth';
import { dockerErrorToCogdesk, dockerTarget } from '../docker/connection';
import { rawMessage } from '../docker/docker-errors';
import { followJsonStream } from '../docker/json-stream';
import { refusedCredentials } from './credentials';
import { PushProgressTracker, type PushEvent } from './progress';
import type { CredentialSource, PushProgress } from './types';
import { safeCall, throttle } from '../util/progress';

export const PUSH_TAG = 'latest';

export interface PushImageOptions {
  /** `<registry>/owner/name` */
  target: string;
  registry: string;
  auth: RegistryAuth;
  /** Where the credentials came from (for what to do when the registry refuses them). */
  credentialSource: CredentialSource;
  username?: string | null;
  tracker?: PushProgressTracker;
  /** Aggregated progress, at most every `throttleMs` (100 ms). */
  onProgress?: (progress: PushProgress) => void;
  /** Aborting stops the push and rejects with CogdeskError('canceled'). */
  signal?: AbortSignal;
  throttleMs?: number;
}

export interface PushImageResult {
  /** The manifest digest the registry stored (`sha256:...`): Replicate's version id, without the prefix. */
  digest: string;
  progress: PushProgress;
}

/** Pushes of the same target, one at a time (they share the tag). */
const targetLocks = new Map<string, Promise<unknown>>();

export async function pushImage(docker: Docker, image: string, o: PushImageOptions): Promise<PushImageResult> {
  const previous = targetLocks.get(o.target) ?? Promise.resolve();
  const run = previous.catch(() => undefined).then(() => pushLocked(docker, image, o));
  targetLocks.set(o.target, run);
  try {
    return await run;
  } finally {
    if (targetLocks.get(o.target) === run) targetLocks.delete(o.target);
  }
}

async function pushLocked(docker: Docker, image: string, o: PushImageOptions): Promise<PushImageResult> {
  const { signal } = o;
  const tagged = `${o.target}:${PUSH_TAG}`;
  if (signal?.aborted) throw canceled(o.target);
  const target = dockerTarget(docker);

  let imageId: string;
  try {
    imageId = (await docker.getImage(image).inspect()).Id;
  } catch (e) {
    throw dockerErrorToCogdesk(e, { action: 'reading the image to push', ref: image, target });
  }
  const before = await docker
    .getImage(tagged)
    .inspect()
    .then((i) => i.Id)
    .catch(() => null);

  try {
    await docker.getImage(imageId).tag({ repo: o.target, tag: PUSH_TAG });
  } catch (e) {
    throw dockerErrorToCogdesk(e, { action: `tagging the image as ${tagged}`, ref: image, target });
  }
  try {
    return await streamPush(docker, o);
  } finally {
    await restoreTag(docker, o.target, imageId, before);
  }
}

/** Gives the tag back to the image that had it, or removes it when no image had it (keeping the image). */
async function restoreTag(docker: Docker, repo: string, pushed: string, before: string | null): Promise<void> {
  const tagged = `${repo}:${PUSH_TAG}`;
  try {
    if (before === pushed) return;
    if (before) {
      await docker.getImage(before).tag({ repo, tag: PUSH_TAG });
      return;
    }
    const info = await docker.getImage(pushed).inspect();
    // Removing an image's last tag would delete the image: then the tag stays.
    if ((info.RepoTags ?? []).filter((t) => t !== tagged && t !== '<none>:<none>').length === 0) return;
    await docker.getImage(tagged).remove({ noprune: true });
  } catch {
    // Best effort: a tag left behind is harmless.
  }
}

async function streamPush(docker: Docker, o: PushImageOptions): Promise<PushImageResult> {
  const { signal } = o;
  const tracker = o.tracker ?? new PushProgressTracker(o.target);
  const report = throttle(() => safeCall(o.onProgress, tracker.snapshot()), o.throttleMs ?? 100);
  report.now();

  let stream: NodeJS.ReadableStream;
  try {
    stream = (await docker.getImage(o.target).push({
      tag: PUSH_TAG,
      authconfig: o.auth,
      ...(signal ? { abortSignal: signal } : {}),
    })) as NodeJS.ReadableStream;
  } catch (e) {
    report.cancel();
    if (signal?.aborted) throw canceled(o.target, e);
    throw classifyPushError(rawMessage(e), o, e);
  }

  const end = await followJsonStream<PushEvent>(stream, { signal, onEvent: (event) => tracker.apply(event) && report() });
  report.cancel();
  if (end.outcome === 'canceled') throw canceled(o.target, end.error);
  if (end.failure) throw classifyPushError(end.failure, o);
  if (end.outcome === 'lost') {
    throw new CogdeskError(
      {
        code: 'registry_error',
        message: `Lost the connection to Docker while pushing ${o.target}`,
        hint: 'Check that Docker is still running, then push again (layers already uploaded are not uploaded again).',
        details: end.error ? rawMessage(end.error) : undefined,
      },
      { cause: end.error },
    );
  }
  if (!tracker.digest) {
    throw new CogdeskError({
      code: 'registry_error',
      message: `Docker finished pushing ${o.target} without saying which digest ${o.registry} stored`,
      hint: 'Push again; if it keeps happening, check Docker\'s log.',
      details: tracker.last || undefined,
    });
  }
  // The last state of the layers, whatever the throttle was holding back.
  safeCall(o.onProgress, tracker.snapshot());
  return { digest: tracker.digest!, progress: tracker.snapshot() };
}

/** Turns the engine's push failure into a CogdeskError a person can act on. */
export function classifyPushError(
  msg: string,
  ctx: Pick<PushImageOptions, 'target' | 'registry' | 'credentialSource'> & { username?: string | null },
  cause?: unknown,
): CogdeskError {
  const m = msg.toLowerCase();
  const host = ctx.registry;
  const make = (code: 'registry_unauthorized' | 'registry_error' | 'not_found', message: string, hint: string) =>
    new CogdeskError({ code, message, hint, details: msg }, { cause });
  const resume = 'layers already uploaded are not uploaded again';

  if (/no basic auth credentials|authentication required|unauthorized|incorrect username or password|\b401\b/.test(m)) {
    return refusedCredentials(host, { source: ctx.credentialSource, username: ctx.username ?? null }, msg);
  }
  if (/denied|forbidden|\b403\b/.test(m)) {
    return make(
      'registry_unauthorized',
      `${host} refused the push to ${ctx.target}`,
      `Check that the model exists and that the registry user${ctx.username ? ` ${ctx.username}` : ''} may push to it (a model of another account, or an organization you are not in, is refused).`,
    );
  }
  if (/name unknown|repository name not known|name_unknown/.test(m)) {
    return make('not_found', `${host} has no model ${ctx.target.slice(host.length + 1)} to push to`, 'Create the model on Replicate first (Cogdesk does when the API token may), then push again.');
  }
  if (/toomanyrequests|too many requests|rate limit/.test(m)) {
    return make('registry_error', `${host} is limiting requests`, `Wait a while and push again; ${resume}.`);
  }
  if (/http response to https client|x509|certificate|tls/.test(m)) {
    return make('registry_error', `Could not make a secure connection to ${host}`, `Check the registry's TLS certificate, or list ${host} under "insecure-registries" in Docker's daemon.json if it only speaks HTTP.`);
  }
  if (/no such image|does not exist locally|reference does not exist/.test(m)) {
    return make('not_found', `The image to push is gone from this machine`, 'Build or pull it again, then push.');
  }
  if (/connection refused|no such host|unreachable|lookup|no route|reset|eof|timeout|timed out|broken pipe|dial tcp|i\/o|closed|connection/.test(m)) {
    return make('registry_error', `The connection to ${host} dropped while pushing ${ctx.target}`, `Check the network and push again: ${resume}.`);
  }
  if (/blob upload unknown|blob upload invalid|manifest invalid|manifest blob unknown|unknown blob|size invalid|digest invalid/.test(m)) {
    return make('registry_error', `${host} did not accept part of ${ctx.target} (${shorten(msg)})`, `Push again; ${resume}.`);
  }
  if (/5\d\d|internal server error|service unavailable|bad gateway/.test(m)) {
    return make('registry_error', `${host} failed while receiving ${ctx.target} (${shorten(msg)})`, `This is on the registry's side: push again in a few minutes; ${resume}.`);
  }
  return make('registry_error', `Pushing ${ctx.target} failed: ${shorten(msg)}`, `Push again; ${resume}. If it keeps failing, check Docker's log.`);
}

function shorten(s: string): string {
  return s.length > 160 ? `${s.slice(0, 159)}…` : s;
}

function canceled(target: string, cause?: unknown): CogdeskError {
  return new CogdeskError(
    { code: 'canceled', message: `Push to ${target} canceled`, hint: 'Push again whenever you want: layers already uploaded are not uploaded again.' },
    { cause },
  );
}
