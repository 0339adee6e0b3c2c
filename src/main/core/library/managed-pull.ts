/**
 * A pull that also fetches the reference's managed weights: the plan is read from the registry first (the
 * index and its weight manifests, no layer), so the pull's progress counts the weight bytes from its first
 * report; Docker pulls the image (it ignores the weight manifests); then the weights not yet in the data
 * folder are fetched, with the same progress and the same cancel.
 */
import type { PullProgress } from '../../../shared/domain';
import { CogdeskError } from '../../../shared/errors';
import { readWeightPlan, type WeightPlan } from '../docker/weight-manifests';
import { formatBytes } from '../../../shared/format';
import { safeCall, throttle } from '../util/progress';
import type { ManagedWeights } from './managed-weights';

export interface ManagedPullOptions {
  onProgress?: (p: PullProgress) => void;
  signal?: AbortSignal;
  /** The Docker config file with the registry credentials (default: the user's). */
  dockerConfigPath?: string;
}

/**
 * Pulls `ref` through `pullImage` and fetches its managed weights. Answers the plan (null for an image
 * without managed weights), for the caller to record with the version.
 */
export async function pullWithWeights(
  managed: ManagedWeights,
  ref: string,
  o: ManagedPullOptions,
  pullImage: (p: { onProgress: (p: PullProgress) => void; signal?: AbortSignal }) => Promise<unknown>,
): Promise<WeightPlan | null> {
  const plan = await readPlan(ref, o);
  const todo = plan ? managed.missing(plan) : [];
  const weightTotal = todo.reduce((n, w) => n + w.bytes, 0);
  let last: PullProgress | null = null;
  let percent = 0;
  const combine = (p: PullProgress, weightDone: number, phase?: PullProgress['phase'], message?: string): PullProgress => {
    const bytesDone = p.bytesDone + weightDone;
    const bytesTotal = p.bytesTotal + weightTotal;
    if (p.percent !== null) percent = Math.max(percent, bytesTotal > 0 ? Math.min(99, Math.floor((100 * bytesDone) / bytesTotal)) : 0);
    return { ...p, phase: phase ?? p.phase, bytesDone, bytesTotal, percent: p.percent === null ? null : percent, message: message ?? p.message };
  };

  await pullImage({
    signal: o.signal,
    onProgress: (p) => {
      last = p;
      if (weightTotal === 0) return safeCall(o.onProgress, p);
      // The image is only part of the pull: its "done" is not the pull's.
      safeCall(o.onProgress, p.phase === 'done' ? combine(p, 0, 'downloading', `Pulled the image; ${formatBytes(weightTotal)} of weights to fetch`) : combine(p, 0));
    },
  });
  if (!plan || todo.length === 0) return plan;

  const image: PullProgress = last ?? { ref, phase: 'downloading', layers: { total: 0, done: 0, downloading: 0, extracting: 0, alreadyExists: 0 }, bytesDone: 0, bytesTotal: 0, percent: 0, message: '' };
  const imageDone = { ...image, bytesDone: image.bytesTotal, percent: 100 };
  let fetched = 0;
  let current = todo[0]!.name;
  const report = throttle(() => safeCall(o.onProgress, combine(imageDone, fetched, 'downloading', `Fetching weights: ${current} (${formatBytes(fetched)} of ${formatBytes(weightTotal)})`)), 100);
  report.now();
  try {
    for (const w of todo) {
      current = w.name;
      await managed.fetch({ ...plan, weights: [w] }, { signal: o.signal, dockerConfigPath: o.dockerConfigPath, onBytes: (n) => ((fetched += n), report()) });
    }
  } finally {
    report.cancel();
  }
  safeCall(o.onProgress, { ...combine(imageDone, fetched), phase: 'done', percent: 100, message: `Pulled, with ${todo.length} weight${todo.length === 1 ? '' : 's'} (${formatBytes(weightTotal)})` });
  return plan;
}

/**
 * The plan, or null. A registry this cannot read (credentials only Docker's own helper has, a network
 * quirk) does not stop the pull: Docker reports real problems, and a model that needs its weights says so
 * when it starts. A model whose weights are malformed, or a cancel, does stop it.
 */
async function readPlan(ref: string, o: ManagedPullOptions): Promise<WeightPlan | null> {
  try {
    return await readWeightPlan(ref, { signal: o.signal, dockerConfigPath: o.dockerConfigPath });
  } catch (e) {
    if (o.signal?.aborted) throw new CogdeskError({ code: 'pull_canceled', message: `Pull of ${ref} canceled`, hint: 'Pull it again whenever you want it.' }, { cause: e });
    if (e instanceof CogdeskError && e.details === 'managed weights') throw e;
    return null;
  }
}
