/**
 * What a prediction cost on Replicate, or would have cost there: the SKU's price per second times
 * `metrics.predict_time` (the only time billed for public models). A cloud run is priced on the SKU its
 * model runs on when that is known; a local run "would have cost" that on the model's SKU when known, else on
 * the SKU matched to this machine. No SKU, no price or no predict time: no number, and why.
 */
import { pricePerSecond, pricedPerOutput, type PriceTable } from './prices';

export type CostEstimate =
  /** Ran on Replicate: what it was billed. */
  | { kind: 'billed'; sku: string; dollars: number; seconds: number }
  /** Ran here: what it would have cost on Replicate's `sku`. */
  | { kind: 'would'; sku: string; dollars: number; seconds: number; skuFrom: 'model' | 'machine' }
  /** An official model Replicate prices per output, not per second. */
  | { kind: 'per-output' }
  | { kind: 'unknown'; reason: string };

export interface CostContext {
  prices: PriceTable;
  /** The SKU matched to this machine's GPUs (`cpu` without one); null when nothing matches. */
  machineSku: string | null;
  /** The SKU each model (`owner/name`) runs on, where known (the person's own models); else the price table's `modelSkus`. */
  modelSkus?: Readonly<Record<string, string>>;
  /** For local runs: the SKU of the model each local version was pushed to, where known (it comes first). */
  versionSkus?: Readonly<Record<string, string>>;
}

/** What cost needs of a prediction (a Prediction has all of it). */
export interface CostedPrediction {
  modelId: string;
  /** The local version it ran (a local run of a version pushed to a model is priced on that model's SKU). */
  versionId?: string;
  metrics: { predict_time?: number } | null;
  /** Where it ran; absent for a local run. */
  runOn?: 'local' | 'replicate';
  /** For a cloud run: the model on Replicate, and its version (`dp-...` or none for an official model's deployment). */
  remote?: { model?: string; version?: string | null } | null;
}

/** A cloud run of an official model: Replicate names no Cog version for it (its deployment's `dp-...`, or none). */
function officialRun(p: CostedPrediction): boolean {
  if (p.runOn !== 'replicate' || !p.remote) return false;
  const v = p.remote.version;
  return v === null || v === '' || (typeof v === 'string' && v.startsWith('dp-'));
}

export function predictionCost(p: CostedPrediction, ctx: CostContext): CostEstimate {
  const cloud = p.runOn === 'replicate';
  const model = (cloud && p.remote?.model) || p.modelId;
  if (pricedPerOutput(ctx.prices, model) || officialRun(p)) return { kind: 'per-output' };
  const seconds = p.metrics?.predict_time;
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) {
    return { kind: 'unknown', reason: 'no predict time (it did not finish)' };
  }
  const pushedSku = !cloud && p.versionId ? ctx.versionSkus?.[p.versionId] : undefined;
  const modelSku = pushedSku ?? ctx.modelSkus?.[model] ?? ctx.prices.modelSkus?.[model] ?? null;
  const sku = modelSku ?? (cloud ? null : ctx.machineSku);
  if (!sku) {
    return {
      kind: 'unknown',
      reason: cloud ? 'Replicate does not say which hardware this model runs on (name it in a prices file\'s modelSkus, Settings)' : 'no Replicate hardware matches this machine',
    };
  }
  const price = pricePerSecond(ctx.prices, sku);
  if (price === null) return { kind: 'unknown', reason: `the price table (${ctx.prices.date}) has no price for ${sku}` };
  const dollars = price * seconds;
  return cloud ? { kind: 'billed', sku, dollars, seconds } : { kind: 'would', sku, dollars, seconds, skuFrom: modelSku ? 'model' : 'machine' };
}

/** Dollars as a person reads them: `$0.0023`, `$0.12`, `$3.40`; under a hundredth of a cent reads `<$0.0001`. */
export function formatDollars(n: number): string {
  if (n === 0) return '$0';
  if (n < 0.0001) return '<$0.0001';
  if (n < 0.01) return `$${n.toFixed(4)}`;
  if (n < 1) return `$${n.toFixed(3)}`;
  return `$${n.toFixed(2)}`;
}

/** One line for a prediction's cost: "$0.0023 on Replicate (gpu-t4)", "on Replicate's gpu-t4 this would have cost $0.0023". */
export function describeCost(c: CostEstimate): string {
  switch (c.kind) {
    case 'billed':
      return `${formatDollars(c.dollars)} on Replicate (${c.sku}, ${c.seconds.toFixed(c.seconds < 10 ? 2 : 1)} s)`;
    case 'would':
      return `on Replicate's ${c.sku} this would have cost ${formatDollars(c.dollars)}`;
    case 'per-output':
      return 'priced per output on Replicate (not per second)';
    case 'unknown':
      return `cost unknown: ${c.reason}`;
  }
}

export interface CostTotal {
  key: string;
  count: number;
  /** Billed on Replicate. */
  billed: number;
  /** Local runs: what they would have cost there. */
  would: number;
  /** Predictions without a number (unknown or priced per output). */
  unpriced: number;
}

/** The day a time falls on, in this machine's time zone (`YYYY-MM-DD`). */
export function localDay(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** Totals per model and per day (newest day first; models by what they cost, most first). */
export function costTotals(
  predictions: ReadonlyArray<CostedPrediction & { createdAt: string }>,
  ctx: CostContext,
  dayOf: (iso: string) => string = localDay,
): { byModel: CostTotal[]; byDay: CostTotal[] } {
  const byModel = new Map<string, CostTotal>();
  const byDay = new Map<string, CostTotal>();
  const add = (map: Map<string, CostTotal>, key: string, c: CostEstimate) => {
    const t = map.get(key) ?? { key, count: 0, billed: 0, would: 0, unpriced: 0 };
    t.count++;
    if (c.kind === 'billed') t.billed += c.dollars;
    else if (c.kind === 'would') t.would += c.dollars;
    else t.unpriced++;
    map.set(key, t);
  };
  for (const p of predictions) {
    const c = predictionCost(p, ctx);
    add(byModel, p.modelId, c);
    add(byDay, dayOf(p.createdAt), c);
  }
  return {
    byModel: [...byModel.values()].sort((a, b) => b.billed + b.would - (a.billed + a.would) || a.key.localeCompare(b.key)),
    byDay: [...byDay.values()].sort((a, b) => b.key.localeCompare(a.key)),
  };
}
