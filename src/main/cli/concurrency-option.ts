import { InvalidArgumentError } from 'commander';

/**
 * Commander's parser for `run --concurrency N`: a whole number from 1 to 256. Its own small file so the
 * command line's start-up (index.ts) does not load run.ts and the engine it imports.
 */
export function parseConcurrencyOption(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n < 1 || n > 256) throw new InvalidArgumentError(`--concurrency must be a whole number from 1 to 256, got "${value}".`);
  return n;
}
