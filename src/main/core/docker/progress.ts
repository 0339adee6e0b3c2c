import type { PullProgress } from '../../../shared/domain';
import { formatBytes } from '../../../shared/format';

/** One line of the engine's JSON pull stream. */
export interface PullEvent {
  status?: string;
  id?: string;
  progressDetail?: { current?: number; total?: number };
  progress?: string;
  error?: string;
  errorDetail?: { message?: string; code?: number };
}

type LayerState = 'waiting' | 'downloading' | 'downloaded' | 'extracting' | 'complete' | 'exists';

interface Layer {
  state: LayerState;
  current: number;
  total?: number;
  extracted: number;
}

// Statuses that are about one layer (the `id` is then a short layer id, not the tag).
const LAYER_STATUS: Record<string, LayerState> = {
  'Pulling fs layer': 'waiting',
  Waiting: 'waiting',
  Downloading: 'downloading',
  'Verifying Checksum': 'downloading',
  'Download complete': 'downloaded',
  Extracting: 'extracting',
  'Pull complete': 'complete',
  'Already exists': 'exists',
};
const DOWNLOAD_SHARE = 0.85;

/**
 * Folds the engine's per-layer pull events into one progress value: layer counts, bytes, a percent that
 * only goes up (null until every layer's size is known), and a phase. Pure: feed it events, read snapshots.
 */
export class PullProgressTracker {
  private readonly layers = new Map<string, Layer>();
  private readonly sizes = new Map<string, number>();
  private percent = 0;
  /** Whether a percent was shown: it then stays, only going up. */
  private sized = false;
  private finished = false;
  private lastStatus = '';

  constructor(readonly ref: string) {}

  /**
   * Layer sizes known before the engine tells them (from the image's manifest), by blob digest or by the
   * 12-character id the engine's stream uses: the percent can then show from the first byte.
   */
  knowSizes(sizes: Record<string, number>): void {
    for (const [digest, size] of Object.entries(sizes)) {
      if (!validSize(size) || size === 0) continue;
      const id = digest.replace(/^sha256:/, '').slice(0, 12);
      this.sizes.set(id, size);
      const layer = this.layers.get(id);
      if (layer) layer.total ??= size;
    }
  }

  /** Applies one event; returns false for events that change nothing visible. */
  apply(event: PullEvent): boolean {
    const status = event.status ?? '';
    if (!status) return false;
    const retry = /^Retrying in /.test(status);
    const state = LAYER_STATUS[status];
    if (!event.id || (!state && !retry)) {
      this.lastStatus = status;
      return false;
    }
    let layer = this.layers.get(event.id);
    if (!layer) {
      layer = { state: 'waiting', current: 0, extracted: 0, total: this.sizes.get(event.id) };
      this.layers.set(event.id, layer);
    }
    this.lastStatus = status;
    if (retry) {
      layer.state = 'waiting';
      return true;
    }
    const { current, total } = event.progressDetail ?? {};
    const moving = rank(layer.state) <= rank(state ?? 'waiting');
    if (!moving) return false;
    if (status === 'Downloading' && validSize(current) && validSize(total) && total > 0) {
      // After a retry Docker resumes where it stopped and reports only the rest: total is what is left,
      // current counts from the resume point. The first total seen is the layer's size.
      layer.total = Math.max(layer.total ?? 0, total);
      layer.current = Math.min(layer.total, layer.total - total + current);
    } else if (status === 'Extracting') {
      if (validSize(current)) layer.extracted = Math.max(layer.extracted, current);
      if (layer.total === undefined && validSize(total)) layer.total = total;
    }
    if (state === 'downloaded' || state === 'extracting' || state === 'complete') {
      if (layer.total !== undefined) layer.current = layer.total;
    }
    // Docker never moves a layer backwards except on a retry (handled above).
    if (state) layer.state = state;
    return true;
  }

  /** Marks the pull as finished: percent 100, phase done. */
  finish(): PullProgress {
    this.finished = true;
    return this.snapshot();
  }

  snapshot(): PullProgress {
    const all = [...this.layers.values()];
    const count = (...states: LayerState[]) => all.filter((l) => states.includes(l.state)).length;
    const known = all.filter((l) => l.total !== undefined);
    const bytesTotal = known.reduce((s, l) => s + l.total!, 0);
    const bytesDone = known.reduce((s, l) => s + Math.min(l.current, l.total!), 0);
    const layers = {
      total: all.length,
      done: count('complete', 'exists'),
      downloading: count('downloading'),
      extracting: count('extracting'),
      alreadyExists: count('exists'),
    };
    let phase: PullProgress['phase'];
    if (this.finished) phase = 'done';
    else if (all.length === 0) phase = 'resolving';
    else if (count('waiting', 'downloading') > 0) phase = 'downloading';
    else phase = 'extracting';

    // A percent needs the size of every layer still to download; until then it would be a guess (85 % of
    // the first layers' bytes while most of the image was still to come).
    this.sized ||= this.finished || (all.length > 0 && all.every(sizeSettled));
    let percent: number | null = null;
    if (this.sized) {
      const raw = this.finished ? 100 : Math.min(99, this.fraction(all, known, bytesTotal) * 100);
      this.percent = Math.max(this.percent, Number.isFinite(raw) ? raw : 0);
      percent = Math.round(this.percent * 10) / 10;
    }
    const text = message(phase, layers, bytesDone, this.sized ? bytesTotal : null, this.lastStatus);
    return { ref: this.ref, phase, layers, bytesDone, bytesTotal, percent, message: text };
  }

  /** Each layer weighs its size (unknown sizes weigh the average known one); download counts 85 %, extraction 15 %. */
  private fraction(all: Layer[], known: Layer[], bytesTotal: number): number {
    if (all.length === 0) return 0;
    const avg = known.length > 0 ? bytesTotal / known.length : 1;
    let weight = 0;
    let done = 0;
    for (const l of all) {
      const w = l.state === 'exists' ? avg : (l.total ?? avg) || 1;
      weight += w;
      done += w * layerFraction(l);
    }
    return weight > 0 ? done / weight : 0;
  }
}

function layerFraction(l: Layer): number {
  if (l.state === 'complete' || l.state === 'exists') return 1;
  const size = l.total ?? 0;
  const down = l.state === 'downloaded' || l.state === 'extracting' ? 1 : size > 0 ? Math.min(1, l.current / size) : 0;
  const ext = l.state === 'extracting' && size > 0 ? Math.min(1, l.extracted / size) : 0;
  return DOWNLOAD_SHARE * down + (1 - DOWNLOAD_SHARE) * ext;
}

/** A layer whose size is known, or that needs no more downloading (already here, or downloaded). */
function sizeSettled(l: Layer): boolean {
  return l.total !== undefined || rank(l.state) >= rank('downloaded');
}

function rank(s: LayerState): number {
  return ['waiting', 'downloading', 'downloaded', 'extracting', 'complete', 'exists'].indexOf(s);
}

function validSize(n: unknown): n is number {
  return typeof n === 'number' && Number.isFinite(n) && n >= 0;
}

/** `total` null: not every size is known yet, so the bytes so far are shown alone. */
function message(phase: PullProgress['phase'], layers: PullProgress['layers'], done: number, total: number | null, last: string): string {
  const bytes = total === null ? (done > 0 ? ` (${formatBytes(done)} so far)` : '') : total > 0 ? ` (${formatBytes(done)} of ${formatBytes(total)})` : '';
  switch (phase) {
    case 'resolving':
      return last.startsWith('Pulling from') ? 'Resolving layers' : 'Contacting the registry';
    case 'downloading':
      if (last.startsWith('Retrying')) return `Download interrupted; ${last.toLowerCase()}`;
      return `Downloading ${plural(layers.total, 'layer')}${bytes}`;
    case 'extracting':
      return `Extracting layers: ${layers.done} of ${layers.total} ready`;
    case 'done':
      if (layers.total === 0 || layers.alreadyExists === layers.total) return 'Image is up to date';
      return `Pulled ${plural(layers.total, 'layer')}${bytes}`;
  }
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
