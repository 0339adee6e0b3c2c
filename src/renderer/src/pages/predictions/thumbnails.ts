/**
 * Thumbnails for the history: the first image among a prediction's output files, read through the contract
 * (readPredictionFile answers the whole file as a data: URI), shrunk in a canvas to a small image and kept in
 * a bounded cache. Files over THUMBNAIL_MAX_BYTES are shown as an icon instead; at most two reads at a time.
 */
import { api } from '../../api';
import { errorInfo } from '../../lib/errors';
import { isOutputPath, mediaKind } from '../../lib/outputs';

/** Larger image files get an icon: their data URI is too much to hold for a 48-pixel picture. */
export const THUMBNAIL_MAX_BYTES = 2 * 1024 * 1024;
const EDGE = 96; // pixels: twice the size shown, for high-density screens
const CACHED = 300;
const PARALLEL = 2;

export type Thumbnail = { kind: 'image'; src: string } | { kind: 'icon'; reason: string };

/** The first output file that is an image (depth first, in the output's own order), or null. */
export function firstImageOutput(output: unknown, dataDir: string, predictionId: string): string | null {
  if (isOutputPath(output, dataDir, predictionId)) return mediaKind(output) === 'image' ? output : null;
  const children = Array.isArray(output) ? output : output && typeof output === 'object' ? Object.values(output) : [];
  for (const child of children) {
    const found = firstImageOutput(child, dataDir, predictionId);
    if (found) return found;
  }
  return null;
}

const cache = new Map<string, Promise<Thumbnail>>();
const waiting: Array<() => void> = [];
let running = 0;

/** The thumbnail of one file, read once (the cache forgets the oldest past CACHED). */
export function loadThumbnail(predictionId: string, path: string): Promise<Thumbnail> {
  const key = `${predictionId}\n${path}`;
  let hit = cache.get(key);
  if (!hit) {
    hit = inTurn(() => make(predictionId, path));
    cache.set(key, hit);
    while (cache.size > CACHED) cache.delete(cache.keys().next().value!);
  }
  return hit;
}

async function make(predictionId: string, path: string): Promise<Thumbnail> {
  let file;
  try {
    // The engine refuses a larger file before reading it, so a big image is never sent just to be shrunk.
    file = await api.readPredictionFile(predictionId, path, { maxBytes: THUMBNAIL_MAX_BYTES });
  } catch (e) {
    const info = errorInfo(e);
    return { kind: 'icon', reason: /too large/.test(info.message) ? `${info.message}: open the prediction to see it` : `No thumbnail: ${info.message}` };
  }
  const src = await shrink(file.dataUri);
  return src ? { kind: 'image', src } : { kind: 'icon', reason: `${file.name} could not be read as an image: open the prediction to see it` };
}

/** The image drawn at most EDGE pixels on its longer side, as a small data: URI; null when it cannot be drawn. */
async function shrink(dataUri: string): Promise<string | null> {
  try {
    const img = new Image();
    img.src = dataUri;
    await img.decode();
    const scale = Math.min(1, EDGE / Math.max(img.naturalWidth, img.naturalHeight));
    if (scale === 1 && dataUri.length < 32 * 1024) return dataUri;
    const canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.round(img.naturalWidth * scale));
    canvas.height = Math.max(1, Math.round(img.naturalHeight * scale));
    canvas.getContext('2d')?.drawImage(img, 0, 0, canvas.width, canvas.height);
    return canvas.toDataURL('image/webp', 0.8);
  } catch {
    return null;
  }
}

async function inTurn<T>(work: () => Promise<T>): Promise<T> {
  if (running >= PARALLEL) await new Promise<void>((go) => waiting.push(go));
  running++;
  try {
    return await work();
  } finally {
    running--;
    waiting.shift()?.();
  }
}
