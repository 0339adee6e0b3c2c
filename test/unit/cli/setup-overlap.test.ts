import { describe, expect, it } from 'vitest';
import { overlapOf } from '../../../src/main/cli/setup-logs';

describe("the prediction's first log lines already shown as the end of the setup logs", () => {
  it('finds the whole lines the setup logs ended with', () => {
    expect(overlapOf('setup done\npredicting x\n', 'predicting x\nstep 1\n')).toBe('predicting x\n'.length);
    expect(overlapOf('setup done\npredicting x\nstep 1\n', 'predicting x\nstep 1\n')).toBe('predicting x\nstep 1\n'.length);
  });
  it('nothing when the setup logs end elsewhere, or only part of a line matches', () => {
    expect(overlapOf('setup done\n', 'predicting x\n')).toBe(0);
    expect(overlapOf('setup done\npredicting', 'predicting x\n')).toBe(0);
    expect(overlapOf('', 'predicting x\n')).toBe(0);
    expect(overlapOf('a\n', '')).toBe(0);
  });
  it('a first chunk that ends mid-line counts when it is all of what came', () => {
    expect(overlapOf('setup done\npredicting', 'predicting')).toBe('predicting'.length);
  });
});
