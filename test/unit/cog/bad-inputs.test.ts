/**
 * Every row of test/bad-inputs/validate-cases.ts: the error validation gives, naming the field, before
 * anything reaches a container; and the near misses that must still pass.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CogdeskError } from '../../../src/shared/errors';
import { parseInputArgs } from '../../../src/main/core/cog/input-parse';
import { parseVersionSchema, type VersionSchema } from '../../../src/shared/schema';
import { assertValidInput, validateInput } from '../../../src/main/core/cog/validate';
import { VALID_NEIGHBOURS, VALIDATE_CASES, type SchemaName } from '../../bad-inputs/validate-cases';

const schemas = new Map<SchemaName, VersionSchema>();
const schema = (name: SchemaName) => {
  if (!schemas.has(name)) {
    schemas.set(name, parseVersionSchema(readFileSync(fileURLToPath(new URL(`../../fixtures/cog-openapi/${name}`, import.meta.url)), 'utf8')));
  }
  return schemas.get(name)!;
};

describe('bad inputs (test/bad-inputs/validate-cases.ts)', () => {
  it.each(VALIDATE_CASES.map((c) => [c.name, c] as const))('%s', async (_, c) => {
    const s = schema(c.schema);
    const input = c.args ? await parseInputArgs(c.args, s, async () => ({ bytes: Buffer.from('x'), mime: 'text/plain' })) : c.input!;
    const errors = validateInput(s, input);
    expect(errors, JSON.stringify(errors)).toHaveLength(1);
    expect(errors[0]).toMatchObject({ field: c.field, code: c.code });
    expect(errors[0].message).toMatch(c.message);
    // The thrown error (what the CLI, the window and the API's 422 show) carries the same field.
    let thrown: unknown;
    try {
      assertValidInput(s, input);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(CogdeskError);
    expect((thrown as CogdeskError).toInfo()).toMatchObject({ code: 'input_invalid', fields: [{ field: c.field }] });
    expect((thrown as CogdeskError).hint).toContain(c.field);
  });

  it.each(VALID_NEIGHBOURS.map((c) => [c.name, c] as const))('passes: %s', (_, c) => {
    expect(validateInput(schema(c.schema), c.input)).toEqual([]);
  });

  it('a deeply nested value is walked without overflowing the stack', () => {
    let deep: unknown = '\ud800';
    for (let i = 0; i < 200_000; i++) deep = [deep];
    const s = parseVersionSchema({ openapi: '3.0.2', components: { schemas: { Input: { type: 'object', properties: { data: { type: 'array' } } } } } });
    const errors = validateInput(s, { data: deep });
    expect(errors.map((e) => e.field)).toEqual(['data']);
    expect(errors[0].message).toMatch(/cannot be encoded/);
  });
});
