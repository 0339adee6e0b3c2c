import { describe, it, expect } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultInput, parseVersionSchema, type InputField, type VersionSchema } from '../../../src/shared/schema';
import { thrown } from '../../helpers/errors';

const FIXTURES = fileURLToPath(new URL('../../fixtures/cog-openapi', import.meta.url));
const text = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');
const load = (name: string) => parseVersionSchema(text(name));
const field = (s: VersionSchema, name: string): InputField => {
  const f = s.inputs.find((i) => i.name === name);
  if (!f) throw new Error(`no field ${name}`);
  return f;
};

/** A minimal schema document around the given Input properties (and extra component schemas). */
function doc(properties: Record<string, unknown>, extra: Record<string, unknown> = {}, required: string[] = []) {
  return {
    openapi: '3.1.0',
    components: { schemas: { Input: { type: 'object', properties, required }, ...extra } },
  };
}

describe('parseVersionSchema: every real schema', () => {
  const kinds: Record<string, string> = {
    'openapi.json': 'string',
    'openapi-file.json': 'file',
    'openapi-stream.json': 'concatenate',
    'openapi-types.json': 'object',
    'stable-diffusion-like.openapi.json': 'files',
  };
  const files = readdirSync(FIXTURES).filter((f) => f.endsWith('.json'));

  it('has a fixture for every kind we expect', () => {
    expect(files.sort()).toEqual(Object.keys(kinds).sort());
  });

  for (const file of files) {
    it(`parses ${file}`, () => {
      const s = load(file);
      expect(s.openapi).toMatch(/^3\.[01]\./);
      expect(s.inputs.length).toBeGreaterThan(0);
      expect(s.output.kind).toBe(kinds[file]);
      const orders = s.inputs.map((f) => f.order);
      expect(orders).toEqual([...orders].sort((a, b) => a - b));
      for (const f of s.inputs) {
        expect(f.type).not.toBe('unknown');
        expect(f.title).not.toBe('');
      }
      // The string form (image labels) and the object form give the same result.
      expect(parseVersionSchema(JSON.parse(text(file)))).toEqual(s);
    });
  }
});

describe('parseVersionSchema: fields', () => {
  it('reads the echo predictor (required, range, string choices via allOf/$ref)', () => {
    const s = load('openapi.json');
    expect(s.inputs.map((f) => f.name)).toEqual(['text', 'times', 'style']);
    expect(field(s, 'text')).toMatchObject({
      title: 'Text', description: 'Text to echo', type: 'string', required: true, hasDefault: false, order: 0,
      isFile: false, isSecret: false, nullable: false,
    });
    expect(field(s, 'times')).toMatchObject({ type: 'integer', minimum: 1, maximum: 10, default: 2, required: false });
    const style = field(s, 'style');
    expect(style).toMatchObject({ type: 'string', choices: ['plain', 'shout'], default: 'plain', description: 'Style' });
    expect(style.title).toBe('Style'); // not the enum schema's "style"
  });

  it('reads secrets, a nullable seed, integer choices, arrays and booleans (openapi-types.json)', () => {
    const s = load('openapi-types.json');
    expect(field(s, 'token')).toMatchObject({ isSecret: true, format: 'password', required: true, type: 'string' });
    expect(field(s, 'seed')).toMatchObject({ type: 'integer', nullable: true, hasDefault: false, required: false });
    expect(field(s, 'temperature')).toMatchObject({ type: 'number', minimum: 0, maximum: 2, default: 0.7 });
    expect(field(s, 'mode')).toMatchObject({ type: 'integer', choices: [1, 2, 4], default: 1 });
    expect(field(s, 'tags')).toMatchObject({ type: 'array', items: { type: 'string', isFile: false } });
    expect(field(s, 'flag')).toMatchObject({ type: 'boolean', default: false, hasDefault: true });
    // A $ref output is resolved, keeping its own title.
    expect(s.output.schema).toMatchObject({ title: 'Output', type: 'object', properties: { length: { type: 'integer' } } });
  });

  it('reads file inputs and a file output (openapi-file.json)', () => {
    const s = load('openapi-file.json');
    expect(field(s, 'image')).toMatchObject({ isFile: true, format: 'uri', type: 'string', required: true });
    expect(field(s, 'api_key')).toMatchObject({ isFile: false, title: 'Api Key', default: 'x' });
    expect(s.output.schema).toMatchObject({ type: 'string', format: 'uri' });
  });

  it('reads a concatenate iterator output (openapi-stream.json)', () => {
    const s = load('openapi-stream.json');
    expect(s.output.kind).toBe('concatenate');
    expect(field(s, 'delay')).toMatchObject({ type: 'number', default: 0.2 });
  });

  it('reads an OpenAPI 3.1.0 schema, ordered by x-order, not by key order', () => {
    const s = load('stable-diffusion-like.openapi.json');
    expect(s.openapi).toBe('3.1.0');
    expect(s.inputs.map((f) => f.name)).toEqual([
      'prompt', 'height', 'width', 'negative_prompt', 'num_outputs', 'num_inference_steps', 'guidance_scale',
      'scheduler', 'seed',
    ]);
    expect(field(s, 'width').choices).toContain(1024);
    expect(field(s, 'width').type).toBe('integer');
    expect(field(s, 'scheduler').choices).toEqual(['DDIM', 'K_EULER', 'DPMSolverMultistep', 'K_EULER_ANCESTRAL', 'PNDM', 'KLMS']);
    expect(s.inputs.every((f) => !f.required)).toBe(true);
  });

  it('understands pydantic 2 nullables, direct $ref choices, type arrays and file arrays', () => {
    const s = parseVersionSchema(
      doc(
        {
          seed: { anyOf: [{ type: 'integer' }, { type: 'null' }], default: null, 'x-order': 0 },
          style: { $ref: '#/components/schemas/style', default: 'a', 'x-order': 1 },
          scale: { type: ['number', 'null'], 'x-order': 2 },
          images: { type: 'array', items: { type: 'string', format: 'uri' }, 'x-order': 3 },
          maybe_choice: { allOf: [{ $ref: '#/components/schemas/style' }], nullable: true, 'x-order': 4 },
          secret_key: { type: 'string', 'x-cog-secret': true, 'x-order': 5 },
        },
        { style: { enum: ['a', 'b'], type: 'string' } },
      ),
    );
    expect(field(s, 'seed')).toMatchObject({ type: 'integer', nullable: true, hasDefault: true, default: null });
    expect(field(s, 'style')).toMatchObject({ type: 'string', choices: ['a', 'b'] });
    expect(field(s, 'scale')).toMatchObject({ type: 'number', nullable: true });
    expect(field(s, 'images')).toMatchObject({ type: 'array', isFile: false, items: { type: 'string', isFile: true, format: 'uri' } });
    expect(field(s, 'maybe_choice')).toMatchObject({ nullable: true, choices: ['a', 'b'] });
    expect(field(s, 'secret_key').isSecret).toBe(true);
  });

  it('falls back to the position without x-order, and makes a title from the name', () => {
    const s = parseVersionSchema(doc({ num_outputs: { type: 'integer' }, b: { type: 'string' } }));
    expect(s.inputs.map((f) => [f.name, f.order, f.title])).toEqual([
      ['num_outputs', 0, 'Num Outputs'],
      ['b', 1, 'B'],
    ]);
  });

  it('accepts a model with no inputs', () => {
    const s = parseVersionSchema(doc({}));
    expect(s.inputs).toEqual([]);
  });
});

describe('parseVersionSchema: output kinds', () => {
  const kindOf = (output: unknown, extra: Record<string, unknown> = {}) =>
    parseVersionSchema(doc({}, { Output: output, ...extra })).output.kind;

  it('tells every kind apart', () => {
    expect(kindOf({ type: 'string' })).toBe('string');
    expect(kindOf({ type: 'string', format: 'uri' })).toBe('file');
    expect(kindOf({ type: 'array', items: { type: 'string', format: 'uri' } })).toBe('files');
    expect(kindOf({ type: 'array', items: { type: 'string' }, 'x-cog-array-type': 'iterator' })).toBe('iterator');
    expect(
      kindOf({ type: 'array', items: { type: 'string' }, 'x-cog-array-type': 'iterator', 'x-cog-array-display': 'concatenate' }),
    ).toBe('concatenate');
    expect(kindOf({ type: 'array', items: { type: 'integer' } })).toBe('array');
    expect(kindOf({ type: 'object' })).toBe('object');
    expect(kindOf({ $ref: '#/components/schemas/Out' }, { Out: { type: 'object' } })).toBe('object');
    expect(kindOf({ type: 'number' })).toBe('number');
    expect(kindOf({ type: 'integer' })).toBe('integer');
    expect(kindOf({ type: 'boolean' })).toBe('boolean');
    expect(kindOf({})).toBe('unknown');
  });

  it("is 'unknown' when there is no Output schema", () => {
    const s = parseVersionSchema(doc({ a: { type: 'string' } }));
    expect(s.output).toEqual({ kind: 'unknown', schema: null });
  });
});

describe('parseVersionSchema: errors', () => {
  it('rejects text that is not JSON, with a hint', () => {
    const e = thrown(() => parseVersionSchema('{"openapi": "3.0.2", '));
    expect(e.code).toBe('schema_invalid');
    expect(e.message).toMatch(/not valid JSON/);
    expect(e.hint).toMatch(/cog build/);
  });

  it('rejects JSON that is not an object', () => {
    for (const raw of ['[1,2]', '42', 'null', [1], null, undefined, 7]) {
      const e = thrown(() => parseVersionSchema(raw));
      expect(e.code).toBe('schema_invalid');
      expect(e.message).toMatch(/not a JSON object/);
    }
  });

  it('rejects a schema without components.schemas.Input', () => {
    for (const raw of [{}, { openapi: '3.0.2', components: {} }, { components: { schemas: { Output: { type: 'string' } } } }]) {
      const e = thrown(() => parseVersionSchema(raw));
      expect(e.code).toBe('schema_invalid');
      expect(e.message).toContain('components.schemas.Input');
      expect(e.hint).toBeTruthy();
    }
    expect(thrown(() => parseVersionSchema({ components: { schemas: { Input: 'x' } } })).code).toBe('schema_invalid');
  });
});

describe('defaultInput', () => {
  it('gives the defaults of the fields that have one', () => {
    expect(defaultInput(load('openapi.json'))).toEqual({ times: 2, style: 'plain' });
    expect(defaultInput(load('openapi-types.json'))).toEqual({ temperature: 0.7, mode: 1, flag: false });
    expect(defaultInput(load('openapi-file.json'))).toEqual({ api_key: 'x' });
    expect(defaultInput(load('stable-diffusion-like.openapi.json'))).toEqual({
      prompt: 'a vision of paradise. unreal engine', height: 768, width: 768, num_outputs: 1,
      num_inference_steps: 50, guidance_scale: 7.5, scheduler: 'DPMSolverMultistep',
    });
  });

  it('keeps an explicit null default', () => {
    const s = parseVersionSchema(doc({ seed: { anyOf: [{ type: 'integer' }, { type: 'null' }], default: null } }));
    expect(defaultInput(s)).toEqual({ seed: null });
  });
});
