import { describe, expect, it } from 'vitest';
import { concurrencyFromCogConfig, concurrencyFromEnv, concurrencyFromHealth, resolveConcurrency } from '../../../src/main/core/runner/concurrency';
import { checkConcurrency } from '../../../src/main/core/runner/model-settings';
import { QUICK_MS, webhookEvents } from '../../../src/main/core/runner/webhook-events';

describe("a model's concurrency limit", () => {
  it('reads COG_MAX_CONCURRENCY from the image env (the last one wins), cog.yaml concurrency.max, and the Go health body', () => {
    expect(concurrencyFromEnv(['PATH=/usr/bin', 'COG_MAX_CONCURRENCY=2', 'COG_MAX_CONCURRENCY=4'])).toBe(4);
    expect(concurrencyFromEnv(['COG_MAX_CONCURRENCY=0'])).toBeNull();
    expect(concurrencyFromEnv(['COG_MAX_CONCURRENCY=two'])).toBeNull();
    expect(concurrencyFromEnv(undefined)).toBeNull();
    expect(concurrencyFromCogConfig({ build: {}, concurrency: { max: 32 } })).toBe(32);
    expect(concurrencyFromCogConfig('{"concurrency":{"max":8}}')).toBe(8);
    expect(concurrencyFromCogConfig('not json')).toBeNull();
    expect(concurrencyFromCogConfig({ concurrency: { max: 1.5 } })).toBeNull();
    expect(concurrencyFromHealth({ status: 'READY', concurrency: { max: 3, current: 0 } })).toBe(3);
    expect(concurrencyFromHealth({ status: 'READY', setup: {} })).toBeNull();
  });

  it("takes the person's setting first, then the env, cog.yaml, the health check, else 1", () => {
    expect(resolveConcurrency({ setting: 2, env: 4, config: 8, health: 16 })).toEqual({ limit: 2, source: 'setting' });
    expect(resolveConcurrency({ setting: null, env: 4, config: 8, health: 16 })).toEqual({ limit: 4, source: 'env' });
    expect(resolveConcurrency({ config: 8, health: 16 })).toEqual({ limit: 8, source: 'cog-config' });
    expect(resolveConcurrency({ health: 16 })).toEqual({ limit: 16, source: 'health' });
    expect(resolveConcurrency({})).toEqual({ limit: 1, source: 'default' });
  });

  it('refuses a setting that is not a whole number from 1 to 256, saying what to do', () => {
    expect(checkConcurrency(null)).toBeNull();
    expect(checkConcurrency(4)).toBe(4);
    for (const bad of [0, -1, 2.5, 257, '4']) expect(() => checkConcurrency(bad)).toThrow(/whole number from 1 to 256/);
  });
});

describe('the webhook events a prediction asks for', () => {
  it('a streaming model always gets its output and logs as they come, and its result after a crash', () => {
    expect(webhookEvents({ streamsOutput: true, lastRunMs: 1 })).toEqual(['output', 'logs', 'completed']);
  });

  it('a quick model asks for none (its result and logs come with the answer); the first and any after a slow one ask for logs and completed', () => {
    expect(webhookEvents({ streamsOutput: false })).toEqual(['logs', 'completed']);
    expect(webhookEvents({ streamsOutput: false, lastRunMs: QUICK_MS - 1 })).toBeNull();
    expect(webhookEvents({ streamsOutput: false, lastRunMs: QUICK_MS })).toEqual(['logs', 'completed']);
  });
});
