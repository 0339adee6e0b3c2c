import type { PullProgress } from '../../shared/domain';
import { formatBytes } from '../../shared/format';

/**
 * One line of pull progress: a bar, percent, bytes and layers. While some layer's size is unknown
 * (percent null) the bar is empty and only the bytes so far are shown: a percent then would be a guess.
 */
export function progressLine(p: PullProgress, width = 24): string {
  const layers = p.layers.total > 0 ? `, ${p.layers.done}/${p.layers.total} layers` : '';
  if (p.percent === null) {
    const bytes = p.bytesDone > 0 ? `${formatBytes(p.bytesDone)} so far` : p.message;
    return `[${' '.repeat(width)}]      ${bytes}${layers} ${p.phase}`;
  }
  const filled = Math.round((p.percent / 100) * width);
  const bar = '#'.repeat(filled) + '-'.repeat(width - filled);
  const bytes = p.bytesTotal > 0 ? `${formatBytes(p.bytesDone)}/${formatBytes(p.bytesTotal)}` : p.message;
  return `[${bar}] ${p.percent.toFixed(0).padStart(3)}% ${bytes}${layers} ${p.phase}`;
}

/** Draws pull progress on stderr: redrawn in place on a terminal, a line every few seconds otherwise. */
export function progressReporter(stream: NodeJS.WriteStream = process.stderr): { update(p: PullProgress): void; end(): void } {
  let lastLineAt = 0;
  let drawn = false;
  return {
    update(p) {
      const line = progressLine(p);
      if (stream.isTTY) {
        stream.write(`\r${line}\x1b[K`);
        drawn = true;
      } else if (Date.now() - lastLineAt > 2000 || p.phase === 'done') {
        stream.write(`${line}\n`);
        lastLineAt = Date.now();
      }
    },
    end() {
      if (drawn) stream.write('\n');
      drawn = false;
    },
  };
}
