/**
 * Webhooks of predictions whose Cogdesk process is gone. Every process of one data folder prefers the same
 * webhook port, so when the process that sent a prediction dies, the next one to hold that port receives
 * the model's later webhooks (Cog retries `completed` for minutes). This records them: the logs and
 * output as they come, and the final state when the model finishes, so a killed `cogdesk run` or app does
 * not lose a result that arrives afterwards.
 */
import { join } from 'node:path';
import { isTerminal, type PredictionStatus } from '../../../shared/domain';
import type { CogPredictionResponse } from '../cog/protocol';
import type { EventBus } from '../events';
import type { Store } from '../store';
import { saveOutputFiles } from './outputs';
import { processAlive } from '../util/process';

export interface OrphanDeps {
  store: Store;
  events: EventBus;
  outputsDir: string;
  /** True while this process runs the prediction itself (its own listener would have taken the webhook). */
  runsHere: (id: string) => boolean;
}

/** Answers whether the webhook was taken care of (false: let Cog try again later). */
export function orphanWebhookHandler(d: OrphanDeps): (id: string, state: CogPredictionResponse) => Promise<boolean> {
  return async (id, state) => {
    const row = d.store.predictions.unfinished().find((u) => u.prediction.id === id);
    // Finished already (a late event never changes a finished prediction), or not ours at all: nothing to do.
    if (!row) return true;
    if (d.runsHere(id)) return false;
    if (row.runnerPid !== null && row.runnerPid !== process.pid && processAlive(row.runnerPid)) return false;
    const done = isTerminal(state.status as PredictionStatus);
    const output = state.output === undefined || state.output === null ? null : await saveOutputFiles(state.output, join(d.outputsDir, id));
    const updated = d.store.predictions.update(id, {
      status: done ? (state.status as PredictionStatus) : 'processing',
      logs: typeof state.logs === 'string' && state.logs.length >= row.prediction.logs.length ? state.logs : row.prediction.logs,
      output: output ?? row.prediction.output,
      ...(done
        ? {
            error: state.error ?? null,
            completedAt: state.completed_at ?? new Date().toISOString(),
            metrics: state.metrics ?? row.prediction.metrics,
          }
        : {}),
    });
    if (done) d.store.predictions.setRunner(id, null);
    d.events.emit('prediction', updated);
    return true;
  };
}
