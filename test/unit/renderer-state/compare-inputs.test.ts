/** Compare's input rows (src/renderer/src/lib/compare.ts); type-checked with the window's code (tsconfig.web.json). */
import { describe, it, expect } from 'vitest';
import { inputRows } from '../../../src/renderer/src/lib/compare';

describe('inputRows (Compare)', () => {
  it('lists every field of both inputs and marks the ones that differ', () => {
    const rows = inputRows({ prompt: 'a cat', steps: 20, opts: { x: 1, y: 2 } }, { steps: 30, prompt: 'a cat', opts: { y: 2, x: 1 }, seed: 4 });
    expect(rows.map((r) => [r.name, r.differs])).toEqual([
      ['prompt', false],
      ['steps', true],
      ['opts', false],
      ['seed', true],
    ]);
    expect(rows[1]).toMatchObject({ a: 20, b: 30 });
  });

  it('a field one input lacks differs even when the other sends null', () => {
    expect(inputRows({ a: null }, {})[0].differs).toBe(true);
    expect(inputRows({}, {})).toEqual([]);
  });
});
