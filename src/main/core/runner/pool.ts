import type Docker from 'dockerode';
import { CogClient } from '../cog/client';
import { removeContainer, startCogContainer, type StartOptions } from '../docker/containers';
import { waitUntilReady } from './ready';

export interface WarmContainer {
  versionId: string;
  containerId: string;
  client: CogClient;
  /** Predictions waiting for this container (the running one included). */
  queued: number;
  busy: boolean;
}

interface Entry extends WarmContainer {
  tail: Promise<unknown>;
  idleTimer?: NodeJS.Timeout;
}

export interface PoolOptions {
  docker: Docker;
  idleTimeoutMs: () => number;
  startOptions: (versionId: string, image: string) => Omit<StartOptions, 'versionId' | 'image'>;
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
    return [...this.entries.values()].map(({ versionId, containerId, client, queued, busy }) => ({
      versionId,
      containerId,
      client,
      queued,
      busy,
    }));
  }

  get(versionId: string): WarmContainer | undefined {
    return this.entries.get(versionId);
  }

  /** The warm container for a version, started (and waited for) if there is none. */
  async acquire(versionId: string, image: string, onStartLog?: (logs: string) => void): Promise<WarmContainer> {
    const warm = this.entries.get(versionId);
    if (warm) return warm;
    let pending = this.starting.get(versionId);
    if (!pending) {
      pending = this.start(versionId, image, onStartLog).finally(() => this.starting.delete(versionId));
      this.starting.set(versionId, pending);
    }
    return pending;
  }

  /** Takes over a container that is already running (started by an earlier run of Cogdesk). */
  adopt(versionId: string, containerId: string, baseUrl: string): WarmContainer {
    const entry: Entry = { versionId, containerId, client: new CogClient(baseUrl), queued: 0, busy: false, tail: Promise.resolve() };
    this.entries.set(versionId, entry);
    this.armIdle(entry);
    return entry;
  }

  /** Runs `job` when the container has nothing else to do; jobs run one at a time, in order. */
  run<T>(versionId: string, job: (c: WarmContainer) => Promise<T>): Promise<T> {
    const entry = this.entries.get(versionId);
    if (!entry) return Promise.reject(new Error(`no warm container for ${versionId}`));
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

  /** Forgets a container that died; the next prediction starts a fresh one. */
  async discard(versionId: string, containerId: string): Promise<void> {
    const entry = this.entries.get(versionId);
    if (entry?.containerId === containerId) {
      clearTimeout(entry.idleTimer);
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
        return removeContainer(this.o.docker, e.containerId);
      }),
    );
  }

  private async start(versionId: string, image: string, onStartLog?: (logs: string) => void): Promise<Entry> {
    const started = await startCogContainer(this.o.docker, { ...this.o.startOptions(versionId, image), versionId, image });
    const client = new CogClient(started.baseUrl);
    try {
      await waitUntilReady(this.o.docker, started.id, client, {
        onHealth: (h) => {
          if (h.setup?.logs) onStartLog?.(h.setup.logs);
        },
      });
    } catch (e) {
      await removeContainer(this.o.docker, started.id);
      throw e;
    }
    const entry: Entry = { versionId, containerId: started.id, client, queued: 0, busy: false, tail: Promise.resolve() };
    this.entries.set(versionId, entry);
    this.armIdle(entry);
    return entry;
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
