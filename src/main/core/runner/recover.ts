import type Docker from 'dockerode';
import type { Prediction } from '../../../shared/domain';
import { CogClient, HEALTH_TIMEOUT_MS } from '../cog/client';
import type { CogHealth } from '../cog/protocol';
import { containerUrl, listManagedContainers, removeContainer } from '../docker/containers';
import type { EventBus } from '../events';
import type { Store } from '../store';
import type { WarmContainer, WarmPool } from './pool';
import { processAlive } from '../util/process';


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
  /**
   * For a prediction whose model has finished since its process died: waits a little for the model's
   * retried `completed` webhook (true when it arrived and the prediction is recorded).
   */
  lateResult?: (predictionId: string) => Promise<boolean>;
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
    let stopped = false;
    if (container?.running && d.docker) {
      try {
        const client = new CogClient(await containerUrl(d.docker, container.id));
        const health = await patientHealth(client);
        if (runsPredictions(health)) {
          // Every prediction in flight there is re-attached (a container that runs several at once has
          // several), the container adopted once.
          const warm = d.pool.get(container.versionId);
          if (d.mode === 'full' && (!warm || warm.containerId === container.id)) {
            d.store.predictions.setRunner(prediction.id, process.pid);
            d.reattach(prediction, warm ?? d.pool.adopt(container.versionId, container.id, client.baseUrl));
            kept.add(container.id);
            if (!warm) report.adopted.push(container.id);
            report.reattached.push(prediction.id);
            continue;
          }
          // The app or `cogdesk serve` takes it back when it starts again; a `cogdesk run` never comes back
          // for its result, so the model is stopped rather than left running unseen.
          if (d.mode === 'passive' && prediction.source !== 'cli') continue;
          if (d.mode === 'passive') {
            // Busy may also mean done and still retrying its `completed` webhook: take that result if it comes.
            if (d.lateResult && (await d.lateResult(prediction.id))) continue;
            await client.cancel(prediction.id).catch(() => false);
            await removeContainer(d.docker, container.id);
            report.removed.push(container.id);
            stopped = true;
          }
        } else if (health.status === 'READY' && d.lateResult && (await d.lateResult(prediction.id))) {
          continue;
        }
      } catch {
        // fall through: the container does not answer, so the prediction cannot be recovered
      }
    }
    const failed = d.store.predictions.update(prediction.id, {
      status: 'failed',
      error: `${whyLost(prediction, { stopped, docker: Boolean(d.docker) && containers !== null, container: Boolean(container) })} Its input and logs are kept: run it again to get an output.`,
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
        if ((await patientHealth(client)).status === 'READY') {
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

/** Why a prediction of a process that is gone cannot be finished, in the words a person needs. */
function whyLost(p: Prediction, o: { stopped: boolean; docker: boolean; container: boolean }): string {
  const who = p.source === 'cli' ? 'The `cogdesk` command that ran it' : 'Cogdesk';
  if (p.status === 'starting' && !p.containerId) return `${who} stopped before this prediction ran (it was waiting for the model to start or for its turn).`;
  if (o.stopped) return `${who} stopped (it was killed or crashed) before this prediction finished, so the model was stopped too.`;
  if (!o.docker) return `${who} stopped while this prediction was running, and Docker is not reachable now to find its container.`;
  if (o.container) return `${who} stopped while this prediction was running, and the model finished or stopped before its result could be collected.`;
  return `${who} stopped while this prediction was running, and its container is gone.`;
}

/**
 * Whether a container still runs predictions: BUSY, or (the Go runtime, whose slots may not all be taken)
 * `concurrency.current` above 0. Nothing here asks with a PUT: the Go runtime's is not idempotent (it would
 * answer 409, or start the prediction again); a re-attached prediction's state comes by its webhooks.
 */
export function runsPredictions(health: CogHealth): boolean {
  const current = (health as { concurrency?: { current?: unknown } }).concurrency?.current;
  return health.status === 'BUSY' || (typeof current === 'number' && current > 0);
}

/**
 * A container's health, asked patiently: a model busy with a prediction on a loaded machine can take seconds
 * to answer, and a container that is wrongly taken for dead loses its prediction.
 */
async function patientHealth(client: CogClient): Promise<Awaited<ReturnType<CogClient['health']>>> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await client.health(HEALTH_TIMEOUT_MS);
    } catch (e) {
      if (attempt >= 3) throw e;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}
