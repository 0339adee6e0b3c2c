/**
 * The schema-to-form mapping (src/renderer/src/form/fields.ts) over every schema in test/fixtures/cog-openapi:
 * the widget each input gets, in x-order; defaults prefilled; drafts to input and back; and the default
 * form, with its required fields filled, passing the engine's own validation.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { defaultInput, parseVersionSchema, type VersionSchema } from '../../../src/shared/schema';
import { validateInput } from '../../../src/main/core/cog/validate';
import {
  draftFromValue,
  fieldSummary,
  fileName,
  formFields,
  initialDrafts,
  inputForValidation,
  inputFromDrafts,
  niceStep,
  valueFromDraft,
  type FormField,
} from '../../../src/renderer/src/form/fields';

const FIXTURES = fileURLToPath(new URL('../../fixtures/cog-openapi', import.meta.url));
const SCHEMAS = readdirSync(FIXTURES).filter((f) => f.endsWith('.json'));
const load = (name: string): VersionSchema => parseVersionSchema(readFileSync(join(FIXTURES, name), 'utf8'));
const byName = (fields: FormField[]) => Object.fromEntries(fields.map((f) => [f.name, f]));

/** A valid value for a required field with no default, by widget. */
function sample(f: FormField): unknown {
  switch (f.widget) {
    case 'file':
      return 'data:text/plain;base64,aGk=';
    case 'files':
      return ['data:text/plain;base64,aGk='];
    case 'checkbox':
      return true;
    case 'select':
      return f.choices![0].value;
    case 'list':
      return f.itemType === 'string' ? ['a'] : [1];
    case 'number':
    case 'slider':
      return f.minimum ?? 1;
    default:
      return 'hello';
  }
}

describe('every fixture schema maps to a form', () => {
  it('has the fixtures to check', () => {
    expect(SCHEMAS.sort()).toEqual(['openapi-file.json', 'openapi-stream.json', 'openapi-types.json', 'openapi.json', 'stable-diffusion-like.openapi.json']);
  });

  for (const name of SCHEMAS) {
    describe(name, () => {
      const schema = load(name);
      const fields = formFields(schema);

      it('gives every input a field, in x-order, with its description as help', () => {
        expect(fields.map((f) => f.name)).toEqual(schema.inputs.map((i) => i.name));
        for (const [i, f] of fields.entries()) {
          expect(f.help).toBe(schema.inputs[i].description);
          expect(f.required).toBe(schema.inputs[i].required);
        }
      });

      it('prefills the defaults, and the untouched form gives back exactly the defaults', () => {
        expect(inputFromDrafts(fields, initialDrafts(fields))).toEqual(
          Object.fromEntries(Object.entries(defaultInput(schema)).filter(([, v]) => v !== null)),
        );
      });

      it('with its required fields filled, passes the engine\'s validation', () => {
        const prefill = Object.fromEntries(fields.filter((f) => f.required && !f.hasDefault).map((f) => [f.name, sample(f)]));
        const input = inputFromDrafts(fields, initialDrafts(fields, prefill));
        expect(validateInput(schema, input)).toEqual([]);
        // Left empty, each required field is reported by name.
        const empty = inputFromDrafts(fields, initialDrafts(fields));
        expect(validateInput(schema, empty).map((e) => e.field)).toEqual(fields.filter((f) => f.required && !f.hasDefault).map((f) => f.name));
      });

      it('round-trips an input through the drafts (a past prediction prefills the form)', () => {
        const input = Object.fromEntries(fields.map((f) => [f.name, f.hasDefault && f.default !== null ? f.default : sample(f)]));
        expect(inputFromDrafts(fields, initialDrafts(fields, input))).toEqual(input);
      });
    });
  }
});

describe('widgets by type', () => {
  it('echo: a textarea for text, a slider with a box for times (1 to 10), a select for style', () => {
    const f = byName(formFields(load('openapi.json')));
    expect(f.text).toMatchObject({ widget: 'textarea', required: true, hasDefault: false });
    expect(f.times).toMatchObject({ widget: 'slider', type: 'integer', minimum: 1, maximum: 10, step: 1, default: 2 });
    expect(f.style).toMatchObject({ widget: 'select', default: 'plain', choices: [{ value: 'plain', label: 'plain' }, { value: 'shout', label: 'shout' }] });
    expect(fieldSummary(f.times)).toBe('integer · 1 to 10 · default 2 · optional');
    expect(fieldSummary(f.text)).toBe('string');
  });

  it('stream: a textarea prompt, number boxes without a range', () => {
    const f = byName(formFields(load('openapi-stream.json')));
    expect(f.prompt.widget).toBe('textarea');
    expect(f.n).toMatchObject({ widget: 'number', step: 1, default: 3 });
    expect(f.delay).toMatchObject({ widget: 'number', step: 'any', default: 0.2 });
  });

  it('file: a file picker for format uri; a short text field for api_key', () => {
    const f = byName(formFields(load('openapi-file.json')));
    expect(f.image).toMatchObject({ widget: 'file', required: true });
    expect(f.api_key.widget).toBe('text');
    expect(fieldSummary(f.image)).toBe('file');
  });

  it('types: secret masked, nullable integer, number slider, integer choices, list of strings, boolean', () => {
    const f = byName(formFields(load('openapi-types.json')));
    expect(f.token).toMatchObject({ widget: 'secret', required: true });
    // A re-run of a kept prediction asks for the secret again instead of sending the mask to the model.
    expect(initialDrafts([f.token], { token: '**********' })).toEqual({ token: '' });
    expect(initialDrafts([f.token], { token: 'typed' })).toEqual({ token: 'typed' });
    expect(f.seed).toMatchObject({ widget: 'number', nullable: true, hasDefault: false });
    expect(f.temperature).toMatchObject({ widget: 'slider', minimum: 0, maximum: 2, step: 0.01, default: 0.7 });
    expect(f.mode).toMatchObject({ widget: 'select', type: 'integer', choices: [1, 2, 4].map((v) => ({ value: v, label: String(v) })) });
    expect(f.tags).toMatchObject({ widget: 'list', itemType: 'string' });
    expect(f.flag).toMatchObject({ widget: 'checkbox', default: false });
    // Choices come back as their own type; an empty nullable number is left out.
    expect(valueFromDraft(f.mode, '4')).toBe(4);
    expect(valueFromDraft(f.seed, '')).toBeUndefined();
    expect(valueFromDraft(f.seed, '42')).toBe(42);
    expect(valueFromDraft(f.tags, ['a', ' ', 'b'])).toEqual(['a', 'b']);
  });

  it('stable-diffusion-like: integer enums behind allOf/$ref are selects, ranges are sliders with round steps', () => {
    const fields = formFields(load('stable-diffusion-like.openapi.json'));
    expect(fields.map((f) => f.name)).toEqual(['prompt', 'height', 'width', 'negative_prompt', 'num_outputs', 'num_inference_steps', 'guidance_scale', 'scheduler', 'seed']);
    const f = byName(fields);
    expect(f.width).toMatchObject({ widget: 'select', type: 'integer', default: 768 });
    expect(f.width.choices).toHaveLength(16);
    expect(f.guidance_scale).toMatchObject({ widget: 'slider', step: 0.1 });
    expect(f.num_inference_steps).toMatchObject({ widget: 'slider', step: 1 });
    expect(f.seed).toMatchObject({ widget: 'number', type: 'integer', required: false });
    expect(f.scheduler.choices!.map((c) => c.value)).toContain('DPMSolverMultistep');
  });

  it('schemas beyond the fixtures: arrays of files, arrays of numbers, objects, nullable choices (3.1)', () => {
    const schema = parseVersionSchema({
      openapi: '3.1.0',
      components: {
        schemas: {
          Input: {
            type: 'object',
            properties: {
              images: { type: 'array', items: { type: 'string', format: 'uri' }, 'x-order': 0 },
              weights: { type: 'array', items: { type: 'number' }, 'x-order': 1 },
              config: { type: 'object', 'x-order': 2 },
              size: { anyOf: [{ $ref: '#/components/schemas/size' }, { type: 'null' }], default: null, 'x-order': 3 },
              api_token: { type: 'string', format: 'password', 'x-order': 4 },
            },
          },
          size: { enum: ['s', 'm'], type: 'string' },
        },
      },
    });
    const f = byName(formFields(schema));
    expect(f.images.widget).toBe('files');
    expect(f.weights).toMatchObject({ widget: 'list', itemType: 'number' });
    expect(f.config.widget).toBe('json');
    expect(f.size).toMatchObject({ widget: 'select', nullable: true });
    expect(f.api_token.widget).toBe('secret');
    const drafts = initialDrafts(Object.values(f), { images: ['/data/inputs/a.png'], weights: [0.5, 2], config: { a: 1 } });
    expect(drafts.images).toEqual([{ value: '/data/inputs/a.png', name: 'a.png' }]);
    expect(drafts.config).toBe('{\n  "a": 1\n}');
    expect(inputFromDrafts(Object.values(f), drafts)).toEqual({ images: ['/data/inputs/a.png'], weights: [0.5, 2], config: { a: 1 } });
    // Text that is not valid for its type is sent as typed, so validation can say what is wrong.
    expect(valueFromDraft(f.config, '{oops')).toBe('{oops');
    expect(valueFromDraft(f.weights, ['x'])).toEqual(['x']);
  });
});

describe('helpers', () => {
  it('niceStep is about a hundredth of the range, rounded to a power of ten', () => {
    expect(niceStep(0, 2)).toBe(0.01);
    expect(niceStep(1, 20)).toBe(0.1);
    expect(niceStep(0, 1000)).toBe(10);
    expect(niceStep(3, 3)).toBe(0.01);
  });

  it('fileName names paths, URLs and data: URIs', () => {
    expect(fileName('/home/me/.config/Cogdesk/inputs/abc.png')).toBe('abc.png');
    expect(fileName('C:\\Users\\me\\photo.jpg')).toBe('photo.jpg');
    expect(fileName('https://example.com/a/b%20c.png?x=1')).toBe('b c.png');
    expect(fileName('data:image/png;base64,AAAA')).toBe('uploaded image/png');
  });

  it('inputForValidation leaves big picked files out of the check', () => {
    const fields = formFields(load('openapi-file.json'));
    const big = `data:image/png;base64,${'A'.repeat(10_000)}`;
    expect(inputForValidation(fields, { image: big, api_key: 'k' })).toEqual({ image: 'data:,', api_key: 'k' });
    expect(validateInput(load('openapi-file.json'), { image: 'data:,' })).toEqual([]);
  });

  it('draftFromValue turns null into the empty draft', () => {
    const f = byName(formFields(load('openapi-types.json')));
    expect(draftFromValue(f.seed, null)).toBe('');
    expect(draftFromValue(f.tags, null)).toEqual([]);
    expect(draftFromValue(f.flag, null)).toBe(false);
  });
});
