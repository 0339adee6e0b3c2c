/** JSON a request body may not hold: deep nesting, numbers that overflow to Infinity. */
import { describe, expect, it } from 'vitest';
import { jsonDepth, overflowedNumbers } from '../../../src/main/core/api-server/json-checks';

describe('JSON a body may not hold', () => {
  it('measures nesting outside strings, and stops counting early', () => {
    expect(jsonDepth('{"a":[1,{"b":2}]}')).toBe(3);
    expect(jsonDepth('{"a":"[[[[{{{{\\"[["}')).toBe(1);
    expect(jsonDepth('['.repeat(100_000), 64)).toBe(65);
  });

  it('names the fields whose numbers overflowed to Infinity', () => {
    expect(overflowedNumbers(JSON.parse('{"version":"v","input":{"times":1e309,"list":[1,-1e400],"ok":1e308}}'))).toEqual(['list[1]', 'times']);
    expect(overflowedNumbers(JSON.parse('{"stream":1e999}'))).toEqual(['stream']);
    expect(overflowedNumbers({ input: { a: 1 } })).toEqual([]);
  });
});
