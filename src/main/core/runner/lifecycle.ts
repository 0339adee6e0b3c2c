import type Docker from 'dockerode';
import type { Prediction, PredictionStatus, Version } from '../../../shared/domain';
import { CogdeskError, toErrorInfo } from '../../../shared/errors';
import { CogConnectionError, CogHttpError, HEALTH_TIMEOUT_MS } from '../cog/client';
import { explainInputDownloadError } from '../cog/input-errors';
import type { CogPredictionRequest, CogPredictionResponse } from '../cog/protocol';
import type { WebhookReceiver } from '../cog/webhooks';
import type { EventBus } from '../events';
import type { Store } from '../store';
import type { PredictionPatch } from '../store/predictions';
import { containerGone } from './container-events';
import { whyContainerBroke } from './container-failure';
import { diskFullError, isDiskFullError } from './disk-full';
import { saveOutputFiles } from './outputs';
import { NoWarmContainerError, type WarmContainer, type WarmPool } from './pool';
import { PredictionRecorder, type RecordedRun } from './record';
import { newRunning, type Running } from './running';
import { webhookEvents } from './webhook-events';
import { crashedWorker, sendPrediction, StuckWorkerError } from './worker-health';
import { fullest } from './state';
import { runsPredictions } from './recover';

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
  /** How long a canceled prediction may take to stop before its container is stopped (default 10 s). */
  cancelGraceMs?: () => number;
  /** How long a container may answer BUSY with none of our predictions on it before it is restarted (default 10 s). */
  busyGraceMs?: () => number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const isDone = (s: string): s is 'succeeded' | 'failed' | 'canceled' => s === 'succeeded' || s === 'failed' || s === 'canceled';
/** How many fresh containers a prediction may need because the one it waited for died first. */
const MAX_CONTAINER_TRIES = 3;

/**
 * One prediction from `starting` to `succeeded`, `failed` or `canceled`: start (or reuse) the warm
 * container, wait for its turn in the queue, send it with a webhook for live logs and output, record
 * every step, decode output files to disk. Whatever happens (the container dies, the disk fills up, the
 * model ignores a cancel), the prediction ends, with the reason, and never takes another one down with it.
 */
export class Lifecycle {
  private readonly running = new Map<string, Running>();
  private readonly recorder: PredictionRecorder;

  constructor(private readonly d: LifecycleDeps) {
    this.recorder = new PredictionRecorder(d);
  }

  isRunning(id: string): boolean {
    return this.running.has(id);
  }

  /**
   * Runs a prediction already recorded as `starting`. Resolves with its final state; never throws.
   * `streamsOutput`: the model yields (an iterator), so its partial output is worth a webhook each time.
   */
  start(
    prediction: Prediction,
    version: Version,
    sentInput: Record<string, unknown>,
    streamsOutput = true,
    needsGpu = false,
    secrets: readonly string[] = [],
  ): Promise<Prediction> {
    const run = this.track(prediction.id, { secrets });
    run.timer = setTimeout(() => {
      run.timedOut = true;
      void this.cancel(prediction.id);
    }, this.d.timeoutMs());
    run.timer.unref();
    void this.execute(run, version, sentInput, streamsOutput, needsGpu);
    return run.done;
  }

  /** Waits for a running prediction to end. */
  wait(id: string): Promise<Prediction> | undefined {
    return this.running.get(id)?.done;
  }

  /**
   * Cancels a prediction this process runs; false when it runs none with this id. A model that does not
   * stop within the grace period has its container stopped, so a cancel always ends the prediction.
   */
  async cancel(id: string): Promise<boolean> {
    const run = this.running.get(id);
    if (!run || run.finished) return false;
    run.canceled = true;
    if (run.container) {
      // It is on the container: ask the model to stop; the answer to the prediction says `canceled`.
      // A model that does not listen (or a container that no longer answers) is stopped after the grace.
      this.forceStopAfterGrace(run);
      const known = await run.container.client.cancel(id).catch(() => 'no answer' as const);
      if (known || run.reattached || run.finished) return true;
      clearTimeout(run.forceTimer);
      run.forceTimer = undefined;
    }
    // Still waiting for a container or for its turn: it never reaches the model.
    await this.finish(run, run.timedOut ? this.timeoutPatch() : { status: 'canceled' });
    return true;
  }

  private forceStopAfterGrace(run: Running): void {
    if (run.forceTimer) return;
    run.forceTimer = setTimeout(() => {
      const container = run.container;
      if (run.finished || !container) return;
      run.forced = true;
      // The request in flight then breaks, and the prediction ends as canceled (or timed out); any other
      // prediction running on the same container is told why it went.
      const grace = Math.round((this.d.cancelGraceMs?.() ?? 10_000) / 1000);
      void this.d.pool.discard(container.versionId, container.containerId, `The model's container was stopped because prediction ${run.id} did not stop within ${grace} s of its cancel. Run this one again.`);
    }, this.d.cancelGraceMs?.() ?? 10_000);
    run.forceTimer.unref();
  }

  private timeoutPatch(): PredictionPatch {
    return {
      status: 'failed',
      error: `Prediction timed out after ${Math.round(this.d.timeoutMs() / 60_000)} minutes and was canceled.`,
    };
  }

  private track(id: string, o: { secrets?: readonly string[]; reattached?: boolean; container?: WarmContainer }): Running {
    const run = newRunning(id, o);
    this.running.set(id, run);
    return run;
  }

  private async execute(run: Running, version: Version, input: Record<string, unknown>, streamsOutput: boolean, needsGpu: boolean): Promise<void> {
    try {
      for (let attempt = 1; ; attempt++) {
        const outcome = await this.runOnce(run, version, input, streamsOutput, needsGpu);
        if (outcome === 'done') return;
        if (attempt >= MAX_CONTAINER_TRIES) {
          throw new CogdeskError({
            code: 'container_failed',
            message: `The model's container stopped ${attempt} times before this prediction's turn came`,
            hint: 'Look at the other predictions of this model for why, then run it again.',
          });
        }
      }
    } catch (e) {
      await this.fail(run, version, e);
    }
  }

  /** One try on one container; 'retry' when the container this prediction waited for died before its turn. */
  private async runOnce(run: Running, version: Version, input: Record<string, unknown>, streamsOutput: boolean, needsGpu: boolean): Promise<'done' | 'retry'> {
    await this.d.pool.acquire(version.id, version.imageId, needsGpu);
    if (run.finished) return 'done';
    try {
      return await this.d.pool.run(version.id, async (container) => {
        if (run.finished) return 'done';
        if (run.canceled) {
          await this.finish(run, run.timedOut ? this.timeoutPatch() : { status: 'canceled' });
          return 'done';
        }
        if (container.gone) return 'retry';
        run.container = container;
        run.input = input;
        // The prediction that waited for a cold start says how it went; the next ones on this container do not.
        if (container.startNote) [run.startNote, container.startNote] = [[run.startNote, container.startNote].filter(Boolean).join('\n'), undefined];
        run.sentAt = new Date().toISOString();
        this.write(run, { status: 'processing', startedAt: run.sentAt, containerId: container.containerId });
        // Webhooks for live logs, streamed output and re-attaching after a crash, where they are worth their cost.
        const events = webhookEvents({ streamsOutput, lastRunMs: container.lastRunMs });
        const hook = events ? this.d.webhooks.register(run.id, (state) => this.onWebhook(run, state)) : null;
        const sentAtMs = Date.now();
        try {
          const body: CogPredictionRequest = events && hook ? { id: run.id, input, webhook: this.d.webhookBase() + hook, webhook_events_filter: events } : { id: run.id, input };
          const final = await sendPrediction(container, () => container.client.predict(body), {
            canceled: () => run.canceled,
            busyGraceMs: this.d.busyGraceMs?.() ?? 10_000,
          });
          // A failure may be the worker's death (coglet: UNHEALTHY, legacy: DEFUNCT), not the model's error.
          const crash = final.status === 'failed' && !run.canceled ? await crashedWorker(container.client, final.error) : null;
          if (crash) await this.d.pool.discard(version.id, container.containerId, crash);
          container.lastRunMs = Date.now() - sentAtMs;
          await this.finishFrom(run, container.broken && final.status === 'failed' ? { ...final, error: container.broken } : final);
        } catch (e) {
          if (e instanceof StuckWorkerError) {
            // It never reached the model: restart the container and send it to a fresh one.
            run.startNote = `The model's previous container was restarted: ${e.reason}.`;
            await this.d.pool.discard(version.id, container.containerId, `The model's worker crashed: ${e.reason}.`);
            return 'retry';
          }
          if (e instanceof CogConnectionError && e.notSent && !run.canceled && (await containerGone(this.d.docker, container.containerId))) {
            // Removed or stopped outside Cogdesk before Docker's event reached the pool: nothing ran, so a fresh one runs it.
            run.startNote = "The model's previous container was gone (stopped or removed outside Cogdesk): a fresh one was started.";
            await this.d.pool.discard(version.id, container.containerId);
            return 'retry';
          }
          // Settled while the container is still this prediction's: a dead one is discarded before the next
          // prediction in the queue gets its turn, so that one starts a fresh container instead.
          await this.fail(run, version, e);
        } finally {
          if (hook) this.d.webhooks.unregister(run.id);
        }
        return 'done';
      });
    } catch (e) {
      if (e instanceof NoWarmContainerError) return 'retry';
      throw e;
    }
  }

  private onWebhook(run: Running, state: CogPredictionResponse): void {
    if (run.finished) return;
    run.live = fullest(run.live, state);
    const live = run.live;
    if (isDone(live.status)) {
      // The answer to the request carries the same final state; only a re-attached run ends here.
      // (Not through enqueueWrite: finish() waits for the queued writes, and must not wait for itself.)
      // A retried terminal webhook (sent again while the first is still being recorded) ends nothing twice.
      if (run.reattached && !run.ending) {
        run.ending = true;
        void this.finishFrom(run, live).catch((e) => this.failLate(run, e));
      }
      return;
    }
    this.enqueueWrite(run, async () => {
      if (run.finished || run.failure) return;
      const output = live.output === undefined || live.output === null ? null : await saveOutputFiles(live.output, this.recorder.outDir(run.id));
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
   * arriving. It always ends: when the model finishes without a final webhook reaching us, when the
   * container stops answering, or when the prediction's time runs out (then it is canceled).
   */
  reattach(prediction: Prediction, container: WarmContainer): Promise<Prediction> {
    const run = this.track(prediction.id, { reattached: true, container });
    run.sentAt = prediction.startedAt ?? prediction.createdAt;
    const deadline = Date.parse(run.sentAt) + this.d.timeoutMs();
    this.d.webhooks.register(run.id, (state) => this.onWebhook(run, state));
    void this.d.pool
      .run(prediction.versionId, async () => {
        let idleSince = 0;
        while (!run.finished) {
          await sleep(500);
          if (!run.canceled && Date.now() > deadline) {
            run.timedOut = true;
            void this.cancel(run.id);
          }
          // Patient: coglet runs the model's own health check (up to 10 s), and a slow answer is not a dead server.
          const health = await container.client.health(HEALTH_TIMEOUT_MS).catch(() => null);
          // A server that runs several at once is READY while a slot is free, ours still running: only its
          // webhook, the container's end or the time limit ends a re-attached prediction there.
          const inconclusive = health?.status === 'READY' && this.d.pool.limitOf(container).limit > 1;
          // BUSY, or the Go runtime's `concurrency.current` above 0 (READY while a slot is free).
          if (((health && runsPredictions(health)) || inconclusive) && !container.gone) {
            idleSince = 0;
            continue;
          }
          // Done, or gone: give a late `completed` webhook a moment, then say what is known.
          idleSince ||= Date.now();
          if (Date.now() - idleSince < (health || !container.gone ? 5_000 : 1_000) || run.finished) continue;
          await run.writes;
          if (run.timedOut) await this.finish(run, this.timeoutPatch());
          else if (run.canceled) await this.finish(run, { status: 'canceled' });
          else
            await this.finish(run, {
              status: 'failed',
              error: health
                ? 'The model finished while Cogdesk was stopped and its result could not be collected. Its input and logs are kept: run it again.'
                : "The model's container stopped answering after Cogdesk restarted. Its input and logs are kept: run it again.",
            });
        }
      })
      .catch((e) => this.failLate(run, e))
      .finally(() => this.d.webhooks.unregister(run.id));
    return run.done;
  }

  private async finishFrom(run: Running, response: CogPredictionResponse): Promise<void> {
    const state = fullest(run.live, response);
    const status: PredictionStatus = isDone(state.status) ? state.status : 'failed';
    const output = run.failure || state.output === undefined || state.output === null ? null : await saveOutputFiles(state.output, this.recorder.outDir(run.id));
    await this.finish(run, {
      status,
      // "<urlopen error [Errno 111] Connection refused>" becomes which input, which URL, and what to check.
      error: status === 'failed' ? (explainInputDownloadError(state.error, run.input ?? {}) ?? state.error ?? null) : (state.error ?? null),
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
    if (isDiskFullError(e) || run.failure) return this.failDiskFull(run, e);
    const current = this.d.store.predictions.get(run.id);
    let logs = run.live?.logs ?? current?.logs ?? '';
    let message = toErrorInfo(e).message;
    const container = run.container;
    const append = (text: string) => (logs += `${logs && !logs.endsWith('\n') ? '\n' : ''}${text}`);
    if (container && !container.broken && !run.forced && e instanceof CogHttpError) {
      // A server that answers with an error may have lost its worker (the Go runtime: DEFUNCT, 503).
      const crash = await crashedWorker(container.client, null);
      if (crash) await this.d.pool.discard(version.id, container.containerId, crash);
    }
    if (container?.broken && !run.forced) {
      // Its worker crashed (found by this prediction or another on the same container): that is why.
      message = container.broken;
    } else if (container && (e instanceof CogConnectionError || e instanceof CogHttpError) && !run.forced) {
      // The container broke under the prediction: find out how from Docker, keep what it printed while this
      // prediction ran (never an earlier one's), and start fresh next time unless it is still healthy.
      const broke = await whyContainerBroke(this.d.docker, container, e, run.sentAt ?? null);
      message = broke.message;
      for (const text of broke.logs) if (!logs.includes(text)) append(text);
      if (broke.discard) await this.d.pool.discard(version.id, container.containerId);
    } else if (e instanceof CogdeskError && e.details) {
      if (!logs.includes(e.details)) append(e.details);
      if (e.hint) message += ` ${e.hint}`;
    }
    if (run.forced) append(`[cogdesk] the model did not stop within ${Math.round((this.d.cancelGraceMs?.() ?? 10_000) / 1000)} s of the cancel, so its container was stopped.`);
    if (run.timedOut) return this.finish(run, { ...this.timeoutPatch(), logs });
    if (run.canceled) return this.finish(run, { status: 'canceled', logs });
    await this.finish(run, { status: 'failed', error: message, logs });
  }

  /**
   * The disk filled up under the prediction: stop the model (it would go on writing), remove the files it
   * wrote so far, and fail it with how much space is left.
   */
  private async failDiskFull(run: Running, cause: unknown): Promise<void> {
    if (run.finished) return;
    run.failure ??= isDiskFullError(cause) && cause instanceof CogdeskError ? cause : await diskFullError(this.d.outputsDir, cause);
    const container = run.container;
    if (container && !container.gone) {
      await container.client.cancel(run.id).catch(() => false);
      await this.d.pool.discard(container.versionId, container.containerId);
    }
    await this.finish(run, { status: 'failed' });
  }

  /** A write that failed outside any request (a webhook's): a full disk ends the prediction; anything else waits for the answer. */
  private failLate(run: Running, e: unknown): void {
    if (run.finished) return;
    if (isDiskFullError(e)) void this.failDiskFull(run, e);
    else if (run.reattached) void this.finish(run, { status: 'failed', error: toErrorInfo(e).message });
  }

  private async finish(run: Running, patch: PredictionPatch): Promise<void> {
    if (run.finished) return;
    run.finished = true;
    clearTimeout(run.timer);
    clearTimeout(run.forceTimer);
    await run.writes;
    const final = await this.recorder.final(this.recorded(run), patch);
    this.running.delete(run.id);
    this.d.events.emit('prediction', final);
    run.resolveDone(final);
  }

  private write(run: Running, patch: PredictionPatch): void {
    this.recorder.write(this.recorded(run), patch);
  }

  private recorded(run: Running): RecordedRun {
    return { id: run.id, secrets: run.secrets, notice: run.container?.notice, startNote: run.startNote, failure: run.failure };
  }

  private enqueueWrite(run: Running, job: () => Promise<void>): void {
    run.writes = run.writes.then(job).catch((e) => this.failLate(run, e));
  }
}
