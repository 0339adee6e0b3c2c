/** How the CLI prints an error (src/main/cli/format.ts): each problem once, counted as a person counts. */
import { describe, expect, it } from 'vitest';
import { CogdeskError } from '../../../src/shared/errors';
import { parseVersionSchema } from '../../../src/shared/schema';
import { assertValidInput } from '../../../src/main/core/cog/validate';
import { formatError } from '../../../src/main/cli/format';

const schema = parseVersionSchema({
  openapi: '3.0.2',
  components: {
    schemas: {
      Input: { type: 'object', required: ['text'], properties: { text: { type: 'string', 'x-order': 0 }, times: { type: 'integer', 'x-order': 1 } } },
      Output: { type: 'string' },
    },
  },
});

function errorOf(input: Record<string, unknown>): CogdeskError {
  try {
    assertValidInput(schema, input);
  } catch (e) {
    return e as CogdeskError;
  }
  throw new Error('the input was valid');
}

describe('formatError of an invalid input', () => {
  it('one problem: "1 problem", listed once, and the hint says only what to do', () => {
    const text = formatError(errorOf({ text: 'a', tet: 3 }).toInfo());
    expect(text.split('\n')[0]).toBe('Error: The input is not valid for this model: 1 problem');
    expect(text.match(/no input named "tet"/g)).toHaveLength(1);
    expect(text).not.toContain('?.');
    expect(text.split('\n').at(-1)).toBe('Fix these and try again.');
  });

  it('two problems: "2 problems", each once', () => {
    const text = formatError(errorOf({ times: 'abc' }).toInfo());
    expect(text.split('\n')[0]).toBe('Error: The input is not valid for this model: 2 problems');
    expect(text.match(/text is required/g)).toHaveLength(1);
  });
});
