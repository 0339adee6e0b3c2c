/**
 * Examples as cards show them (src/renderer/src/lib/examples.ts), over Replicate's recorded answers: the input
 * field by field as the form shows it (the form's widgets and summaries, defaults counted rather than
 * listed, secrets masked, files by name), and the output as media (https of public hosts only), text or JSON.
 */
import { describe, expect, it } from 'vitest';
import { recorded } from '../../fakes/replicate-api/world';
import { parseVersionSchema } from '../../../src/shared/schema';
import { formFields } from '../../../src/renderer/src/form/fields';
import { safeImage } from '../../../src/renderer/src/lib/catalog';
import { exampleInput, remoteOutput } from '../../../src/renderer/src/lib/examples';

type Obj = Record<string, unknown>;
const sdxlVersion = recorded<Obj>('models.versions.get.stability-ai-sdxl-7762fd07.2024-10.json');
const sdxlExample = recorded<Obj>('models.get.stability-ai-sdxl.2024-10.json').default_example as Obj;
const llamaExample = recorded<Obj>('models.get.meta-llama-2-70b-chat.json').default_example as Obj;
const sdxlFields = formFields(parseVersionSchema(sdxlVersion.openapi_schema));

describe('an example\'s input as the form shows it', () => {
  it('lists the values that differ from the defaults in the form\'s order, with each field\'s widget and summary, and counts the rest', () => {
    const shown = exampleInput(sdxlFields, sdxlExample.input as Obj);
    const order = sdxlFields.map((f) => f.name);
    const names = shown.given.map((g) => g.name);
    expect([...names].sort()).toEqual(['apply_watermark', 'height', 'num_inference_steps', 'prompt', 'refine', 'width']);
    expect(names).toEqual([...names].sort((a, b) => order.indexOf(a) - order.indexOf(b)));
    expect(shown.atDefault).toBe(7);
    const by = Object.fromEntries(shown.given.map((g) => [g.name, g]));
    expect(by.prompt).toMatchObject({ widget: 'textarea', text: 'An astronaut riding a rainbow unicorn, cinematic, dramatic' });
    expect(by.apply_watermark).toMatchObject({ widget: 'checkbox', text: 'no' });
    expect(by.refine).toMatchObject({ widget: 'select', text: 'expert_ensemble_refiner' });
    expect(by.width.text).toBe('768');
    expect(by.width.summary).toBe('integer · default 1024 · optional');
  });

  it('shows files by name (with the value kept for a preview), masks secrets, and keeps keys the schema lacks, last', () => {
    const shown = exampleInput(sdxlFields, { image: 'https://replicate.delivery/pbxt/abc/in%20put.png', seed: 7, extra: { a: 1 } });
    expect(shown.given.find((g) => g.name === 'image')).toMatchObject({ widget: 'file', text: 'in put.png', files: ['https://replicate.delivery/pbxt/abc/in%20put.png'] });
    expect(shown.given.at(-1)).toMatchObject({ name: 'extra', summary: null, widget: null, text: '{"a":1}' });
    const secret = exampleInput([{ name: 'api_key', label: 'api_key', widget: 'secret', type: 'string', required: true, nullable: false, hasDefault: false }], { api_key: 'sk-123' });
    expect(secret.given[0].text).toBe('••••••••');
    expect(JSON.stringify(secret)).not.toContain('sk-123');
  });

  it('without a schema, shows every key as given', () => {
    expect(exampleInput(null, { text: 'hi', times: 3 })).toEqual({
      given: [
        { name: 'text', summary: null, widget: null, text: 'hi', files: [] },
        { name: 'times', summary: null, widget: null, text: '3', files: [] },
      ],
      atDefault: 0,
    });
  });
});

describe('a Replicate example\'s output', () => {
  it('images from Replicate\'s file host are media; tokens are joined into text; other values are one line of JSON', () => {
    expect(remoteOutput(sdxlExample.output)).toEqual({ kind: 'media', media: [{ url: (sdxlExample.output as string[])[0], kind: 'image' }] });
    const text = remoteOutput(llamaExample.output);
    expect(text.kind).toBe('text');
    expect(text.kind === 'text' && text.text.startsWith(" Sure! Here's a poem about open source machine learning")).toBe(true);
    expect(remoteOutput({ audio: 'https://replicate.delivery/x/song.mp3', video: 'https://replicate.delivery/x/clip.mp4' })).toEqual({
      kind: 'media',
      media: [
        { url: 'https://replicate.delivery/x/song.mp3', kind: 'audio' },
        { url: 'https://replicate.delivery/x/clip.mp4', kind: 'video' },
      ],
    });
    expect(remoteOutput({ score: 0.9 })).toEqual({ kind: 'json', text: '{"score":0.9}' });
    expect(remoteOutput([])).toEqual({ kind: 'none' });
  });

  it('never loads a file from http, this machine or the local network: those show as text', () => {
    for (const url of ['http://replicate.delivery/a.png', 'https://127.0.0.1/a.png', 'https://localhost/a.png', 'https://192.168.1.2/a.png', 'https://intranet/a.png']) {
      expect(remoteOutput(url).kind, url).toBe('text');
    }
  });
});

describe('cover images', () => {
  it('only https images of public hosts: never http, data:, this machine or the local network', () => {
    expect(safeImage('https://tjzk.replicate.delivery/models_models_cover_image/x/cover.png')).toBe('https://tjzk.replicate.delivery/models_models_cover_image/x/cover.png');
    for (const url of ['http://replicate.delivery/a.png', 'data:image/png;base64,AAAA', 'https://127.0.0.1/a.png', 'https://10.0.0.5/a.png', 'https://[::1]/a.png', 'https://printer.local/a.png', 'https://intranet/a.png', 'https://u:p@replicate.delivery/a.png', null, '']) {
      expect(safeImage(url), String(url)).toBeNull();
    }
  });
});
