import type Docker from 'dockerode';
import type { PullProgress } from '../../../shared/domain';
import { CogdeskError } from '../../../shared/errors';
import { registryAuthFor, type RegistryAuth } from './auth';
import { dockerErrorToCogdesk, dockerTarget } from './connection';
import { rawMessage, registryError } from './docker-errors';
import { parseImageRef, repoDigestFor, type ImageRef } from './image-ref';
import { PullProgressTracker, type PullEvent } from './progress';
import { safeCall, throttle } from '../util/progress';

export interface PullOptions {
  /** Aggregated progress, at most every `throttleMs` (100 ms), plus a last one with phase `done`. */
  onProgress?: (progress: PullProgress) => void;
  /** Aborting stops the pull and rejects with CogdeskError('pull_canceled'). */
  signal?: AbortSignal;
  /** Registry credentials; by default those in the user's Docker config (see registryAuthFor); null for none. */
  auth?: RegistryAuth | null;
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
  const auth = opts.auth === undefined ? await registryAuthFor(parsed, { configPath: opts.configPath }) : opts.auth ?? undefined;
  const ctx = { ref: parsed.full, registry: parsed.registry, withAuth: !!auth };
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
    throw dockerErrorToCogdesk(e, { action: 'pulling', target: dockerTarget(docker), ...ctx });
  }

  const streamDigest = await new Promise<string | undefined>((resolve, reject) => {
    let buffer = '';
    let failure: string | undefined;
    let digest: string | undefined;
    let settled = false;
    const settle = (err?: CogdeskError) => {
      if (settled) return;
      settled = true;
      report.cancel();
      signal?.removeEventListener('abort', onAbort);
      if (err) reject(err);
      else resolve(digest);
    };
    const onAbort = () => {
      (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
      settle(canceled(parsed));
    };
    const handle = (line: string) => {
      if (!line.trim()) return;
      let event: PullEvent;
      try {
        event = JSON.parse(line) as PullEvent;
      } catch {
        return;
      }
      if (event.error || event.errorDetail) {
        failure ??= event.errorDetail?.message || event.error || 'unknown error';
        return;
      }
      const d = /^Digest: (\S+)/.exec(event.status ?? '');
      if (d) digest = d[1];
      if (tracker.apply(event)) report();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      buffer += chunk;
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      lines.forEach(handle);
    });
    stream.on('end', () => {
      handle(buffer);
      settle(failure ? registryError(failure, ctx) : undefined);
    });
    const broken = (e?: unknown) => {
      if (signal?.aborted) return settle(canceled(parsed, e));
      if (failure) return settle(registryError(failure, ctx));
      settle(
        new CogdeskError(
          {
            code: 'pull_failed',
            message: `Lost the connection to Docker while pulling ${parsed.full}`,
            hint: 'Check that Docker is still running, then pull again.',
            details: e ? rawMessage(e) : undefined,
          },
          { cause: e },
        ),
      );
    };
    stream.on('error', broken);
    stream.on('close', () => broken());
  });

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
