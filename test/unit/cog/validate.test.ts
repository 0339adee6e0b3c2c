import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CogdeskError, type FieldError } from '../../../src/shared/errors';
import { defaultInput, parseVersionSchema } from '../../../src/shared/schema';
import { assertValidInput, isFileReference, validateInput } from '../../../src/main/core/cog/validate';

const load = (name: string) =>
  parseVersionSchema(readFileSync(fileURLToPath(new URL(`../../fixtures/cog-openapi/${name}`, import.meta.url)), 'utf8'));

const echo = load('openapi.json');
const types = load('openapi-types.json');
const file = load('openapi-file.json');
const sd = load('stable-diffusion-like.openapi.json');

const only = (errors: FieldError[]) => {
  expect(errors).toHaveLength(1);
  return errors[0];
};

function synthetic(properties: Record<string, unknown>, extra: Record<string, unknown> = {}, required: string[] = []) {
  return parseVersionSchema({
    openapi: '3.0.2',
    components: { schemas: { Input: { type: 'object', properties, required }, ...extra } },
  });
}

describe('validateInput: valid input', () => {
  it('accepts the defaults plus the required fields, for every real schema', () => {
    expect(validateInput(echo, { ...defaultInput(echo), text: 'hi' })).toEqual([]);
    expect(validateInput(types, { ...defaultInput(types), token: 'sekrit' })).toEqual([]);
    expect(validateInput(file, { image: 'data:text/plain;base64,aGk=' })).toEqual([]);
    expect(validateInput(load('openapi-stream.json'), { prompt: 'p', n: 3, delay: 0.5 })).toEqual([]);
    expect(validateInput(sd, defaultInput(sd))).toEqual([]);
  });

  it('accepts every value type of openapi-types.json', () => {
    const input = { token: 't', seed: 42, temperature: 2, mode: 4, tags: ['a', 'b'], flag: true };
    expect(validateInput(types, input)).toEqual([]);
  });

  it('accepts null for a nullable seed, but not for a field that is not nullable', () => {
    expect(validateInput(types, { token: 't', seed: null })).toEqual([]);
    expect(only(validateInput(types, { token: 't', temperature: null }))).toEqual({
      field: 'temperature',
      code: 'type',
      message: 'temperature must be a number, got null',
    });
  });

  it('accepts http(s) URLs and data: URIs for files', () => {
    for (const image of ['https://example.com/cat.png', 'http://localhost:8080/a.jpg', 'data:image/png;base64,iVBORw0KGgo=']) {
      expect(validateInput(file, { image })).toEqual([]);
    }
  });
});

describe('validateInput: one error code each', () => {
  it('required', () => {
    expect(only(validateInput(echo, {}))).toEqual({ field: 'text', code: 'required', message: 'text is required' });
  });

  it('type', () => {
    expect(only(validateInput(echo, { text: 'hi', times: 'abc' }))).toEqual({
      field: 'times',
      code: 'type',
      message: 'times must be an integer, got "abc"',
    });
    expect(only(validateInput(echo, { text: 'hi', times: 2.5 })).message).toBe('times must be an integer, got 2.5');
    expect(only(validateInput(types, { token: 't', flag: 'yes' })).message).toBe('flag must be true or false, got "yes"');
    expect(only(validateInput(types, { token: 't', tags: 'a' })).message).toBe('tags must be a list, got "a"');
    expect(only(validateInput(types, { token: 't', seed: 'abc' })).message).toBe('seed must be an integer or null, got "abc"');
  });

  it('type, inside an array', () => {
    expect(only(validateInput(types, { token: 't', tags: ['a', 7] }))).toEqual({
      field: 'tags',
      code: 'type',
      message: 'item 2 of tags must be a string, got 7',
    });
  });

  it('range', () => {
    expect(only(validateInput(echo, { text: 'hi', times: 11 }))).toEqual({
      field: 'times',
      code: 'range',
      message: 'times must be at most 10, got 11',
    });
    expect(only(validateInput(echo, { text: 'hi', times: 0 })).message).toBe('times must be at least 1, got 0');
    expect(only(validateInput(types, { token: 't', temperature: -0.1 })).message).toBe(
      'temperature must be at least 0, got -0.1',
    );
  });

  it('range, for string lengths', () => {
    const s = synthetic({ name: { type: 'string', minLength: 2, maxLength: 4 } });
    expect(only(validateInput(s, { name: 'a' }))).toEqual({
      field: 'name',
      code: 'range',
      message: 'name must be at least 2 characters long, got 1',
    });
    expect(only(validateInput(s, { name: 'abcde' })).message).toBe('name must be at most 4 characters long, got 5');
  });

  it('choices, for strings (allOf/$ref)', () => {
    expect(only(validateInput(echo, { text: 'hi', style: 'loud' }))).toEqual({
      field: 'style',
      code: 'choices',
      message: 'style must be one of: plain, shout (got "loud")',
    });
  });

  it('choices, for integers (openapi-types.json mode), even when the type is wrong too', () => {
    expect(only(validateInput(types, { token: 't', mode: 3 }))).toEqual({
      field: 'mode',
      code: 'choices',
      message: 'mode must be one of: 1, 2, 4 (got 3)',
    });
    // "x" breaks both the type and the enum: only the more useful message is kept.
    expect(only(validateInput(types, { token: 't', mode: 'x' })).code).toBe('choices');
  });

  it('unknown, naming the inputs the model takes', () => {
    expect(only(validateInput(echo, { text: 'hi', foo: 1 }))).toEqual({
      field: 'foo',
      code: 'unknown',
      message: 'no input named "foo"; this model takes: text, times, style',
    });
  });

  it('unknown, suggesting the likely name for a typo', () => {
    expect(only(validateInput(echo, { text: 'hi', tims: 3 })).message).toBe(
      'no input named "tims"; this model takes: text, times, style. Did you mean "times"?',
    );
    expect(only(validateInput(sd, { 'num-outputs': 2 })).message).toMatch(/Did you mean "num_outputs"\?$/);
    expect(only(validateInput(synthetic({}), { a: 1 })).message).toBe('no input named "a"; this model takes no inputs');
  });

  it('format, for a file that is not a data: URI or an http(s) URL', () => {
    expect(only(validateInput(file, { image: 'photo.jpg' }))).toEqual({
      field: 'image',
      code: 'format',
      message: 'image must be a file (a data: URI or an http(s) URL), got "photo.jpg"',
    });
    expect(only(validateInput(file, { image: 'ftp://host/a.png' })).code).toBe('format');
    expect(only(validateInput(file, { image: 'data:no-comma' })).code).toBe('format');
  });

  it('format, for an item of a file array, with long values cut short', () => {
    const s = synthetic({ images: { type: 'array', items: { type: 'string', format: 'uri' } } });
    const long = `/home/me/${'x'.repeat(200)}.png`;
    const e = only(validateInput(s, { images: ['https://a.example/1.png', long] }));
    expect(e).toMatchObject({ field: 'images', code: 'format' });
    expect(e.message).toMatch(/^item 2 of images must be a file/);
    expect(e.message.length).toBeLessThan(160);
  });

  it('format, for a pattern', () => {
    const s = synthetic({ code: { type: 'string', pattern: '^[a-z]+$' } });
    expect(only(validateInput(s, { code: 'A1' }))).toEqual({
      field: 'code',
      code: 'format',
      message: 'code must match the pattern ^[a-z]+$, got "A1"',
    });
  });

  it('invalid, for anything else', () => {
    const s = synthetic({ opts: { type: 'object', minProperties: 1 } });
    expect(only(validateInput(s, { opts: {} }))).toMatchObject({ field: 'opts', code: 'invalid' });
    expect(validateInput(echo, [] as unknown as Record<string, unknown>)).toEqual([
      { field: '', code: 'invalid', message: 'The input must be an object of field names to values.' },
    ]);
  });
});

describe('validateInput: several problems', () => {
  it('gives one error per field, ordered like the fields, unknown ones last', () => {
    const errors = validateInput(types, { zzz: 1, flag: 'no', mode: 'x', seed: 1.5, temperature: 'hot', tags: [1, 2] });
    expect(errors.map((e) => [e.field, e.code])).toEqual([
      ['token', 'required'],
      ['seed', 'type'],
      ['temperature', 'type'],
      ['mode', 'choices'],
      ['tags', 'type'],
      ['flag', 'type'],
      ['zzz', 'unknown'],
    ]);
  });

  it('checks the OpenAPI 3.1.0 schema', () => {
    const errors = validateInput(sd, { width: 700, num_outputs: 5, scheduler: 'EULER', seed: null, guidance_scale: 7 });
    expect(errors).toEqual([
      { field: 'width', code: 'choices', message: expect.stringMatching(/^width must be one of: 64, 128, .*1024 \(got 700\)$/) },
      { field: 'num_outputs', code: 'range', message: 'num_outputs must be at most 4, got 5' },
      { field: 'scheduler', code: 'choices', message: expect.stringContaining('must be one of: DDIM, K_EULER') },
      { field: 'seed', code: 'type', message: 'seed must be an integer, got null' },
    ]);
  });

  it('handles a nullable field with choices (OpenAPI 3.0 nullable next to allOf/$ref)', () => {
    const s = synthetic(
      { size: { allOf: [{ $ref: '#/components/schemas/size' }], nullable: true } },
      { size: { type: 'integer', enum: [1, 2] } },
    );
    expect(validateInput(s, { size: null })).toEqual([]);
    expect(validateInput(s, { size: 2 })).toEqual([]);
    expect(only(validateInput(s, { size: 3 })).message).toBe('size must be one of: 1, 2 (got 3)');
  });

  it('handles pydantic 2 nullables (anyOf with null)', () => {
    const s = synthetic({ seed: { anyOf: [{ type: 'integer' }, { type: 'null' }], default: null } });
    expect(validateInput(s, { seed: null })).toEqual([]);
    expect(only(validateInput(s, { seed: 'x' }))).toEqual({
      field: 'seed',
      code: 'type',
      message: 'seed must be an integer or null, got "x"',
    });
  });

  it('checks secrets like strings', () => {
    expect(validateInput(types, { token: 'r8_abc' })).toEqual([]);
    expect(only(validateInput(types, { token: 12 })).message).toBe('token must be a string, got 12');
  });

  it('gives the same answers when called again (cached validator)', () => {
    const first = validateInput(echo, { times: 99 });
    expect(validateInput(echo, { times: 99 })).toEqual(first);
    expect(first).toHaveLength(2);
  });

  it('reports a schema whose $ref leads nowhere as schema_invalid', () => {
    const s = synthetic({ style: { allOf: [{ $ref: '#/components/schemas/missing' }] } });
    expect(() => validateInput(s, { style: 'a' })).toThrow(
      expect.objectContaining({ code: 'schema_invalid', message: expect.stringMatching(/^Cannot check inputs/) }),
    );
  });
});

describe('assertValidInput', () => {
  it('passes valid input', () => {
    expect(() => assertValidInput(echo, { text: 'hi' })).not.toThrow();
  });

  it('throws input_invalid with the field errors and a hint that repeats them', () => {
    let error: CogdeskError | undefined;
    try {
      assertValidInput(echo, { times: 11, foo: 1 });
    } catch (e) {
      error = e as CogdeskError;
    }
    expect(error).toBeInstanceOf(CogdeskError);
    expect(error?.code).toBe('input_invalid');
    expect(error?.message).toBe('The input is not valid for this model: 3 problems');
    expect(error?.fields?.map((f) => f.code)).toEqual(['required', 'range', 'unknown']);
    expect(error?.hint).toContain('text is required');
    expect(error?.hint).toContain('times must be at most 10');
    expect(error?.toInfo().fields).toHaveLength(3);
  });

  it('counts as a person does (1 problem), and ends a hint that ends in a question without a stray full stop', () => {
    try {
      assertValidInput(echo, { text: 'hi', tims: 2 });
      expect.unreachable();
    } catch (e) {
      const err = e as CogdeskError;
      expect(err.message).toBe('The input is not valid for this model: 1 problem');
      expect(err.hint).toBe('Fix these and try again: no input named "tims"; this model takes: text, times, style. Did you mean "times"?');
    }
  });

  it('keeps the hint short when there are many problems', () => {
    try {
      assertValidInput(types, { a: 1, b: 2, c: 3, d: 4, e: 5 });
      expect.unreachable();
    } catch (e) {
      const err = e as CogdeskError;
      expect(err.fields).toHaveLength(6);
      expect(err.hint).toMatch(/and 3 more\.$/);
    }
  });
});

describe('isFileReference', () => {
  it('knows what Cog takes for a file', () => {
    expect(isFileReference('data:,hi')).toBe(true);
    expect(isFileReference('HTTPS://example.com/x')).toBe(true);
    expect(isFileReference('./x.png')).toBe(false);
    expect(isFileReference('https://')).toBe(false);
    expect(isFileReference(3)).toBe(false);
  });
});
