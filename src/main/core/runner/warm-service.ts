/**
 * The warm containers of this data folder, as `cogdesk ps` and `cogdesk stop` see them (and the local API's
 * `/v1/cogdesk/containers`, through which those commands ask a running Cogdesk). Docker's labels say which
 * containers are ours and what they run; this process's pool adds what only the process that runs a container
 * knows: whether setup still runs, its predictions, when it goes idle.
 */
import type Docker from 'dockerode';
import { CogdeskError } from '../../../shared/errors';
import type { StoppedContainer, WarmContainerStatus } from '../../../shared/warm';
import { LABELS } from '../docker/containers';
import type { Store } from '../store';
import type { Lifecycle } from './lifecycle';
import type { WarmPool } from './pool';
import { processAlive } from '../util/process';

export interface WarmCalls {
  /** Every container Cogdesk started for this data folder, running or stopped. */
  listWarm(): Promise<WarmContainerStatus[]>;
  /**
   * Stops and removes them (those of these versions only, when given). The predictions running on one this
   * process runs are canceled first, and say so; another process's container is stopped through Docker.
   */
  stopWarm(versionIds?: readonly string[]): Promise<StoppedContainer[]>;
}

interface Deps {
  store: Store;
  homeId: string;
  docker: () => Promise<Docker>;
  pool: WarmPool;
  lifecycle: Lifecycle;
}


/**
 * Its memory use now, as `docker stats` shows it (the page cache that can be dropped does not count). Read
 * from the first frame of the stats stream, which comes at once: a one-off stats call waits a second for a
 * second sample (for the CPU use, which is not shown).
 */
async function memoryOf(docker: Docker, id: string): Promise<number | null> {
  let stream: NodeJS.ReadableStream | null = null;
  try {
    stream = (await docker.getContainer(id).stats({ stream: true })) as unknown as NodeJS.ReadableStream;
    const first = await new Promise<string>((resolve, reject) => {
      let text = '';
      const timer = setTimeout(() => reject(new Error('no stats')), 5_000);
      stream!.on('data', (c: Buffer) => {
        text += c.toString('utf8');
        const nl = text.indexOf('\n');
        if (nl >= 0) {
          clearTimeout(timer);
          resolve(text.slice(0, nl));
        }
      });
      stream!.on('error', (e) => (clearTimeout(timer), reject(e)));
      stream!.on('end', () => (clearTimeout(timer), resolve(text)));
    });
    const stats = JSON.parse(first) as { memory_stats?: { usage?: number; stats?: { inactive_file?: number } } };
    const usage = stats.memory_stats?.usage;
    return typeof usage === 'number' ? usage - (stats.memory_stats?.stats?.inactive_file ?? 0) : null;
  } catch {
    return null;
  } finally {
    (stream as unknown as { destroy?: () => void } | null)?.destroy?.();
  }
}

export function createWarmService(d: Deps): WarmCalls {
  const listWarm = async (): Promise<WarmContainerStatus[]> => {
    const docker = await d.docker();
    const list = await docker.listContainers({ all: true, filters: { label: [`${LABELS.managed}=true`, `${LABELS.home}=${d.homeId}`] } });
    const pooled = new Map(d.pool.list().map((w) => [w.containerId, w]));
    return Promise.all(
      list.map(async (c): Promise<WarmContainerStatus> => {
        const versionId = c.Labels[LABELS.version] ?? '';
        const version = versionId ? d.store.library.getVersion(versionId) : null;
        const running = c.State === 'running';
        const info = await docker.getContainer(c.Id).inspect().catch(() => null);
        const pid = Number(c.Labels[LABELS.pid] ?? 0);
        const warm = pooled.get(c.Id);
        // Started by this process and not in its pool yet: its setup runs.
        const mine = pid === process.pid && running;
        const state = warm ? (warm.running + warm.queued > 0 ? 'busy' : 'idle') : mine ? 'starting' : null;
        return {
          container_id: c.Id,
          model: version?.modelId ?? c.Image,
          version: versionId,
          status: running ? 'running' : 'stopped',
          started_at: info?.State?.StartedAt ? new Date(info.State.StartedAt).toISOString() : new Date(c.Created * 1000).toISOString(),
          memory_bytes: running ? await memoryOf(docker, c.Id) : null,
          owner_pid: pid,
          owner_alive: processAlive(pid),
          state,
          running: warm ? warm.running : mine ? 0 : null,
          queued: warm ? Math.max(0, warm.queued - warm.running) : mine ? 0 : null,
          idle_until: warm && state === 'idle' && warm.idleUntil ? new Date(warm.idleUntil).toISOString() : null,
        };
      }),
    );
  };

  return {
    listWarm,

    async stopWarm(versionIds) {
      const wanted = versionIds ? new Set(versionIds) : null;
      const docker = await d.docker();
      const chosen = (await listWarm()).filter((c) => !wanted || wanted.has(c.version));
      const pooled = new Map(d.pool.list().map((w) => [w.containerId, w]));
      const stopped: StoppedContainer[] = [];
      for (const c of chosen) {
        const warm = pooled.get(c.container_id);
        const canceled: string[] = [];
        if (warm) {
          // Ours: what runs on it ends as canceled (said in its logs), then the pool lets it go.
          const onIt = d.store.predictions.unfinished().filter((u) => u.prediction.versionId === warm.versionId && d.lifecycle.isRunning(u.prediction.id));
          for (const u of onIt) if (await d.lifecycle.cancel(u.prediction.id).catch(() => false)) canceled.push(u.prediction.id);
          await d.pool.discard(warm.versionId, warm.containerId, 'The model was stopped (cogdesk stop).');
        } else {
          await stopContainer(docker, c.container_id);
        }
        stopped.push({ ...c, status: 'stopped', state: null, canceled_predictions: canceled });
      }
      return stopped;
    },
  };
}

async function stopContainer(docker: Docker, id: string): Promise<void> {
  const c = docker.getContainer(id);
  await c.stop({ t: 5 }).catch((e: { statusCode?: number }) => {
    if (e.statusCode !== 304 && e.statusCode !== 404) throw e;
  });
  await c.remove({ force: true }).catch((e: { statusCode?: number; message?: string }) => {
    if (e.statusCode === 404 || e.statusCode === 409) return; // gone already, or being removed
    throw new CogdeskError({ code: 'internal', message: `Could not remove the container ${id.slice(0, 12)}: ${e.message}`, hint: `Remove it with: docker rm -f ${id.slice(0, 12)}` });
  });
}
