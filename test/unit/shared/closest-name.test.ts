import { describe, expect, it } from 'vitest';
import { closestName } from '../../../src/shared/closest-name';

describe('the name a typo most likely meant', () => {
  const inputs = ['text', 'times', 'style', 'negative_prompt', 'num_inference_steps'];
  it('the same letters but for case, -, _ and spaces', () => {
    expect(closestName('Negative-Prompt', inputs)).toBe('negative_prompt');
    expect(closestName('numInferenceSteps', inputs)).toBe('num_inference_steps');
  });
  it('the only name that starts with it (3 letters or more)', () => {
    expect(closestName('negative', inputs)).toBe('negative_prompt');
    expect(closestName('ti', inputs)).toBeUndefined();
  });
  it('a few edits away, at most a third of the name', () => {
    expect(closestName('texts', inputs)).toBe('text');
    expect(closestName('stile', inputs)).toBe('style');
    // A swap is two edits: too many for a name of 4 or 5 letters.
    expect(closestName('txet', inputs)).toBeUndefined();
    expect(closestName('num_inference_stpes', inputs)).toBe('num_inference_steps');
  });
  it('nothing when nothing is that close', () => {
    expect(closestName('colour', inputs)).toBeUndefined();
    expect(closestName('', inputs)).toBeUndefined();
    expect(closestName('text', [])).toBeUndefined();
  });
});
