/**
 * A generated history for the benchmarks: predictions of a dozen image, audio and text models with inputs
 * shaped like real ones (prompts from a vocabulary, seeds, sizes, file paths), made through the store (so
 * the triggers index them), with the same pseudo-random sequence on every run.
 */
import type { Store } from '../src/main/core/store';

const WORDS = `a an the of in on with at by from and under over near beside portrait landscape photo painting
  watercolor oil sketch drawing render illustration cinematic dramatic soft warm cold golden hour sunset sunrise
  night morning fog mist rain snow storm clouds sky sea ocean river lake mountain forest desert city street
  village castle tower bridge garden field meadow flower rose tulip tree oak pine leaf stone rock sand wave
  cat dog fox wolf bear horse bird owl eagle dragon robot astronaut knight wizard woman man child girl boy
  old young smiling serious sad happy red blue green yellow purple orange black white silver gold pink teal
  neon glowing dark bright vivid pastel muted detailed intricate highly sharp focus bokeh lens wide angle
  close up macro aerial view studio lighting backlit rim light volumetric shadows reflections glass metal
  wood paper fabric velvet silk leather vintage retro futuristic cyberpunk steampunk fantasy surreal minimal
  abstract baroque gothic modern ancient medieval victorian japanese nordic tropical arctic alpine coastal
  trending artstation unreal engine octane 8k 4k hdr masterpiece award winning professional amateur film
  grain kodak polaroid 35mm 50mm 85mm f1.8 portrait-mode character concept art matte painting`.split(/\s+/);
const RARE = ['zeppelin', 'kaleidoscope', 'platypus', 'obsidian'];
const MODELS = [
  'stability-ai/sdxl', 'black-forest-labs/flux-schnell', 'bytedance/sdxl-lightning', 'lucataco/realvisxl',
  'meta/musicgen', 'openai/whisper', 'meta/llama-3-8b', 'fofr/face-to-sticker', 'nightmareai/real-esrgan',
  'salesforce/blip', 'acme/echo', 'local/my-model',
];

/** mulberry32: a small deterministic generator, so every run builds the same history. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fills the store with `n` predictions, oldest first; answers their ids (oldest first) and the models. */
export function generateHistory(store: Store, n: number): { ids: string[]; models: string[] } {
  const rnd = random(12);
  const pick = <T>(list: readonly T[]) => list[Math.floor(rnd() * list.length)];
  const prompt = (min: number, max: number) => {
    const words = Array.from({ length: min + Math.floor(rnd() * (max - min)) }, () => pick(WORDS));
    if (rnd() < 0.001) words.splice(Math.floor(rnd() * words.length), 0, pick(RARE));
    return words.join(' ');
  };
  const input = (model: string, i: number): Record<string, unknown> => {
    if (model === 'openai/whisper') return { audio: `/home/me/.cogdesk/inputs/${i}/interview-${i % 97}.mp3`, language: pick(['en', 'fr', 'auto']) };
    if (model === 'meta/musicgen') return { prompt: prompt(4, 12), duration: 8 + Math.floor(rnd() * 22) };
    if (model === 'meta/llama-3-8b') return { prompt: prompt(10, 40), max_new_tokens: 512, temperature: 0.7, system_prompt: 'You are a helpful assistant.' };
    if (model === 'nightmareai/real-esrgan') return { image: `/home/me/.cogdesk/inputs/${i}/photo-${i % 301}.png`, scale: pick([2, 4]), face_enhance: rnd() < 0.3 };
    const out: Record<string, unknown> = { prompt: prompt(6, 28), seed: Math.floor(rnd() * 2 ** 31), width: 1024, height: pick([768, 1024, 1344]), num_inference_steps: pick([4, 20, 30, 50]) };
    if (rnd() < 0.4) out.negative_prompt = prompt(3, 10);
    if (rnd() < 0.5) out.guidance_scale = pick([3.5, 5, 7.5]);
    return out;
  };
  const ids: string[] = [];
  const finish = store.db.prepare("UPDATE predictions SET status = ?, output = ?, completed_at = created_at, metrics = ? WHERE id = ?");
  const CHUNK = 10_000;
  for (let start = 0; start < n; start += CHUNK) {
    store.db.transaction(() => {
      for (let i = start; i < Math.min(n, start + CHUNK); i++) {
        const model = pick(MODELS);
        const p = store.predictions.create({ modelId: model, versionId: 'v'.repeat(64), input: input(model, i), source: pick(['app', 'cli', 'api'] as const) });
        ids.push(p.id);
        const failed = rnd() < 0.05;
        const output = failed ? null : JSON.stringify([`/home/me/.cogdesk/outputs/${p.id}/out-0.png`]);
        finish.run(failed ? 'failed' : 'succeeded', output, JSON.stringify({ predict_time: rnd() * 10 }), p.id);
      }
    })();
  }
  return { ids, models: MODELS };
}
