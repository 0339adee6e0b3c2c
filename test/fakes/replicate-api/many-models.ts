/**
 * A big catalog for the fake: `growWorld(fake.world, 10_000)` adds made-up public models until the world
 * holds that many, so Explore (and anything else that lists models) can be tried at the real catalog's
 * scale. The models are deterministic (the same ids, descriptions and run counts every run), shaped as
 * GET /models answers them (valid against replicate-openapi.json), newer than the recorded models, and
 * without a cover image or a default example, so nothing the page shows ever leaves loopback.
 */
import type { FakeWorld } from './world';

type Obj = Record<string, unknown>;

const OWNERS = [
  'stability-ai', 'meta', 'black-forest-labs', 'bytedance', 'lucataco', 'fofr', 'zsxkib', 'cjwbw', 'andreasjansson',
  'nightmareai', 'pixel-forge', 'tonal-labs', 'quill-research', 'orbit-ml', 'ferrous-ai', 'lumen-studio', 'kiln-works',
  'sparrow-labs', 'deltaform', 'atlas-vision',
];
const ADJECTIVES = [
  'fast', 'tiny', 'turbo', 'hd', 'realistic', 'anime', 'vintage', 'neural', 'latent', 'sharp', 'deep', 'open', 'clear',
  'vivid', 'quiet', 'lucid', 'bright', 'swift', 'grand', 'micro',
];
const NOUNS = [
  'diffusion', 'upscaler', 'whisper', 'llama', 'restorer', 'segmenter', 'captioner', 'tts', 'depth', 'inpaint',
  'controlnet', 'vocoder', 'matting', 'colorizer', 'detector', 'embedder', 'tagger', 'denoiser', 'lipsync', 'sketch',
];
const TASKS: Array<[string, string]> = [
  ['Generates images from a text prompt', 'text-to-image'],
  ['Upscales photos 4x while keeping faces sharp', 'super-resolution'],
  ['Transcribes speech to text in 90 languages', 'speech-to-text'],
  ['A chat model tuned to follow instructions', 'language'],
  ['Restores old and blurry face photos', 'restoration'],
  ['Segments anything in an image from a point or a box', 'segmentation'],
  ['Writes a caption for an image', 'image-to-text'],
  ['Reads text aloud in a natural voice', 'text-to-speech'],
  ['Estimates depth from a single image', 'depth'],
  ['Fills a masked region of an image from a prompt', 'inpainting'],
  ['Removes the background of a photo', 'background-removal'],
  ['Turns a short clip of audio into music', 'audio'],
];

/** A small, fixed PRNG (mulberry32): the same world every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
const hex64 = (r: () => number) => Array.from({ length: 8 }, () => Math.floor(r() * 2 ** 32).toString(16).padStart(8, '0')).join('');

/** A tiny Cog schema (a prompt in, a string out), shared by the made-up versions. */
const SCHEMA: Obj = {
  openapi: '3.0.2',
  info: { title: 'Cog', version: '0.1.0' },
  paths: {},
  components: {
    schemas: {
      Input: { type: 'object', title: 'Input', properties: { prompt: { type: 'string', title: 'Prompt', 'x-order': 0 } }, required: ['prompt'] },
      Output: { type: 'string', title: 'Output' },
    },
  },
};

export interface GrowOptions {
  /** PRNG seed (default 5). */
  seed?: number;
  /** The newest made-up version's time (default 2026-01-01T00:00:00Z); each next model is a minute older. */
  newest?: string;
}

/**
 * Adds made-up public models to the world until it holds `total` models; returns their ids, newest first
 * (the order GET /models lists them in, ahead of every recorded model). Their search metadata is set too.
 */
export function growWorld(world: FakeWorld, total: number, options: GrowOptions = {}): string[] {
  const r = prng(options.seed ?? 5);
  const newest = Date.parse(options.newest ?? '2026-01-01T00:00:00Z');
  const added: string[] = [];
  for (let i = 0; world.models.size < total; i++) {
    const owner = pick(r, OWNERS);
    const base = `${pick(r, ADJECTIVES)}-${pick(r, NOUNS)}`;
    let name = base;
    for (let k = 2; world.models.has(`${owner}/${name}`); k++) name = `${base}-v${k}`;
    const [what, tag] = pick(r, TASKS);
    const id = `${owner}/${name}`;
    const created = new Date(newest - i * 60_000).toISOString().replace('Z', '000Z'); // microseconds, as Replicate writes them
    const latest = { id: hex64(r), created_at: created, cog_version: '0.15.5', openapi_schema: SCHEMA };
    // Run counts spread as the real catalog's do: most models few runs, a few millions.
    const runs = Math.floor(10 ** (r() * 7));
    world.models.set(id, {
      cover_image_url: null,
      created_at: new Date(newest - i * 60_000 - 86_400_000).toISOString().replace('Z', '000Z'),
      default_example: null,
      description: `${what} (${name.replace(/-/g, ' ')}, model ${i + 1})`,
      github_url: `https://github.com/${owner}/${name}`,
      is_official: i % 97 === 0,
      latest_version: latest,
      license_url: i % 3 === 0 ? 'https://www.apache.org/licenses/LICENSE-2.0' : null,
      name,
      owner,
      paper_url: null,
      run_count: runs,
      url: `https://replicate.com/${id}`,
      visibility: 'public',
    });
    world.versions.set(id, [latest]);
    world.examples.set(id, []);
    world.searchMetadata.set(id, { tags: [tag], generated_description: `${what}.` });
    added.push(id);
  }
  return added;
}

/** Every model of the world in GET /models order (newest latest version first, as the fake pages them). */
export function listOrder(world: FakeWorld): string[] {
  const at = (m: Obj) => ((m.latest_version as Obj | null)?.created_at as string | undefined) ?? '';
  return [...world.models.entries()].sort(([, a], [, b]) => at(b).localeCompare(at(a))).map(([id]) => id);
}
