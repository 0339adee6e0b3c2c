/** The CogdeskError a call fails with; the test fails when it does not fail, or fails with anything else. */
import { expect } from 'vitest';
import { CogdeskError } from '../../src/shared/errors';

export async function rejection(p: Promise<unknown>): Promise<CogdeskError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(CogdeskError);
    return e as CogdeskError;
  }
  throw new Error('expected a rejection');
}

export function thrown(fn: () => unknown): CogdeskError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(CogdeskError);
    return e as CogdeskError;
  }
  throw new Error('expected an error');
}
