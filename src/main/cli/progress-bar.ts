import type { PullProgress } from '../../shared/domain';
import { formatBytes } from '../../shared/format';

/** How fast a pull goes, and how long it has left (when the size is known). */
export interface PullRate {
  bytesPerSecond: number;
}

const duration = (s: number) => (s < 60 ? `${Math.ceil(s)}s` : s < 3600 ? `${Math.floor(s / 60)}m${String(Math.ceil(s % 60)).padStart(2, '0')}s` : `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`);

/**
 * One line of pull progress: a bar, percent, bytes and layers, then the speed and the time left when a rate
 * is given. While some layer's size is unknown (percent null) the bar is empty and only the bytes so far are
 * shown: a percent then would be a guess. Once every size is known, the percent is the bytes' own
 * (bytes done over bytes in all), so the two always agree.
 */
export function progressLine(p: PullProgress, width = 24, rate?: PullRate): string {
  const layers = p.layers.total > 0 ? `, ${p.layers.done}/${p.layers.total} layers` : '';
  const speed = rate && rate.bytesPerSecond > 0 && p.phase === 'downloading' ? `, ${formatBytes(rate.bytesPerSecond)}/s` : '';
  if (p.percent === null) {
    const bytes = p.bytesDone > 0 ? `${formatBytes(p.bytesDone)} so far` : p.message;
    return `[${' '.repeat(width)}]      ${bytes}${layers}${speed} ${p.phase}`;
  }
  const percent = p.bytesTotal > 0 && p.phase !== 'done' ? Math.min(100, Math.floor((p.bytesDone / p.bytesTotal) * 100)) : p.percent;
  const filled = Math.round((percent / 100) * width);
  const bar = '#'.repeat(filled) + '-'.repeat(width - filled);
  const bytes = p.bytesTotal > 0 ? `${formatBytes(p.bytesDone)}/${formatBytes(p.bytesTotal)}` : p.message;
  const left = speed && p.bytesTotal > p.bytesDone ? `, ${duration((p.bytesTotal - p.bytesDone) / rate!.bytesPerSecond)} left` : '';
  return `[${bar}] ${percent.toFixed(0).padStart(3)}% ${bytes}${layers}${speed}${left} ${p.phase}`;
}

/** The rate of the last few seconds of a pull, from its byte counts over time. */
export function rateMeter(windowMs = 5000): { sample(bytesDone: number, at: number): PullRate | undefined } {
  const samples: Array<{ bytes: number; at: number }> = [];
  return {
    sample(bytes, at) {
      samples.push({ bytes, at });
      while (samples.length > 2 && at - samples[1].at >= windowMs) samples.shift();
      const first = samples[0];
      const seconds = (at - first.at) / 1000;
      return seconds >= 1 && bytes > first.bytes ? { bytesPerSecond: (bytes - first.bytes) / seconds } : undefined;
    },
  };
}

/** Draws pull progress on stderr: redrawn in place on a terminal, a line every few seconds otherwise. */
export function progressReporter(stream: NodeJS.WriteStream = process.stderr, now: () => number = Date.now): { update(p: PullProgress): void; end(): void } {
  let lastLineAt = 0;
  let drawn = false;
  const meter = rateMeter();
  return {
    update(p) {
      const at = now();
      const line = progressLine(p, 24, meter.sample(p.bytesDone, at));
      if (stream.isTTY) {
        stream.write(`\r${line}\x1b[K`);
        drawn = true;
      } else if (at - lastLineAt > 2000 || p.phase === 'done') {
        stream.write(`${line}\n`);
        lastLineAt = at;
      }
    },
    end() {
      if (drawn) stream.write('\n');
      drawn = false;
    },
  };
}
