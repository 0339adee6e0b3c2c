import type Docker from 'dockerode';
import { join } from 'node:path';
import type { Prediction, PredictionStatus, Version } from '../../../shared/domain';
import { CogdeskError, toErrorInfo } from '../../../shared/errors';
import { CogBusyError, CogConnectionError } from '../cog/client';
import type { CogPredictionResponse, WebhookEvent } from '../cog/protocol';
import type { WebhookReceiver } from '../cog/webhooks';
import { containerLogs, containerState } from '../docker/containers';
import type { EventBus } from '../events';
import type { Store } from '../store';
import type { PredictionPatch } from '../store/predictions';
import { saveOutputFiles } from './outputs';
import type { WarmContainer, WarmPool } from './pool';
import { fullest } from './state';

export interface LifecycleDeps {
  docker: Docker;
  store: Store;
  pool: WarmPool;
  events: EventBus;
  webhooks: WebhookReceiver;
  /** The webhook URL base a container can reach (`http://host:port`). */
  webhookBase: () => string;
  outputsDir: string;
  timeoutMs: () => number;
}

interface Running {
  id: string;
  /** Re-attached after a restart: the result comes by the `completed` webhook, not a response. */
  reattached?: boolean;
  canceled: boolean;
  timedOut: boolean;
  finished: boolean;
  container?: WarmContainer;
  live: CogPredictionResponse | null;
  writes: Promise<unknown>;
  done: Promise<Prediction>;
  resolveDone: (p: Prediction) => void;
  timer?: NodeJS.Timeout;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const isDone = (s: string): s is 'succeeded' | 'failed' | 'canceled' => s === 'succeeded' || s === 'failed' || s === 'canceled';

/**
 * One prediction from `starting` to `succeeded`, `failed` or `canceled`: start (or reuse) the warm
 * container, wait for its turn in the queue, send it with a webhook for live logs and output, record
 * every step, decode output files to disk.
 */
export class Lifecycle {
  private readonly running = new Map<string, Running>();

  constructor(private readonly d: LifecycleDeps) {}

  isRunning(id: string): boolean {
    return this.running.has(id);
  }

  /**
   * Runs a prediction already recorded as `starting`. Resolves with its final state; never throws.
   * `streamsOutput`: the model yields (an iterator), so its partial output is worth a webhook each time.
   */
  start(prediction: Prediction, version: Version, sentInput: Record<string, unknown>, streamsOutput = true, needsGpu = false): Promise<Prediction> {
    let resolveDone!: (p: Prediction) => void;
    const done = new Promise<Prediction>((r) => (resolveDone = r));
    const run: Running = { id: prediction.id, canceled: false, timedOut: false, finished: false, live: null, writes: Promise.resolve(), done, resolveDone };
    this.running.set(prediction.id, run);
    run.timer = setTimeout(() => {
      run.timedOut = true;
      void this.cancel(prediction.id);
    }, this.d.timeoutMs());
    run.timer.unref();
    void this.execute(run, version, sentInput, streamsOutput, needsGpu);
    return done;
  }

  /** Waits for a running prediction to end. */
  wait(id: string): Promise<Prediction> | undefined {
    return this.running.get(id)?.done;
  }

  async cancel(id: string): Promise<boolean> {
    const run = this.running.get(id);
    if (!run || run.finished) return false;
    run.canceled = true;
    if (run.container) {
      // It is on the container: ask the model to stop; the answer to the prediction says `canceled`.
      const known = await run.container.client.cancel(id).catch(() => false);
      if (known) return true;
    }
    // Still waiting for a container or for its turn: it never reaches the model.
    await this.finish(run, run.timedOut ? this.timeoutPatch() : { status: 'canceled' });
    return true;
  }

  private timeoutPatch(): PredictionPatch {
    return {
      status: 'failed',
      error: `Prediction timed out after ${Math.round(this.d.timeoutMs() / 60_000)} minutes and was canceled.`,
    };
  }

  private async execute(run: Running, version: Version, input: Record<string, unknown>, streamsOutput: boolean, needsGpu: boolean): Promise<void> {
    try {
      await this.d.pool.acquire(version.id, version.imageId, needsGpu);
      if (run.finished) return;
      await this.d.pool.run(version.id, async (container) => {
        if (run.finished || run.canceled) return this.finish(run, { status: 'canceled' });
        run.container = container;
        this.write(run, { status: 'processing', startedAt: new Date().toISOString(), containerId: container.containerId });
        const hook = this.d.webhooks.register(run.id, (state) => this.onWebhook(run, state));
        try {
          // Webhooks bring live logs, streamed output, and the result to a restarted Cogdesk (completed).
          // Cog sends them before it answers, so each one costs the prediction a round trip: a model
          // whose output does not stream gets its output with the answer, not by webhook.
          const events: WebhookEvent[] = streamsOutput ? ['output', 'logs', 'completed'] : ['logs', 'completed'];
          const final = await this.send(run, container, { id: run.id, input, webhook: this.d.webhookBase() + hook, webhook_events_filter: events });
          await this.finishFrom(run, final);
        } finally {
          this.d.webhooks.unregister(run.id);
        }
      });
    } catch (e) {
      await this.fail(run, version, e);
    }
  }

  /** Sends the prediction; a 409 (someone else's prediction on the container) waits and tries again. */
  private async send(run: Running, container: WarmContainer, body: Parameters<WarmContainer['client']['predict']>[0]): Promise<CogPredictionResponse> {
    for (;;) {
      if (run.canceled) throw new CogdeskError({ code: 'canceled', message: 'Canceled before it reached the model' });
      try {
        return await container.client.predict(body);
      } catch (e) {
        if (!(e instanceof CogBusyError) || run.canceled) throw e;
        await sleep(250);
      }
    }
  }

  private onWebhook(run: Running, state: CogPredictionResponse): void {
    if (run.finished) return;
    run.live = fullest(run.live, state);
    const live = run.live;
    if (isDone(live.status)) {
      // The answer to the request carries the same final state; only a re-attached run ends here.
      // (Not through enqueueWrite: finish() waits for the queued writes, and must not wait for itself.)
      if (run.reattached) void this.finishFrom(run, live);
      return;
    }
    this.enqueueWrite(run, async () => {
      if (run.finished) return;
      const output = live.output === undefined || live.output === null ? null : await saveOutputFiles(live.output, this.outDir(run.id));
      this.write(run, {
        status: 'processing',
        startedAt: live.started_at ?? undefined,
        logs: live.logs ?? '',
        output,
      });
    });
  }

  /**
   * Takes over a prediction that an earlier Cogdesk process sent to a container that still runs it.
   * Its webhooks come to the same URL (same port and token), so logs, output and the final state keep
   * arriving; if the model finishes without a final webhook reaching us, it is marked failed with why.
   */
  reattach(prediction: Prediction, container: WarmContainer): Promise<Prediction> {
    let resolveDone!: (p: Prediction) => void;
    const done = new Promise<Prediction>((r) => (resolveDone = r));
    const run: Running = { id: prediction.id, reattached: true, canceled: false, timedOut: false, finished: false, live: null, writes: Promise.resolve(), done, resolveDone, container };
    this.running.set(prediction.id, run);
    this.d.webhooks.register(run.id, (state) => this.onWebhook(run, state));
    void this.d.pool.run(prediction.versionId, async () => {
      let idleSince = 0;
      while (!run.finished) {
        await sleep(500);
        const health = await container.client.health().catch(() => null);
        if (!health || health.status === 'READY') {
          idleSince ||= Date.now();
          if (Date.now() - idleSince > 5_000 && !run.finished) {
            await run.writes;
            await this.finish(run, {
              status: 'failed',
              error: health
                ? 'The model finished while Cogdesk was stopped and its result could not be collected. Its input and logs are kept: run it again.'
                : "The model's container stopped answering after Cogdesk restarted. Its input and logs are kept: run it again.",
            });
          }
        } else {
          idleSince = 0;
        }
      }
      this.d.webhooks.unregister(run.id);
    });
    return done;
  }

  private async finishFrom(run: Running, response: CogPredictionResponse): Promise<void> {
    const state = fullest(run.live, response);
    const status: PredictionStatus = isDone(state.status) ? state.status : 'failed';
    const output = state.output === undefined || state.output === null ? null : await saveOutputFiles(state.output, this.outDir(run.id));
    await this.finish(run, {
      status,
      error: state.error ?? null,
      output,
      logs: state.logs ?? '',
      startedAt: state.started_at ?? undefined,
      completedAt: state.completed_at ?? undefined,
      metrics: state.metrics ?? null,
      // A model stopped by the timeout answers canceled; what happened is that it timed out.
      ...(run.timedOut ? this.timeoutPatch() : {}),
    });
  }

  private async fail(run: Running, version: Version, e: unknown): Promise<void> {
    if (run.finished) return;
    const current = this.d.store.predictions.get(run.id);
    let logs = run.live?.logs ?? current?.logs ?? '';
    let message = toErrorInfo(e).message;
    if (e instanceof CogConnectionError && run.container) {
      // The container died under the prediction: say how, keep what it printed, start fresh next time.
      const state = await containerState(this.d.docker, run.container.containerId);
      const tail = await containerLogs(this.d.docker, run.container.containerId, 50);
      message = state
        ? `The model's container stopped during the prediction (exit code ${state.exitCode}${state.oomKilled ? ', out of memory' : ''}).`
        : "The model's container was removed during the prediction.";
      if (tail) logs += `${logs && !logs.endsWith('\n') ? '\n' : ''}[cogdesk] the container's last output:\n${tail}`;
      await this.d.pool.discard(version.id, run.container.containerId);
    } else if (e instanceof CogdeskError && e.details) {
      if (!logs.includes(e.details)) logs += `${logs && !logs.endsWith('\n') ? '\n' : ''}${e.details}`;
      if (e.hint) message += ` ${e.hint}`;
    }
    if (run.timedOut) return this.finish(run, { ...this.timeoutPatch(), logs });
    if (run.canceled) return this.finish(run, { status: 'canceled', logs });
    await this.finish(run, { status: 'failed', error: message, logs });
  }

  private async finish(run: Running, patch: PredictionPatch): Promise<void> {
    if (run.finished) return;
    run.finished = true;
    clearTimeout(run.timer);
    await run.writes;
    const now = new Date().toISOString();
    const current = this.d.store.predictions.get(run.id)!;
    const completedAt = patch.completedAt ?? now;
    const metrics = { ...(patch.metrics ?? current.metrics ?? {}) };
    metrics.total_time = Math.max(0, (Date.parse(completedAt) - Date.parse(current.createdAt)) / 1000);
    const final = this.d.store.predictions.update(run.id, { ...this.withNotice(run, patch), completedAt, metrics });
    this.d.store.predictions.setRunner(run.id, null);
    this.running.delete(run.id);
    this.d.events.emit('prediction', final);
    run.resolveDone(final);
  }

  private write(run: Running, patch: PredictionPatch): void {
    patch = this.withNotice(run, patch);
    const updated = this.d.store.predictions.update(run.id, patch);
    this.d.events.emit('prediction', updated);
  }

  /** A model that wanted a GPU but runs on the CPU says so at the top of its logs. */
  private withNotice(run: Running, patch: PredictionPatch): PredictionPatch {
    const notice = run.container?.notice;
    if (!notice || patch.logs === undefined) return patch;
    const line = `[cogdesk] ${notice}\n`;
    return patch.logs.startsWith(line) ? patch : { ...patch, logs: line + patch.logs };
  }

  private enqueueWrite(run: Running, job: () => Promise<void>): void {
    run.writes = run.writes.then(job).catch(() => undefined);
  }

  private outDir(id: string): string {
    return join(this.d.outputsDir, id);
  }
}
