import type Docker from 'dockerode';
import { CogdeskError } from '../../../shared/errors';
import { CogClient } from '../cog/client';
import { removeContainer, startCogContainer, type StartOptions } from '../docker/containers';
import { checkContainerGpu } from '../hardware/docker-gpu';
import { classifyGpuStartError } from '../hardware/gpu-request';
import { formatBytes } from '../../../shared/format';
import { waitUntilReady } from './ready';
import { seconds, type WeightsKeeper } from './weights';

export interface WarmContainer {
  versionId: string;
  containerId: string;
  client: CogClient;
  /** Predictions waiting for this container (the running one included). */
  queued: number;
  busy: boolean;
  /** Where the model runs: checked from inside the container, never assumed. */
  runsOn: 'gpu' | 'cpu';
  /** Why a model that wants a GPU runs on the CPU (shown on its predictions), else undefined. */
  notice?: string;
  /** Set once the container was discarded (it died or was stopped): jobs still queued on it must start a fresh one. */
  gone?: boolean;
  /** How it started ("Started from kept weights…", "Setup wrote 4.2 GB…"), told to the prediction that waited for it. */
  startNote?: string;
}

/** Raised by `run` when the version has no warm container (it was discarded before the job was queued). */
export class NoWarmContainerError extends Error {
  constructor(versionId: string) {
    super(`no warm container for ${versionId}`);
    this.name = 'NoWarmContainerError';
  }
}

interface Entry extends WarmContainer {
  tail: Promise<unknown>;
  idleTimer?: NodeJS.Timeout;
}

export interface PoolOptions {
  docker: Docker;
  idleTimeoutMs: () => number;
  /** How to start a version's container; `gpus` is set for models built with `gpu: true`. */
  startOptions: (versionId: string, image: string, needsGpu: boolean) => Promise<Omit<StartOptions, 'versionId' | 'image'>>;
  /** Whether a GPU model may run on the CPU when Docker cannot give it a GPU. */
  allowCpuFallback: () => boolean;
  /** Keeps what setups download for the next cold start, and starts from it. */
  weights?: WeightsKeeper;
}

/**
 * Warm containers, one per version: started on first use, reused while warm, stopped after the idle
 * timeout or at exit. Each runs one prediction at a time; the rest wait in its queue.
 */
export class WarmPool {
  private readonly entries = new Map<string, Entry>();
  private readonly starting = new Map<string, Promise<Entry>>();

  constructor(private readonly o: PoolOptions) {}

  list(): WarmContainer[] {
    return [...this.entries.values()].map(({ versionId, containerId, client, queued, busy, runsOn, notice }) => ({
      versionId,
      containerId,
      client,
      queued,
      busy,
      runsOn,
      notice,
    }));
  }

  get(versionId: string): WarmContainer | undefined {
    return this.entries.get(versionId);
  }

  /** The warm container for a version, started (and waited for) if there is none. */
  async acquire(versionId: string, image: string, needsGpu = false): Promise<WarmContainer> {
    const warm = this.entries.get(versionId);
    if (warm) return warm;
    let pending = this.starting.get(versionId);
    if (!pending) {
      pending = this.start(versionId, image, needsGpu).finally(() => this.starting.delete(versionId));
      this.starting.set(versionId, pending);
    }
    return pending;
  }

  /** Takes over a container that is already running (started by an earlier run of Cogdesk). */
  adopt(versionId: string, containerId: string, baseUrl: string, runsOn: 'gpu' | 'cpu' = 'cpu'): WarmContainer {
    const entry: Entry = { versionId, containerId, client: new CogClient(baseUrl), queued: 0, busy: false, runsOn, tail: Promise.resolve() };
    this.entries.set(versionId, entry);
    this.armIdle(entry);
    return entry;
  }

  /** Runs `job` when the container has nothing else to do; jobs run one at a time, in order. */
  run<T>(versionId: string, job: (c: WarmContainer) => Promise<T>): Promise<T> {
    const entry = this.entries.get(versionId);
    if (!entry) return Promise.reject(new NoWarmContainerError(versionId));
    entry.queued++;
    clearTimeout(entry.idleTimer);
    const result = entry.tail.then(async () => {
      entry.busy = true;
      try {
        return await job(entry);
      } finally {
        entry.busy = false;
        entry.queued--;
        if (entry.queued === 0) this.armIdle(entry);
      }
    });
    entry.tail = result.catch(() => undefined);
    return result;
  }

  /**
   * Forgets a container that died (or must be stopped) and removes it; the jobs still queued on it see
   * `gone` and the next prediction starts a fresh one.
   */
  async discard(versionId: string, containerId: string): Promise<void> {
    const entry = this.entries.get(versionId);
    if (entry?.containerId === containerId) {
      clearTimeout(entry.idleTimer);
      entry.gone = true;
      this.entries.delete(versionId);
    }
    await removeContainer(this.o.docker, containerId);
  }

  async stopAll(): Promise<void> {
    const all = [...this.entries.values()];
    this.entries.clear();
    await Promise.all(
      all.map((e) => {
        clearTimeout(e.idleTimer);
        e.gone = true;
        return removeContainer(this.o.docker, e.containerId);
      }),
    );
  }

  private async start(versionId: string, image: string, needsGpu: boolean): Promise<Entry> {
    const options = { ...(await this.o.startOptions(versionId, image, needsGpu)), versionId, image };
    const startedAt = Date.now();
    let notice: string | undefined;
    let started: Awaited<ReturnType<typeof startCogContainer>>;
    let kept: { imageId: string; bytes: number } | null = null;
    // From the version's kept weights when there are some for this start's key, else from its image.
    const launch = async (o: StartOptions) => {
      kept = (await this.o.weights?.find(this.weightsKey(o)).catch(() => null)) ?? null;
      if (kept) {
        try {
          return await startCogContainer(this.o.docker, { ...o, image: kept.imageId });
        } catch {
          kept = null; // removed meanwhile, or unusable: the image itself still works
        }
      }
      return startCogContainer(this.o.docker, o);
    };
    let used: StartOptions = options;
    try {
      started = await launch(options);
    } catch (e) {
      const refused = options.gpus ? classifyGpuStartError(e) : null;
      if (!refused || !this.o.allowCpuFallback()) throw e;
      // Allowed in Settings: run it on the CPU, and say so on every prediction.
      notice = `No GPU: ${refused.message}. Running on the CPU instead (allowed in Settings); this is much slower.`;
      used = { ...options, gpus: undefined };
      started = await launch(used);
    }
    const client = new CogClient(started.baseUrl);
    let runsOn: 'gpu' | 'cpu' = 'cpu';
    try {
      await waitUntilReady(this.o.docker, started.id, client);
      if (options.gpus && !notice) {
        // Never claim a GPU from the request alone: look from inside the container.
        const check = await checkContainerGpu(this.o.docker, started.id);
        if (check.gpu) runsOn = 'gpu';
        else if (this.o.allowCpuFallback()) notice = 'No GPU is visible inside the container. Running on the CPU instead (allowed in Settings); this is much slower.';
        else {
          throw new CogdeskError({
            code: 'container_failed',
            message: 'The model asked for a GPU, and Docker started it, but no GPU is visible inside its container',
            hint: 'Check the NVIDIA Container Toolkit and driver with `cogdesk hardware --probe IMAGE`, or allow running on the CPU in Settings.',
            details: check.details,
          });
        }
      }
    } catch (e) {
      await removeContainer(this.o.docker, started.id);
      throw e;
    }
    // Before any prediction reaches it: keep what setup wrote (never what a prediction writes).
    const setupMs = Date.now() - startedAt;
    const from = kept as { imageId: string; bytes: number } | null;
    const startNote = from
      ? `Started from kept weights (${formatBytes(from.bytes)}) in ${seconds(setupMs)}.`
      : ((await this.o.weights?.keep(started.id, { versionId, image, key: this.weightsKey(used), setupMs }))?.note ?? undefined);
    const entry: Entry = { versionId, containerId: started.id, client, queued: 0, busy: false, runsOn, notice, startNote, tail: Promise.resolve() };
    this.entries.set(versionId, entry);
    this.armIdle(entry);
    return entry;
  }

  private weightsKey(o: StartOptions): string {
    return this.o.weights?.keyFor(o.versionId, o.image, o.env, Boolean(o.gpus)) ?? '';
  }

  private armIdle(entry: Entry): void {
    clearTimeout(entry.idleTimer);
    entry.idleTimer = setTimeout(() => {
      if (entry.queued > 0 || this.entries.get(entry.versionId) !== entry) return;
      this.entries.delete(entry.versionId);
      void removeContainer(this.o.docker, entry.containerId);
    }, this.o.idleTimeoutMs());
    entry.idleTimer.unref();
  }
}
