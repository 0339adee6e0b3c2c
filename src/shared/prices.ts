/**
 * What Replicate charges per second of each hardware SKU: a table shipped with the app (with the date it
 * was read from Replicate's pricing page), which a person can replace with a JSON file of the same shape
 * (Settings: prices file). A SKU the table does not name has no price: never a guess.
 */

export interface PriceTable {
  /** The day the prices were read (`YYYY-MM-DD`); only the year for the built-in snapshot, whose day is not known. */
  date: string;
  /** Where they come from, in words ("built in", or the file's path). */
  source: string;
  /** Dollars per second of each single-GPU (or CPU) SKU; `-2x`, `-4x`, `-8x` cost N times their base unless named. */
  perSecond: Readonly<Record<string, number>>;
  /** Models (`owner/name`) Replicate prices per output (per image, token, second of video), not per second. */
  perOutputModels: readonly string[];
  /**
   * The SKU a model (`owner/name`) runs on, where the person knows it: Replicate's API does not say which
   * hardware a public model runs on, so a cloud run's cost needs this (or the person's own pushed model's).
   */
  modelSkus?: Readonly<Record<string, string>>;
}

/**
 * From Replicate's pricing page (reference/hardware.md: "a snapshot of 2026", no day given, so the date is
 * the year alone: the window shows it beside every cost, and a prices file with today's numbers replaces it).
 */
export const BUILTIN_PRICES: PriceTable = Object.freeze({
  date: '2026',
  source: 'built in',
  perSecond: Object.freeze({
    cpu: 0.0001,
    'gpu-t4': 0.000225,
    'gpu-a40-small': 0.000575,
    'gpu-a40-large': 0.000725,
    'gpu-l40s': 0.000975,
    'gpu-a100-large': 0.0014,
    'gpu-h100': 0.001525,
  }),
  perOutputModels: Object.freeze([]),
  modelSkus: Object.freeze({}),
});

/** `gpu-2x-l40s` is also written `gpu-l40s-2x`: one spelling (the latter) for lookups. */
export function canonicalSku(sku: string): string {
  const m = /^gpu-(\d+)x-(.+)$/.exec(sku.trim());
  return m ? `gpu-${m[2]}-${m[1]}x` : sku.trim();
}

/** The price per second of a SKU; null when the table does not know it (nor its single-GPU base). */
export function pricePerSecond(table: PriceTable, sku: string): number | null {
  const id = canonicalSku(sku);
  const own = table.perSecond[id];
  if (typeof own === 'number') return own;
  const multi = /^(.+)-(\d+)x$/.exec(id);
  if (multi) {
    const base = table.perSecond[multi[1]];
    if (typeof base === 'number') return base * Number(multi[2]);
  }
  return null;
}

/** Whether Replicate prices this model per output instead of per second of hardware. */
export function pricedPerOutput(table: PriceTable, modelId: string): boolean {
  return table.perOutputModels.includes(modelId);
}

/**
 * Reads a price table from a file's text. The shape: `{"date": "2026-03-01", "perSecond": {"gpu-t4":
 * 0.000225, ...}, "perOutputModels": ["owner/name", ...], "modelSkus": {"owner/name": "gpu-t4"}}` (the last two
 * optional). Every problem is said with
 * what to write instead; nothing is half-read.
 */
export function parsePriceTable(text: string, source: string): PriceTable {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new Error(`The prices file ${source} is not JSON (${(e as Error).message}).`);
  }
  const problems: string[] = [];
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw new Error(`The prices file ${source} must hold an object like {"date": "2026-03-01", "perSecond": {"gpu-t4": 0.000225}}.`);
  }
  const o = doc as Record<string, unknown>;
  const date = o.date;
  if (typeof date !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(date))) {
    problems.push('"date" must be the day the prices were read, as YYYY-MM-DD');
  }
  const perSecond: Record<string, number> = {};
  const ps = o.perSecond;
  if (typeof ps !== 'object' || ps === null || Array.isArray(ps)) {
    problems.push('"perSecond" must be an object of SKU to dollars per second, like {"gpu-t4": 0.000225}');
  } else {
    for (const [sku, v] of Object.entries(ps)) {
      if (!/^[a-z0-9][a-z0-9-]*$/.test(sku)) problems.push(`"${sku}" is not a SKU name (like gpu-t4)`);
      else if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) problems.push(`the price of ${sku} must be a number of dollars per second, 0 or more`);
      else perSecond[canonicalSku(sku)] = v;
    }
    if (!problems.length && Object.keys(perSecond).length === 0) problems.push('"perSecond" names no SKU');
  }
  const po = o.perOutputModels ?? [];
  if (!Array.isArray(po) || po.some((m) => typeof m !== 'string' || !/^[^/\s]+\/[^/\s]+$/.test(m))) {
    problems.push('"perOutputModels" must be a list of owner/name');
  }
  const modelSkus: Record<string, string> = {};
  const ms = o.modelSkus ?? {};
  if (typeof ms !== 'object' || ms === null || Array.isArray(ms)) problems.push('"modelSkus" must be an object of owner/name to SKU, like {"acme/hello": "gpu-t4"}');
  else {
    for (const [model, sku] of Object.entries(ms)) {
      if (!/^[^/\s]+\/[^/\s]+$/.test(model) || typeof sku !== 'string' || !/^[a-z0-9][a-z0-9-]*$/.test(sku)) problems.push(`"modelSkus" must map owner/name to a SKU name (not ${JSON.stringify(model)}: ${JSON.stringify(sku)})`);
      else modelSkus[model] = canonicalSku(sku);
    }
  }
  if (problems.length) throw new Error(`The prices file ${source} was not used: ${problems.join('; ')}.`);
  return { date: date as string, source, perSecond, perOutputModels: po as string[], modelSkus };
}
