/**
 * Writing a prediction's states to the store: what is kept never holds a secret input, a model that wanted
 * a GPU but runs on the CPU says so at the top of its logs, and the final record is written even when the
 * disk has filled up (then with the disk-full reason, after the prediction's own files are removed).
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Prediction } from '../../../shared/domain';
import { CogdeskError, toErrorInfo } from '../../../shared/errors';
import type { EventBus } from '../events';
import type { Store } from '../store';
import type { PredictionPatch } from '../store/predictions';
import { diskFullError, isDiskFullError } from './disk-full';
import { maskSecretText } from './secrets';

/** What the recorder needs to know of a running prediction. */
export interface RecordedRun {
  id: string;
  secrets: readonly string[];
  /** Why a model that wants a GPU runs on the CPU, when it does. */
  notice?: string;
  /** How the container this prediction waited for started (from kept weights, or what setup wrote). */
  startNote?: string;
  /** A disk-full failure found while it ran. */
  failure?: CogdeskError;
}

export class PredictionRecorder {
  constructor(private readonly d: { store: Store; events: EventBus; outputsDir: string }) {}

  outDir(id: string): string {
    return join(this.d.outputsDir, id);
  }

  /** A state on the way (processing, logs, output so far), told to listeners. */
  write(run: RecordedRun, patch: PredictionPatch): void {
    const updated = this.d.store.predictions.update(run.id, this.masked(run, patch));
    this.d.events.emit('prediction', updated);
  }

  /** The final state; never throws. A disk-full failure replaces the outcome and removes the prediction's files. */
  async final(run: RecordedRun, patch: PredictionPatch): Promise<Prediction> {
    if (run.failure) {
      patch = { ...patch, status: 'failed', error: reasonOf(run.failure), output: null };
      await rm(this.outDir(run.id), { recursive: true, force: true });
    }
    try {
      return this.record(run, patch);
    } catch (e) {
      return this.recordWithLessSpace(run, patch, e);
    }
  }

  private record(run: RecordedRun, patch: PredictionPatch): Prediction {
    const now = new Date().toISOString();
    const current = this.d.store.predictions.get(run.id)!;
    const completedAt = patch.completedAt ?? now;
    const metrics = { ...(patch.metrics ?? current.metrics ?? {}) };
    metrics.total_time = Math.max(0, (Date.parse(completedAt) - Date.parse(current.createdAt)) / 1000);
    const final = this.d.store.predictions.update(run.id, { ...this.masked(run, patch), completedAt, metrics });
    this.d.store.predictions.setRunner(run.id, null);
    return final;
  }

  /**
   * The final record did not fit on the disk: drop the prediction's files and try again with the
   * disk-full reason. If even that cannot be written, the answer still says what happened, and the
   * next Cogdesk to open the data folder settles the row.
   */
  private async recordWithLessSpace(run: RecordedRun, patch: PredictionPatch, e: unknown): Promise<Prediction> {
    const failure = isDiskFullError(e) ? (run.failure ?? (await diskFullError(this.d.outputsDir, e))) : null;
    const reason = failure ? reasonOf(failure) : `Cogdesk could not record the result: ${toErrorInfo(e).message}`;
    await rm(this.outDir(run.id), { recursive: true, force: true });
    const failed: PredictionPatch = { status: 'failed', error: reason, output: null };
    try {
      return this.record(run, failed);
    } catch {
      const base = this.d.store.predictions.get(run.id) ?? ({ id: run.id } as Prediction);
      return { ...base, ...this.masked(run, { ...patch, ...failed }), completedAt: new Date().toISOString() } as Prediction;
    }
  }

  private masked(run: RecordedRun, patch: PredictionPatch): PredictionPatch {
    const out = { ...patch };
    if (run.secrets.length) {
      if (typeof out.logs === 'string') out.logs = maskSecretText(out.logs, run.secrets);
      if (typeof out.error === 'string') out.error = maskSecretText(out.error, run.secrets);
    }
    if (out.logs === undefined) return out;
    // Each note on its own line (a start note may hold several: room made on a GPU, then how setup went).
    const notes = [run.notice, ...(run.startNote ?? '').split('\n')].filter(Boolean);
    const head = notes.map((n) => `[cogdesk] ${n}\n`).join('');
    return !head || out.logs.startsWith(head) ? out : { ...out, logs: head + out.logs };
  }
}

function reasonOf(failure: CogdeskError): string {
  return `${failure.message}. ${failure.hint ?? ''}`.trim();
}
