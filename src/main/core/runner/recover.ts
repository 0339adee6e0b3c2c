import type Docker from 'dockerode';
import type { Prediction } from '../../../shared/domain';
import { CogClient } from '../cog/client';
import { containerUrl, listManagedContainers, removeContainer } from '../docker/containers';
import type { EventBus } from '../events';
import type { Store } from '../store';
import type { WarmContainer, WarmPool } from './pool';

/** True when a process with this id is alive on this machine. */
export function processAlive(pid: number | null): boolean {
  if (!pid) return false;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface RecoverDeps {
  docker: Docker | null;
  store: Store;
  pool: WarmPool;
  events: EventBus;
  homeId: string;
  /** 'passive' only marks what cannot be recovered and touches no container. */
  mode: 'full' | 'passive';
  /** Re-attaches a prediction to the (adopted) container that still runs it. */
  reattach: (prediction: Prediction, container: WarmContainer) => void;
}

export interface RecoverReport {
  adopted: string[];
  removed: string[];
  reattached: string[];
  failed: string[];
}

/**
 * At start-up: predictions and containers left by a Cogdesk that is gone (crashed, killed, powered off).
 * A prediction whose container still runs it is re-attached; every other one is marked failed with the
 * reason, keeping its logs and input. Containers are adopted into the warm pool when healthy and idle,
 * and removed otherwise. Anything a live Cogdesk process owns is left alone.
 */
export async function recover(d: RecoverDeps): Promise<RecoverReport> {
  const report: RecoverReport = { adopted: [], removed: [], reattached: [], failed: [] };
  const containers = d.docker ? await listManagedContainers(d.docker, d.homeId).catch(() => null) : null;
  const orphans = (containers ?? []).filter((c) => !processAlive(c.pid));
  const byId = new Map(orphans.map((c) => [c.id, c]));
  const kept = new Set<string>();

  for (const { prediction, runnerPid } of d.store.predictions.unfinished()) {
    if (processAlive(runnerPid)) continue;
    const container = prediction.containerId ? byId.get(prediction.containerId) : undefined;
    if (container?.running && d.docker) {
      if (d.mode === 'passive') continue; // a full start (the app) will re-attach it
      try {
        const client = new CogClient(await containerUrl(d.docker, container.id));
        const health = await client.health();
        if (health.status === 'BUSY' && !d.pool.get(container.versionId)) {
          d.store.predictions.setRunner(prediction.id, process.pid);
          d.reattach(prediction, d.pool.adopt(container.versionId, container.id, client.baseUrl));
          kept.add(container.id);
          report.adopted.push(container.id);
          report.reattached.push(prediction.id);
          continue;
        }
      } catch {
        // fall through: the container does not answer, so the prediction cannot be recovered
      }
    }
    const reason = !d.docker || containers === null
      ? 'Cogdesk stopped while this prediction was running, and Docker is not reachable now to find its container.'
      : container
        ? 'Cogdesk stopped while this prediction was running, and the model finished or stopped before its result could be collected.'
        : 'Cogdesk stopped while this prediction was running, and its container is gone.';
    const failed = d.store.predictions.update(prediction.id, {
      status: 'failed',
      error: `${reason} Its input and logs are kept: run it again to get an output.`,
      completedAt: new Date().toISOString(),
    });
    d.store.predictions.setRunner(prediction.id, null);
    d.events.emit('prediction', failed);
    report.failed.push(prediction.id);
  }

  if (d.mode === 'passive') return report;
  for (const c of orphans) {
    if (kept.has(c.id)) continue;
    if (c.running && d.docker && d.store.library.getVersion(c.versionId) && !d.pool.get(c.versionId)) {
      try {
        const client = new CogClient(await containerUrl(d.docker, c.id));
        if ((await client.health()).status === 'READY') {
          d.pool.adopt(c.versionId, c.id, client.baseUrl);
          report.adopted.push(c.id);
          continue;
        }
      } catch {
        // not healthy: remove below
      }
    }
    if (d.docker) await removeContainer(d.docker, c.id);
    report.removed.push(c.id);
  }
  return report;
}
