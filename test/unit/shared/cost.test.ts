import { describe, it, expect } from 'vitest';
import { costTotals, describeCost, formatDollars, predictionCost, type CostContext } from '../../../src/shared/cost';
import { BUILTIN_PRICES } from '../../../src/shared/prices';

const ctx: CostContext = { prices: BUILTIN_PRICES, machineSku: 'gpu-t4', modelSkus: { 'me/mine': 'gpu-a100-large' } };
const local = (modelId: string, predict_time?: number) => ({ modelId, metrics: predict_time === undefined ? null : { predict_time } });
const cloud = (modelId: string, predict_time: number) => ({ modelId, metrics: { predict_time }, runOn: 'replicate' as const });

describe('predictionCost', () => {
  it('a cloud run costs its SKU price times predict_time', () => {
    const c = predictionCost(cloud('me/mine', 10), ctx);
    expect(c).toEqual({ kind: 'billed', sku: 'gpu-a100-large', dollars: 0.014, seconds: 10 });
    expect(describeCost(c)).toBe('$0.014 on Replicate (gpu-a100-large, 10.0 s)');
    expect(describeCost({ kind: 'billed', sku: 'gpu-t4', dollars: 0.1, seconds: 0.25 })).toBe('$0.100 on Replicate (gpu-t4, 0.25 s)');
  });

  it('a local run would have cost that on the model’s own SKU when known', () => {
    const c = predictionCost(local('me/mine', 2), ctx);
    expect(c).toMatchObject({ kind: 'would', sku: 'gpu-a100-large', skuFrom: 'model' });
    expect(describeCost(c)).toBe("on Replicate's gpu-a100-large this would have cost $0.0028");
  });

  it('a local run of a version pushed to a model whose hardware is known is priced on that model’s SKU', () => {
    const pushed = { ...ctx, versionSkus: { ['v'.repeat(8)]: 'gpu-l40s' } };
    const run = (versionId: string) => ({ ...local('acme/hello', 4), versionId });
    expect(predictionCost(run('v'.repeat(8)), pushed)).toMatchObject({ kind: 'would', sku: 'gpu-l40s', skuFrom: 'model' });
    // Another version of the same local model, not pushed: as before, the machine's SKU.
    expect(predictionCost(run('w'.repeat(8)), pushed)).toMatchObject({ kind: 'would', sku: 'gpu-t4', skuFrom: 'machine' });
    // A cloud run is priced on its Replicate model, never on a local version's.
    expect(predictionCost({ ...cloud('acme/hello', 4), versionId: 'v'.repeat(8) }, pushed)).toMatchObject({ kind: 'unknown' });
  });

  it('else on the SKU matched to this machine', () => {
    const c = predictionCost(local('acme/hello', 4), ctx);
    expect(c).toMatchObject({ kind: 'would', sku: 'gpu-t4', skuFrom: 'machine' });
    expect(c.kind === 'would' && c.dollars).toBeCloseTo(0.0009, 10);
  });

  it('a cloud run of a model whose hardware is not known has no number, and says why', () => {
    const c = predictionCost(cloud('acme/hello', 4), ctx);
    expect(c).toEqual({ kind: 'unknown', reason: "Replicate does not say which hardware this model runs on (name it in a prices file's modelSkus, Settings)" });
  });

  it('no predict time, no match or no price: never a guess', () => {
    expect(predictionCost(local('acme/hello'), ctx)).toMatchObject({ kind: 'unknown', reason: expect.stringContaining('no predict time') });
    expect(predictionCost(local('acme/hello', 1), { ...ctx, machineSku: null })).toMatchObject({ kind: 'unknown', reason: 'no Replicate hardware matches this machine' });
    expect(predictionCost(local('acme/hello', 1), { ...ctx, machineSku: 'gpu-b200' })).toMatchObject({
      kind: 'unknown',
      reason: `the price table (${BUILTIN_PRICES.date}) has no price for gpu-b200`,
    });
  });

  it('an official model priced per output says so instead of a number', () => {
    const prices = { ...BUILTIN_PRICES, perOutputModels: ['black-forest-labs/flux-schnell'] };
    const c = predictionCost(cloud('black-forest-labs/flux-schnell', 3), { ...ctx, prices });
    expect(c).toEqual({ kind: 'per-output' });
    expect(describeCost(c)).toBe('priced per output on Replicate (not per second)');
  });
});

describe('a cloud run of an official model (a deployment, no Cog version)', () => {
  it('is priced per output, whatever the table says', () => {
    const run = (version: string | null) => ({ ...cloud('me/mine', 3), remote: { model: 'me/mine', version } });
    expect(predictionCost(run('dp-8e43d4b5c4e2b1f0'), ctx)).toEqual({ kind: 'per-output' });
    expect(predictionCost(run(null), ctx)).toEqual({ kind: 'per-output' });
    expect(predictionCost(run('a'.repeat(64)), ctx)).toMatchObject({ kind: 'billed', sku: 'gpu-a100-large' });
  });
});

describe('formatDollars', () => {
  it('reads as a person writes money', () => {
    expect(formatDollars(0)).toBe('$0');
    expect(formatDollars(0.00002)).toBe('<$0.0001');
    expect(formatDollars(0.00226)).toBe('$0.0023');
    expect(formatDollars(0.123)).toBe('$0.123');
    expect(formatDollars(3.4)).toBe('$3.40');
  });
});

describe('costTotals', () => {
  it('adds billed and would-have-cost per model and per day, counting what has no number', () => {
    const day = (iso: string) => iso.slice(0, 10);
    const t = costTotals(
      [
        { ...cloud('me/mine', 10), createdAt: '2026-03-02T10:00:00Z' },
        { ...local('me/mine', 10), createdAt: '2026-03-02T11:00:00Z' },
        { ...local('acme/hello', 100), createdAt: '2026-03-01T11:00:00Z' },
        { ...cloud('acme/hello', 5), createdAt: '2026-03-01T12:00:00Z' },
      ],
      ctx,
      day,
    );
    expect(t.byModel.map((m) => m.key)).toEqual(['me/mine', 'acme/hello']);
    expect(t.byModel[0]).toMatchObject({ count: 2, unpriced: 0 });
    expect(t.byModel[0].billed).toBeCloseTo(0.014, 10);
    expect(t.byModel[0].would).toBeCloseTo(0.014, 10);
    expect(t.byModel[1]).toMatchObject({ count: 2, billed: 0, unpriced: 1 });
    expect(t.byModel[1].would).toBeCloseTo(0.0225, 10);
    expect(t.byDay.map((d) => [d.key, d.count])).toEqual([['2026-03-02', 2], ['2026-03-01', 2]]);
    expect(t.byDay[0].billed + t.byDay[0].would).toBeCloseTo(0.028, 10);
  });
});

describe('a cloud run priced on the price table’s modelSkus', () => {
  it('is billed on the SKU the prices file names for its model', () => {
    const prices = { ...BUILTIN_PRICES, modelSkus: { 'acme/hello': 'gpu-t4' } };
    expect(predictionCost(cloud('acme/hello', 4), { prices, machineSku: 'cpu' })).toEqual({ kind: 'billed', sku: 'gpu-t4', dollars: 0.0009, seconds: 4 });
    // A local run of it would have cost the same there.
    expect(predictionCost(local('acme/hello', 4), { prices, machineSku: 'cpu' })).toMatchObject({ kind: 'would', sku: 'gpu-t4', skuFrom: 'model' });
  });
});
