import type Docker from 'dockerode';
import { CogdeskError } from '../../../shared/errors';
import { CogClient } from '../cog/client';
import { removeContainer, startCogContainer, type StartOptions } from '../docker/containers';
import { checkContainerGpu } from '../hardware/docker-gpu';
import { classifyGpuStartError } from '../hardware/gpu-request';
import { formatBytes } from '../../../shared/format';
import { concurrencyFromHealth, imageConcurrency, resolveConcurrency, type ConcurrencyLimit, type ConcurrencySource } from './concurrency';
import { waitUntilReady } from './ready';
import { seconds, type WeightsKeeper } from './weights';

export interface WarmContainer {
  versionId: string;
  containerId: string;
  client: CogClient;
  /** Predictions for this container, waiting or running. */
  queued: number;
  /** Predictions running on it now (at most `limit`). */
  running: number;
  /** How many predictions it runs at once, and who said so (concurrency.ts); the rest wait their turn. */
  limit: number;
  limitSource: ConcurrencySource;
  busy: boolean;
  /** When a prediction last started or ended on it (ms since the epoch); the least recently used is stopped first. */
  lastUsedAt: number;
  /** When it is stopped if nothing comes (ms since the epoch); undefined while it has predictions. */
  idleUntil?: number;
  /** Where the model runs: checked from inside the container, never assumed. */
  runsOn: 'gpu' | 'cpu';
  /** Why a model that wants a GPU runs on the CPU (shown on its predictions), else undefined. */
  notice?: string;
  /** Set once the container was discarded (it died or was stopped): jobs still queued on it must start a fresh one. */
  gone?: boolean;
  /** Why its model's worker is broken (crashed, or BUSY with nothing running), told to every prediction it takes down. */
  broken?: string;
  /** How long its last prediction ran, send to answer (ms): a quick model's next one asks for no webhooks (webhook-events.ts). */
  lastRunMs?: number;
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
  /** Jobs waiting for a free slot, first come first served. */
  waiters: Array<() => void>;
  /** What the image and the server say about the limit (the person's setting is read at each turn). */
  said: { env: number | null; config: number | null; health: number | null };
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
  /** The person's own concurrency setting for the version's model, if any (read at each turn, so a change applies at once). */
  concurrencySetting?: (versionId: string) => number | null;
  /** What else a cold start of the version has to say (room made on a GPU), put before the pool's own start note. */
  startNote?: (versionId: string) => string | undefined;
}

/**
 * Warm containers, one per version: started on first use, reused while warm, stopped after the idle
 * timeout or at exit. Each runs as many predictions at once as its model allows (concurrency.ts); the
 * rest wait in its queue, in order.
 */
export class WarmPool {
  private readonly entries = new Map<string, Entry>();
  private readonly starting = new Map<string, Promise<Entry>>();

  constructor(private readonly o: PoolOptions) {}

  list(): WarmContainer[] {
    return [...this.entries.values()].map((e) => ({
      versionId: e.versionId,
      containerId: e.containerId,
      client: e.client,
      queued: e.queued,
      running: e.running,
      limit: this.limitOf(e).limit,
      limitSource: this.limitOf(e).source,
      busy: e.busy,
      lastUsedAt: e.lastUsedAt,
      idleUntil: e.idleUntil,
      runsOn: e.runsOn,
      notice: e.notice,
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
    const entry = this.entry({ versionId, containerId, client: new CogClient(baseUrl), runsOn, said: { env: null, config: null, health: null } });
    this.entries.set(versionId, entry);
    // Its limit is in the container's own env (what it was started with): until read, one at a time.
    void imageConcurrency(this.o.docker, { containerId }).then((said) => Object.assign(entry.said, said), () => undefined);
    this.armIdle(entry);
    return entry;
  }

  /**
   * Runs `job` when the container has a free slot: at most its limit at once, the rest in the order they
   * came. `job` sees `gone` when the container was discarded while it waited.
   */
  async run<T>(versionId: string, job: (c: WarmContainer) => Promise<T>): Promise<T> {
    const entry = this.entries.get(versionId);
    if (!entry) throw new NoWarmContainerError(versionId);
    entry.queued++;
    clearTimeout(entry.idleTimer);
    entry.idleUntil = undefined;
    try {
      await this.slot(entry);
      entry.busy = true;
      entry.lastUsedAt = Date.now();
      try {
        return await job(entry);
      } finally {
        entry.running--;
        entry.busy = entry.running > 0;
        entry.lastUsedAt = Date.now();
        this.admit(entry);
      }
    } finally {
      entry.queued--;
      if (entry.queued === 0) this.armIdle(entry);
    }
  }

  /** The limit now: the person's setting for the model, else what the image and its server say, else 1. */
  limitOf(entry: WarmContainer): ConcurrencyLimit {
    const said = (entry as Entry).said ?? { env: null, config: null, health: null };
    return resolveConcurrency({ setting: this.o.concurrencySetting?.(entry.versionId), ...said });
  }

  /** Takes a slot (counted in `running` at once, so two jobs never both see the last one free). */
  private slot(entry: Entry): Promise<void> {
    if (entry.gone || (entry.waiters.length === 0 && entry.running < this.limitOf(entry).limit)) {
      entry.running++;
      return Promise.resolve();
    }
    return new Promise((resolve) => entry.waiters.push(resolve));
  }

  /** Hands free slots to the jobs waiting longest; a discarded container lets them all go (to start a fresh one). */
  private admit(entry: Entry): void {
    const limit = entry.gone ? Infinity : this.limitOf(entry).limit;
    while (entry.waiters.length > 0 && entry.running < limit) {
      entry.running++;
      entry.waiters.shift()!();
    }
  }

  /**
   * Forgets a container that died (or must be stopped) and removes it; the jobs still queued on it see
   * `gone` and the next prediction starts a fresh one.
   */
  async discard(versionId: string, containerId: string, broken?: string): Promise<void> {
    const entry = this.entries.get(versionId);
    if (entry?.containerId === containerId) {
      clearTimeout(entry.idleTimer);
      entry.gone = true;
      entry.broken ??= broken;
      this.entries.delete(versionId);
      this.admit(entry);
    }
    await removeContainer(this.o.docker, containerId);
  }

  /**
   * A container that died or was removed outside the pool (Docker's events): forgotten, so its version's next
   * prediction starts a fresh one. Not one of the pool's (already discarded, or another process's): nothing.
   * One running a prediction is left to that prediction, which reads from Docker how it ended (exit code, its
   * output) before it discards it.
   */
  forgetContainer(containerId: string): void {
    for (const entry of this.entries.values()) {
      if (entry.containerId === containerId && entry.running === 0) void this.discard(entry.versionId, containerId);
    }
  }

  async stopAll(): Promise<void> {
    const all = [...this.entries.values()];
    this.entries.clear();
    await Promise.all(
      all.map((e) => {
        clearTimeout(e.idleTimer);
        e.gone = true;
        this.admit(e);
        return removeContainer(this.o.docker, e.containerId);
      }),
    );
  }

  private async start(versionId: string, image: string, needsGpu: boolean): Promise<Entry> {
    const [base, fromImage] = await Promise.all([this.o.startOptions(versionId, image, needsGpu), imageConcurrency(this.o.docker, { image })]);
    const options = { ...base, versionId, image };
    const startedAt = Date.now();
    // The server is told the limit Cogdesk keeps to (coglet reads COG_MAX_CONCURRENCY), so a person's own
    // setting needs no new image. Not part of the kept-weights key: what setup downloads does not depend on it.
    const said = { ...fromImage, health: null as number | null };
    const limit = resolveConcurrency({ setting: this.o.concurrencySetting?.(versionId), ...said });
    const withLimit = (o: StartOptions): StartOptions =>
      limit.source === 'default' ? o : { ...o, env: { ...o.env, COG_MAX_CONCURRENCY: String(limit.limit) } };
    let notice: string | undefined;
    let started: Awaited<ReturnType<typeof startCogContainer>>;
    let kept: { imageId: string; bytes: number } | null = null;
    // From the version's kept weights when there are some for this start's key, else from its image.
    const launch = async (o: StartOptions) => {
      kept = (await this.o.weights?.find(this.weightsKey(o), o.versionId).catch(() => null)) ?? null;
      if (kept) {
        try {
          return await startCogContainer(this.o.docker, withLimit({ ...o, image: kept.imageId }));
        } catch {
          kept = null; // removed meanwhile, or unusable: the image itself still works
        }
      }
      return startCogContainer(this.o.docker, withLimit(o));
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
      said.health = concurrencyFromHealth(await waitUntilReady(this.o.docker, started.id, client));
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
    const ownNote = from
      ? `Started from kept weights (${formatBytes(from.bytes)}) in ${seconds(setupMs)}.`
      : ((await this.o.weights?.keep(started.id, { versionId, image, key: this.weightsKey(used), setupMs }))?.note ?? undefined);
    const startNote = [this.o.startNote?.(versionId), ownNote].filter(Boolean).join('\n') || undefined;
    const entry = this.entry({ versionId, containerId: started.id, client, runsOn, notice, startNote, said });
    this.entries.set(versionId, entry);
    this.armIdle(entry);
    return entry;
  }

  private entry(o: Pick<Entry, 'versionId' | 'containerId' | 'client' | 'runsOn' | 'said' | 'notice' | 'startNote'>): Entry {
    return { ...o, queued: 0, running: 0, limit: 1, limitSource: 'default', busy: false, lastUsedAt: Date.now(), waiters: [] };
  }

  private weightsKey(o: StartOptions): string {
    return this.o.weights?.keyFor(o.versionId, o.image, o.env, Boolean(o.gpus)) ?? '';
  }

  private armIdle(entry: Entry): void {
    clearTimeout(entry.idleTimer);
    const ms = this.o.idleTimeoutMs();
    entry.idleUntil = Date.now() + ms;
    entry.idleTimer = setTimeout(() => {
      if (entry.queued > 0 || this.entries.get(entry.versionId) !== entry) return;
      this.entries.delete(entry.versionId);
      void removeContainer(this.o.docker, entry.containerId);
    }, ms);
    entry.idleTimer.unref();
  }
}
