/**
 * After the push: Replicate makes the version from the image in the registry (its id is the pushed
 * manifest's digest). Wait until `GET /models/{owner}/{name}/versions` shows it, then link it to the local
 * version in SQLite ("pushed as owner/name:<id>"). Nothing is recorded before the version exists.
 */
import type { RemoteVersion } from '../../../shared/catalog';
import { CogdeskError } from '../../../shared/errors';
import { isRemoteError, UNREACHABLE, type RemoteClient } from '../remote/client';
import { list, toVersion } from '../remote/shapes';
import type { PushStore } from '../store/pushes';
import type { Destination } from './destination';
import type { PushLink } from './types';

export interface WaitOptions {
  signal?: AbortSignal;
  /** Between two looks (default 2 s). */
  pollMs?: number;
  /** How long Replicate may take to make the version (default 10 min). */
  timeoutMs?: number;
  /** Told after each look that did not find it yet. */
  onPoll?: (looks: number) => void | Promise<void>;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  now?: () => number;
}

/** Looks at the model's versions until one has this id; throws on timeout, cancel, or an error that will not pass. */
export async function waitForVersion(client: RemoteClient, dest: Destination, versionId: string, o: WaitOptions = {}): Promise<RemoteVersion> {
  const pollMs = o.pollMs ?? 2_000;
  const timeoutMs = o.timeoutMs ?? 10 * 60_000;
  const now = o.now ?? Date.now;
  const sleep = o.sleep ?? abortableSleep;
  const deadline = now() + timeoutMs;
  let looks = 0;
  let lastTrouble: string | null = null;
  for (;;) {
    if (o.signal?.aborted) throw waitCanceled(dest, versionId);
    try {
      const page = await client.listVersions(dest.owner, dest.name);
      const found = list(page, toVersion).find((v) => v.id === versionId);
      if (found) return found;
      lastTrouble = null;
    } catch (e) {
      // Offline for a moment, a server error, throttling: keep looking until the deadline.
      if (!isRemoteError(e, ...UNREACHABLE)) throw e;
      lastTrouble = e.message;
    }
    looks++;
    await o.onPoll?.(looks);
    if (now() + pollMs > deadline) {
      throw new CogdeskError({
        code: 'timeout',
        message: `${dest.image} is pushed, but Replicate has not shown version ${versionId.slice(0, 12)} of ${dest.id} after ${Math.round(timeoutMs / 1000)} s${lastTrouble ? ` (${lastTrouble})` : ''}`,
        hint: `It may still be processing: push the same version again later (nothing is uploaded twice) to record the link, or look at https://replicate.com/${dest.id}/versions.`,
      });
    }
    await sleep(pollMs, o.signal).catch(() => undefined);
  }
}

/** Records "pushed as owner/name:<id>" for a local version. */
export function recordLink(pushes: PushStore, o: { versionId: string; registry: string; dest: Destination; remoteVersionId: string }): PushLink {
  return pushes.record({
    versionId: o.versionId,
    registry: o.registry,
    modelId: o.dest.id,
    remoteVersionId: o.remoteVersionId,
    imageRef: `${o.dest.image}@sha256:${o.remoteVersionId}`,
  });
}

function waitCanceled(dest: Destination, versionId: string): CogdeskError {
  return new CogdeskError({
    code: 'canceled',
    message: `Stopped waiting for Replicate to make version ${versionId.slice(0, 12)} of ${dest.id}`,
    hint: 'The image is pushed: push the same version again later to record the link (nothing is uploaded twice).',
  });
}

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
