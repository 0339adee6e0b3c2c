import { describe, expect, it } from 'vitest';
import { countOf } from '../../../src/renderer/src/lib/format';

describe('countOf', () => {
  it('says a count as a person does: 1 version, 2 versions, 0 predictions', () => {
    expect(countOf(1, 'version')).toBe('1 version');
    expect(countOf(2, 'version')).toBe('2 versions');
    expect(countOf(0, 'prediction')).toBe('0 predictions');
  });
});
