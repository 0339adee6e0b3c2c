/**
 * Folds the engine's per-layer push events into one progress value, the way PullProgressTracker does for
 * pulls: layer counts (layers the registry already had counted apart), bytes, a percent that only goes
 * up, and a phase. Pure: feed it events, read snapshots.
 *
 * The engine's push stream: `Preparing` and `Waiting` per layer, `Pushing` with `{current, total}` (bytes of
 * the uncompressed layer read so far, and its size), `Pushed`, `Layer already exists`, `Mounted from
 * <repo>` (the registry copied it from another repository it has), `Retrying in N seconds` (the upload
 * broke; Docker tries five times), then `<tag>: digest: sha256:... size: N` and an `aux` with the digest.
 */
import { formatBytes } from '../../../shared/format';
import type { PushProgress } from './types';

export interface PushEvent {
  status?: string;
  id?: string;
  progressDetail?: { current?: number; total?: number };
  progress?: string;
  aux?: { Tag?: string; Digest?: string; Size?: number };
  error?: string;
  errorDetail?: { message?: string; code?: number };
}

type LayerState = 'waiting' | 'pushing' | 'pushed' | 'exists';

interface Layer {
  state: LayerState;
  current: number;
  total?: number;
}

/** Share of the percent for uploading; the rest is Replicate making the version. */
const PUSH_SHARE = 0.95;

export class PushProgressTracker {
  private readonly layers = new Map<string, Layer>();
  private percent = 0;
  private phaseOverride: 'processing' | 'done' | null = null;
  private lastStatus = '';
  private retrying: string | null = null;
  /** Some layer started uploading (a retry sends it back to waiting, but the push is past preparing). */
  private started = false;
  /** The manifest digest the registry stored (`sha256:...`), once the engine says it. */
  digest: string | undefined;
  /** The manifest's size in bytes, when the engine says it. */
  manifestSize: number | undefined;

  constructor(readonly ref: string) {}

  /** Applies one event; returns false for events that change nothing visible. */
  apply(event: PushEvent): boolean {
    if (event.aux?.Digest) {
      this.digest = event.aux.Digest;
      if (typeof event.aux.Size === 'number') this.manifestSize = event.aux.Size;
      return false;
    }
    const status = event.status ?? '';
    if (!status) return false;
    const summary = /^\S+: digest: (sha256:[a-f0-9]{64}) size: (\d+)/.exec(status);
    if (summary) {
      this.digest ??= summary[1];
      this.manifestSize ??= Number(summary[2]);
      return false;
    }
    if (!event.id) {
      this.lastStatus = status;
      return false;
    }
    let state: LayerState | null = null;
    if (status === 'Preparing' || status === 'Waiting') state = 'waiting';
    else if (status === 'Pushing') state = 'pushing';
    else if (status === 'Pushed') state = 'pushed';
    else if (status === 'Layer already exists' || /^Mounted from /.test(status)) state = 'exists';
    const retry = /^Retrying in /.test(status);
    if (!state && !retry) return false;

    let layer = this.layers.get(event.id);
    if (!layer) {
      layer = { state: 'waiting', current: 0 };
      this.layers.set(event.id, layer);
    }
    this.lastStatus = status;
    if (retry) {
      // The upload of this layer broke; Docker starts it again from the beginning after the wait.
      layer.state = 'waiting';
      layer.current = 0;
      this.retrying = status;
      return true;
    }
    if (layer.state === 'pushed' || layer.state === 'exists') return false;
    if (state === 'pushing' || state === 'pushed') this.started = true;
    if (state === 'pushing') {
      this.retrying = null;
      const { current, total } = event.progressDetail ?? {};
      if (validSize(total) && total > 0) layer.total = Math.max(layer.total ?? 0, total);
      if (validSize(current)) layer.current = layer.total !== undefined ? Math.min(layer.total, current) : current;
    }
    if (state === 'pushed' && layer.total !== undefined) layer.current = layer.total;
    if (state) layer.state = state === 'waiting' && layer.state === 'pushing' ? 'pushing' : state;
    return true;
  }

  /** The image is in the registry; Replicate is making the version. */
  processing(): PushProgress {
    this.phaseOverride = 'processing';
    return this.snapshot();
  }

  /** Marks the push as finished: percent 100, phase done. */
  finish(message?: string): PushProgress {
    this.phaseOverride = 'done';
    const s = this.snapshot();
    return message ? { ...s, message } : s;
  }

  snapshot(): PushProgress {
    const all = [...this.layers.values()];
    const count = (...states: LayerState[]) => all.filter((l) => states.includes(l.state)).length;
    const known = all.filter((l) => l.total !== undefined);
    const bytesTotal = known.reduce((s, l) => s + l.total!, 0);
    const bytesDone = known.reduce((s, l) => s + (l.state === 'pushed' ? l.total! : Math.min(l.current, l.total!)), 0);
    const layers = {
      total: all.length,
      done: count('pushed', 'exists'),
      pushing: count('pushing'),
      alreadyExists: count('exists'),
    };
    let phase: PushProgress['phase'];
    if (this.phaseOverride) phase = this.phaseOverride;
    else if (all.length === 0 || (!this.started && count('waiting') > 0)) phase = 'preparing';
    else phase = 'pushing';

    let raw: number;
    if (phase === 'done') raw = 100;
    else if (phase === 'processing') raw = PUSH_SHARE * 100;
    else raw = Math.min(PUSH_SHARE * 100 - 1, this.fraction(all, known, bytesTotal) * PUSH_SHARE * 100);
    this.percent = Math.max(this.percent, Number.isFinite(raw) ? raw : 0);
    const percent = Math.round(this.percent * 10) / 10;
    return { ref: this.ref, phase, layers, bytesDone, bytesTotal, percent, message: this.message(phase, layers, bytesDone, bytesTotal) };
  }

  /** Each layer weighs its size (unknown sizes weigh the average known one). */
  private fraction(all: Layer[], known: Layer[], bytesTotal: number): number {
    if (all.length === 0) return 0;
    const avg = known.length > 0 ? bytesTotal / known.length : 1;
    let weight = 0;
    let done = 0;
    for (const l of all) {
      const w = (l.total ?? avg) || 1;
      weight += w;
      done += w * (l.state === 'pushed' || l.state === 'exists' ? 1 : l.total ? Math.min(1, l.current / l.total) : 0);
    }
    return weight > 0 ? done / weight : 0;
  }

  private message(phase: PushProgress['phase'], layers: PushProgress['layers'], done: number, total: number): string {
    const there = layers.alreadyExists > 0 ? `, ${layers.alreadyExists} already there` : '';
    switch (phase) {
      case 'preparing':
        return layers.total > 0 ? `Preparing ${plural(layers.total, 'layer')}${there}` : 'Contacting the registry';
      case 'pushing': {
        if (this.retrying) return `Upload interrupted; ${this.retrying.toLowerCase()}`;
        const bytes = total > 0 ? ` (${formatBytes(done)} of ${formatBytes(total)})` : '';
        return `Pushing ${plural(layers.total - layers.alreadyExists, 'layer')}${bytes}${there}`;
      }
      case 'processing':
        return 'Pushed; waiting for Replicate to make the version';
      case 'done':
        return layers.total > 0 && layers.alreadyExists === layers.total
          ? 'Pushed (every layer was already there)'
          : `Pushed ${plural(layers.total - layers.alreadyExists, 'layer')}${there}`;
    }
  }

  /** The last status line the engine sent (for error messages). */
  get last(): string {
    return this.lastStatus;
  }
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function validSize(n: unknown): n is number {
  return typeof n === 'number' && Number.isFinite(n) && n >= 0;
}
