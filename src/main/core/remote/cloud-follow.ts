/**
 * Following one cloud prediction to its end: its stream URL first (server-sent events `output`, `logs`,
 * `error`, `done`, read with the official client's reader, without the token), then `GET /predictions/{id}`
 * until it has finished, its output files downloaded into the data folder, and only then its record marked
 * synced. A network gone (mid-stream or while polling) is waited out: the prediction is still on Replicate,
 * so Cogdesk keeps polling until the API answers again, and a restarted Cogdesk picks it up from its record.
 */
import { createReadableStream } from 'replicate/lib/stream.js';
import { isTerminal, type Prediction, type PredictionStatus } from '../../../shared/domain';
import type { EventBus } from '../events';
import type { HomePaths } from '../paths';
import type { Store } from '../store';
import type { PredictionPatch } from '../store/predictions';
import type { RemoteClient } from './client';
import { downloadOutputs } from './cloud-outputs';
import { isRemoteError } from './remote-error';
import { join } from 'node:path';

type Obj = Record<string, unknown>;

export interface FollowDeps {
  store: Store;
  events: EventBus;
  paths: HomePaths;
  client: RemoteClient;
  /** For the stream and the output files (not Replicate's API: no token goes there). */
  fetch: typeof fetch;
  sleep: (ms: number) => Promise<void>;
  /** Between polls while it runs (default 1 s). */
  pollMs?: number;
}

/** A prediction body of Replicate's API as a patch of the record here. */
export function patchFromRemote(body: Obj): PredictionPatch {
  const status = (body.status === 'aborted' ? 'canceled' : body.status) as PredictionStatus;
  const str = (v: unknown) => (typeof v === 'string' ? v : null);
  return {
    status: ['starting', 'processing', 'succeeded', 'failed', 'canceled'].includes(status) ? status : undefined,
    logs: typeof body.logs === 'string' ? body.logs : undefined,
    error: body.error === null || body.error === undefined ? null : typeof body.error === 'string' ? body.error : JSON.stringify(body.error),
    startedAt: str(body.started_at),
    completedAt: str(body.completed_at),
    metrics: body.metrics && typeof body.metrics === 'object' ? (body.metrics as Prediction['metrics']) : null,
    output: body.output ?? null,
  };
}

export class CloudFollower {
  private stopped = false;
  private readonly abort = new AbortController();

  constructor(
    private readonly d: FollowDeps,
    private readonly id: string,
    private readonly remoteId: string,
    private streamUrl: string | null,
    private readonly onEnd: (p: Prediction) => void,
  ) {}

  stop(): void {
    this.stopped = true;
    this.abort.abort();
  }

  /** A wait that ends early when the follower is stopped. */
  private pause(ms: number): Promise<void> {
    return Promise.race([this.d.sleep(ms), new Promise<void>((r) => this.abort.signal.addEventListener('abort', () => r(), { once: true }))]);
  }

  private save(patch: PredictionPatch): Prediction {
    const p = this.d.store.predictions.update(this.id, patch);
    this.d.events.emit('prediction', p);
    return p;
  }

  async run(): Promise<void> {
    if (this.streamUrl && !isTerminal(this.d.store.predictions.get(this.id)!.status)) {
      await this.stream(this.streamUrl).catch(() => undefined); // whatever ended it, polling goes on from here
      this.streamUrl = null;
    }
    let waitMs = 250;
    while (!this.stopped) {
      let body: Obj;
      try {
        body = (await this.d.client.call({ doing: `get the prediction ${this.remoteId}` }, (r) => r.predictions.get(this.remoteId))) as unknown as Obj;
      } catch (e) {
        if (this.stopped) return;
        if (isRemoteError(e, 'not_found')) {
          // Replicate no longer has it (deleted, or another account's): what is here is all there is.
          const p = this.d.store.predictions.get(this.id)!;
          const ended = isTerminal(p.status)
            ? p
            : this.save({ status: 'failed', error: `Replicate no longer has prediction ${this.remoteId}`, completedAt: new Date().toISOString() });
          this.d.store.predictions.markRemoteSynced(this.id);
          this.onEnd(ended);
          return;
        }
        // The network, Replicate's side, a rate limit, a token removed: it is still there; ask again later.
        await this.pause(waitMs);
        waitMs = Math.min(waitMs * 2, 5_000);
        continue;
      }
      waitMs = 250;
      const patch = patchFromRemote(body);
      if (patch.status && isTerminal(patch.status)) {
        try {
          const { output, gone } = await downloadOutputs(patch.output, join(this.d.paths.outputs, this.id), this.d.client.baseUrl, this.d.fetch);
          if (gone.length > 0) {
            const note = `Cogdesk could not download ${gone.length} output file(s): Replicate no longer serves them (API outputs are deleted after an hour).`;
            patch.logs = `${patch.logs ?? ''}${patch.logs && !patch.logs.endsWith('\n') ? '\n' : ''}${note}\n`;
          }
          const ended = this.save({ ...patch, output });
          this.d.store.predictions.markRemoteSynced(this.id);
          this.onEnd(ended);
          return;
        } catch {
          if (this.stopped) return;
          await this.pause(waitMs); // the files are still there for an hour: try again
          continue;
        }
      }
      this.save(patch);
      await this.pause(this.d.pollMs ?? 1_000);
    }
  }

  /** Reads the stream until `done`; updates the record with each output chunk and log line. */
  private async stream(url: string): Promise<void> {
    const events = createReadableStream({ url, fetch: this.d.fetch, options: { useFileOutput: false, signal: this.abort.signal } });
    for await (const e of events) {
      if (this.stopped) return;
      const p = this.d.store.predictions.get(this.id)!;
      if (e.event === 'output') {
        const output = Array.isArray(p.output) ? [...(p.output as unknown[]), e.data] : [e.data];
        this.save({ status: 'processing', output, startedAt: p.startedAt ?? new Date().toISOString() });
      } else if (e.event === 'logs') {
        this.save({ status: 'processing', logs: `${p.logs}${e.data}\n`, startedAt: p.startedAt ?? new Date().toISOString() });
      } else if (e.event === 'done') {
        return;
      }
    }
  }
}
