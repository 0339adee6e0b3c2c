import { describe, it, expect } from 'vitest';
import { BUILTIN_PRICES, canonicalSku, parsePriceTable, pricePerSecond, pricedPerOutput } from '../../../src/shared/prices';

describe('the built-in price table', () => {
  it('has its date and the per-second prices of reference/hardware.md', () => {
    expect(BUILTIN_PRICES.date).toBe('2026'); // reference/hardware.md: a 2026 snapshot, no day
    expect(pricePerSecond(BUILTIN_PRICES, 'gpu-t4')).toBe(0.000225);
    expect(pricePerSecond(BUILTIN_PRICES, 'gpu-h100')).toBe(0.001525);
    expect(pricePerSecond(BUILTIN_PRICES, 'cpu')).toBe(0.0001);
  });

  it('prices multi-GPU SKUs N times their base, in both spellings', () => {
    expect(pricePerSecond(BUILTIN_PRICES, 'gpu-l40s-2x')).toBeCloseTo(0.00195, 10);
    expect(pricePerSecond(BUILTIN_PRICES, 'gpu-2x-l40s')).toBeCloseTo(0.00195, 10);
    expect(pricePerSecond(BUILTIN_PRICES, 'gpu-a100-large-8x')).toBeCloseTo(0.0112, 10);
    expect(canonicalSku('gpu-4x-a40-large')).toBe('gpu-a40-large-4x');
  });

  it('never guesses a SKU it does not know', () => {
    expect(pricePerSecond(BUILTIN_PRICES, 'gpu-b200')).toBeNull();
    expect(pricePerSecond(BUILTIN_PRICES, 'gpu-b200-2x')).toBeNull();
    expect(pricePerSecond(BUILTIN_PRICES, 'cpu-small')).toBeNull();
  });
});

describe('parsePriceTable (a prices file)', () => {
  it('reads a valid file, canonical spellings, with its date and source', () => {
    const t = parsePriceTable(
      JSON.stringify({ date: '2026-03-01', perSecond: { 'gpu-t4': 0.0003, 'gpu-2x-l40s': 0.002 }, perOutputModels: ['black-forest-labs/flux-schnell'] }),
      '/home/me/prices.json',
    );
    expect(t.date).toBe('2026-03-01');
    expect(t.source).toBe('/home/me/prices.json');
    expect(pricePerSecond(t, 'gpu-t4')).toBe(0.0003);
    expect(pricePerSecond(t, 'gpu-l40s-2x')).toBe(0.002);
    expect(pricedPerOutput(t, 'black-forest-labs/flux-schnell')).toBe(true);
    expect(pricedPerOutput(t, 'acme/hello')).toBe(false);
  });

  it('says what is wrong with a file that is not JSON', () => {
    expect(() => parsePriceTable('{date:', 'p.json')).toThrow(/The prices file p\.json is not JSON/);
    expect(() => parsePriceTable('[1]', 'p.json')).toThrow(/must hold an object like/);
  });

  it('names every bad field and what to write instead', () => {
    let message = '';
    try {
      parsePriceTable(JSON.stringify({ date: 'March', perSecond: { 'gpu-t4': -1, 'GPU T4': 1 }, perOutputModels: ['flux'] }), 'p.json');
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/^The prices file p\.json was not used: /);
    expect(message).toContain('"date" must be the day the prices were read, as YYYY-MM-DD');
    expect(message).toContain('the price of gpu-t4 must be a number of dollars per second, 0 or more');
    expect(message).toContain('"GPU T4" is not a SKU name');
    expect(message).toContain('"perOutputModels" must be a list of owner/name');
  });

  it('refuses a table with no prices at all', () => {
    expect(() => parsePriceTable(JSON.stringify({ date: '2026-03-01' }), 'p.json')).toThrow(/"perSecond" must be an object/);
    expect(() => parsePriceTable(JSON.stringify({ date: '2026-03-01', perSecond: {} }), 'p.json')).toThrow(/names no SKU/);
  });
});

describe('modelSkus in a prices file (the hardware a model runs on, which Replicate does not say)', () => {
  it('is read in canonical spelling, and checked', () => {
    const t = parsePriceTable(JSON.stringify({ date: '2026-03-01', perSecond: { cpu: 1 }, modelSkus: { 'acme/hello': 'gpu-2x-l40s' } }), 'p.json');
    expect(t.modelSkus).toEqual({ 'acme/hello': 'gpu-l40s-2x' });
    expect(() => parsePriceTable(JSON.stringify({ date: '2026-03-01', perSecond: { cpu: 1 }, modelSkus: { hello: 'gpu-t4' } }), 'p.json')).toThrow(
      /"modelSkus" must map owner\/name to a SKU name \(not "hello": "gpu-t4"\)/,
    );
    expect(() => parsePriceTable(JSON.stringify({ date: '2026-03-01', perSecond: { cpu: 1 }, modelSkus: [] }), 'p.json')).toThrow(/"modelSkus" must be an object/);
  });
});
