/**
 * Realistic content for the window's gallery of screenshots: a long history (about 200 predictions, spread
 * over two months, written through the store as the runner writes them) whose image outputs are real small
 * PNG files in the data folder, as a model's outputs are kept.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Core } from '../../../src/main/core';
import type { PredictionStatus, Version } from '../../../src/shared/domain';
import { landscapePng } from './png';

const PROMPTS = [
  'a lighthouse on a cliff at dawn, oil painting',
  'hello from the gallery',
  'summarize the meeting notes in three bullet points',
  'a red fox in fresh snow, 35mm photo',
  'translate "good morning" into French and Japanese',
  'an isometric city block, pastel colours',
  'write a haiku about GPUs',
  'mountains reflected in a still lake',
  'the quick brown fox jumps over the lazy dog',
  'a cup of coffee on a wooden table, soft light',
];

const DAY = 86_400_000;

export interface GalleryVersions {
  echo: Version;
  stream: Version;
  file: Version;
}

/** Writes `count` finished predictions, oldest first, the newest `newestMinutesAgo` minutes ago; answers their ids (newest last). */
export function writeHistory(core: Core, v: GalleryVersions, count = 200, newestMinutesAgo = 5): string[] {
  const setCreated = core.store.db.prepare('UPDATE predictions SET created_at = ? WHERE id = ?');
  const now = Date.now();
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const created = now - newestMinutesAgo * 60_000 - ((count - 1 - i) / count) * 60 * DAY;
    const prompt = PROMPTS[i % PROMPTS.length]!;
    const kind = i % 3 === 0 ? 'file' : i % 3 === 1 ? 'echo' : 'stream';
    const version = v[kind];
    const input =
      kind === 'echo'
        ? { text: prompt, times: 1 + (i % 4), style: i % 5 === 0 ? 'shout' : 'plain' }
        : kind === 'stream'
          ? { prompt, n: 6 + (i % 10) }
          : { image: `https://replicate.delivery/pbxt/gallery/photo-${i}.png` };
    const p = core.store.predictions.create({ modelId: version.modelId, versionId: version.id, input, source: i % 7 === 0 ? 'cli' : i % 11 === 0 ? 'api' : 'app' });
    const status: PredictionStatus = i % 23 === 5 ? 'failed' : i % 31 === 7 ? 'canceled' : 'succeeded';
    let output: unknown = null;
    if (status === 'succeeded') {
      if (kind === 'file') {
        const dir = join(core.paths.outputs, p.id);
        mkdirSync(dir, { recursive: true });
        const file = join(dir, `out-${i}.png`);
        writeFileSync(file, landscapePng(i));
        output = file;
      } else if (kind === 'echo') output = `hello ${Array.from({ length: input.times as number }, () => prompt).join(' ')}`;
      else output = prompt.split(/(?= )/);
    }
    const predictTime = 0.4 + (i % 9) * 0.7;
    core.store.predictions.update(p.id, {
      status,
      output,
      logs: status === 'failed' ? 'Traceback (most recent call last):\nRuntimeError: CUDA out of memory\n' : `predicting ${kind}\n`,
      error: status === 'failed' ? 'CUDA out of memory. Tried to allocate 2.00 GiB' : null,
      startedAt: new Date(created + 800).toISOString(),
      completedAt: new Date(created + 800 + predictTime * 1000).toISOString(),
      metrics: status === 'succeeded' ? { predict_time: predictTime, total_time: predictTime + 0.8 } : null,
    });
    setCreated.run(new Date(created).toISOString(), p.id);
    ids.push(p.id);
  }
  return ids;
}
