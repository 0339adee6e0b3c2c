/**
 * Output values are what the model gave, with files replaced by paths under the data folder
 * (`<data>/outputs/<prediction id>/...`). These helpers tell such paths from text and pick how to show them.
 */
import type { OutputKind } from '../../../shared/schema';

const norm = (s: string) => s.replace(/\\/g, '/').replace(/\/+$/, '');

/** True for a path of one of this prediction's output files. */
export function isOutputPath(value: unknown, dataDir: string, predictionId: string): value is string {
  return typeof value === 'string' && norm(value).startsWith(`${norm(dataDir)}/outputs/${predictionId}/`);
}

/** True for a local path (not a data: URI or URL): a file input given by path, or kept as a file by the engine. */
export function isLocalPath(value: unknown): value is string {
  return typeof value === 'string' && /^(\/|[A-Za-z]:[\\/]|\\\\)/.test(value);
}

export type MediaKind = 'image' | 'audio' | 'video' | 'text' | 'other';

/** How to show a file, from its MIME type or its name. */
export function mediaKind(mimeOrName: string): MediaKind {
  const m = mimeOrName.toLowerCase();
  if (m.startsWith('image/') || /\.(png|jpe?g|gif|webp|bmp|svg|avif|ico)$/.test(m)) return 'image';
  if (m.startsWith('audio/') || /\.(mp3|wav|ogg|oga|flac|m4a|aac|opus|weba)$/.test(m)) return 'audio';
  if (m.startsWith('video/') || /\.(mp4|m4v|webm|mov|mkv|avi)$/.test(m)) return 'video';
  if (m.startsWith('text/') || /^application\/(json|jsonl|xml|yaml)/.test(m) || /\.(txt|md|csv|tsv|json|jsonl|ya?ml|xml|log)$/.test(m)) return 'text';
  return 'other';
}

/** Streamed text so far, for models that yield strings (tokens appear as they come). */
export function streamedText(kind: OutputKind, output: unknown): string | null {
  if ((kind === 'concatenate' || kind === 'iterator') && Array.isArray(output) && output.every((v) => typeof v === 'string')) {
    return output.join('');
  }
  return null;
}
