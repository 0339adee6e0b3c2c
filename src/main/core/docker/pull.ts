import type Docker from 'dockerode';
import type { PullProgress } from '../../../shared/domain';
import { CogdeskError } from '../../../shared/errors';
import { credentialsMayGoTo, registryAuthFor, withheldWords, type RegistryAuth } from './auth';
import { dockerErrorToCogdesk, dockerTarget } from './connection';
import { rawMessage, registryError } from './docker-errors';
import { parseImageRef, repoDigestFor, type ImageRef } from './image-ref';
import { followJsonStream } from './json-stream';
import { PullProgressTracker, type PullEvent } from './progress';
import { safeCall, throttle } from '../util/progress';

export interface PullOptions {
  /** Aggregated progress, at most every `throttleMs` (100 ms), plus a last one with phase `done`. */
  onProgress?: (progress: PullProgress) => void;
  /** Aborting stops the pull and rejects with CogdeskError('pull_canceled'). */
  signal?: AbortSignal;
  /**
   * Registry credentials; by default those in the user's Docker config (see registryAuthFor); null for
   * none. Never sent to an engine that is not on this machine unless COGDESK_ENGINE_CREDENTIALS names it.
   */
  auth?: RegistryAuth | null;
  /** Where COGDESK_ENGINE_CREDENTIALS is read (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** The Docker config file to read credentials from, when `auth` is not given. */
  configPath?: string;
  throttleMs?: number;
}

export interface PullResult {
  /** The normalized reference that was pulled (`registry/repository:tag` or `...@sha256:...`). */
  ref: string;
  /** Docker's image id (`sha256:...`). */
  imageId: string;
  /** The manifest digest (`sha256:...`) the registry serves this image under, when known. */
  digest?: string;
}

/** Pulls an image through the engine, reporting one aggregated progress; resolves once it is on disk. */
export async function pullImage(docker: Docker, ref: string, opts: PullOptions = {}): Promise<PullResult> {
  const parsed = parseImageRef(ref);
  const { signal } = opts;
  if (signal?.aborted) throw canceled(parsed);
  const found = opts.auth === undefined ? await registryAuthFor(parsed, { configPath: opts.configPath }) : opts.auth ?? undefined;
  const engine = found ? credentialsMayGoTo(docker, opts.env) : ({ ok: true } as const);
  const auth = engine.ok ? found : undefined;
  const withheld = engine.ok ? null : withheldWords(parsed.registry, engine.engine);
  const ctx = { ref: parsed.full, registry: parsed.registry, withAuth: !!auth };
  /** A refusal that the withheld credentials would have answered says that they were withheld. */
  const explain = (e: CogdeskError): CogdeskError =>
    withheld && (e.code === 'registry_unauthorized' || e.code === 'image_not_found')
      ? new CogdeskError({ code: e.code, message: `${e.message}. ${withheld.sentence}`, hint: withheld.hint, details: e.details }, { cause: e })
      : e;
  const tracker = new PullProgressTracker(parsed.full);
  const report = throttle(() => safeCall(opts.onProgress, tracker.snapshot()), opts.throttleMs ?? 100);
  report.now();

  let stream: NodeJS.ReadableStream;
  try {
    stream = await docker.createImage(auth, {
      fromImage: parsed.name,
      tag: parsed.digest ?? parsed.tag ?? 'latest',
      ...(signal ? { abortSignal: signal } : {}),
    });
  } catch (e) {
    report.cancel();
    if (signal?.aborted) throw canceled(parsed, e);
    throw explain(dockerErrorToCogdesk(e, { action: 'pulling', target: dockerTarget(docker), ...ctx }));
  }

  let streamDigest: string | undefined;
  const end = await followJsonStream<PullEvent>(stream, {
    signal,
    onEvent: (event) => {
      const d = /^Digest: (\S+)/.exec(event.status ?? '');
      if (d) streamDigest = d[1];
      if (tracker.apply(event)) report();
    },
  });
  report.cancel();
  if (end.outcome === 'canceled') throw canceled(parsed, end.error);
  if (end.failure) throw explain(registryError(end.failure, ctx));
  if (end.outcome === 'lost') {
    throw new CogdeskError(
      {
        code: 'pull_failed',
        message: `Lost the connection to Docker while pulling ${parsed.full}`,
        hint: 'Check that Docker is still running, then pull again.',
        details: end.error ? rawMessage(end.error) : undefined,
      },
      { cause: end.error },
    );
  }

  let info: Docker.ImageInspectInfo;
  try {
    info = await docker.getImage(parsed.full).inspect();
  } catch (e) {
    throw new CogdeskError(
      {
        code: 'pull_failed',
        message: `Docker finished pulling ${parsed.full} but the image is not there`,
        hint: 'Pull again; if it keeps failing, check Docker\'s log.',
        details: rawMessage(e),
      },
      { cause: e },
    );
  }
  safeCall(opts.onProgress, tracker.finish());
  const digest = parsed.digest ?? repoDigestFor(info.RepoDigests, parsed) ?? streamDigest;
  return { ref: parsed.full, imageId: info.Id, ...(digest ? { digest } : {}) };
}

function canceled(ref: ImageRef, cause?: unknown): CogdeskError {
  return new CogdeskError(
    { code: 'pull_canceled', message: `Pull of ${ref.full} canceled`, hint: 'Pull it again whenever you want it.' },
    { cause },
  );
}
