import { create } from 'zustand';
import type { KnownSkus } from '../../../shared/api';
import type { CostContext } from '../../../shared/cost';
import type { SkuMatch } from '../../../shared/hardware';
import { BUILTIN_PRICES, type PriceTable } from '../../../shared/prices';
import { api } from '../api';
import { usePush } from './push';

interface Costs {
  /** The prices in use, with `problem` when the prices file of the settings could not be used. */
  prices: PriceTable & { problem?: string };
  /** The SKU matched to this machine (exact, `cpu` without a GPU, else the nearest by GPU memory). */
  machineSku: string | null;
  /** The hardware of the person's own models (those a push from here created) and of the local versions pushed to them. */
  known: KnownSkus;
  loaded: boolean;
  /** Reads the prices, this machine's match and the own models' hardware once (again with `force`, e.g. after the prices file changed or a push). */
  load(force?: boolean): Promise<void>;
  context(): CostContext;
}

/** The SKU a local run is priced on when its model's own is not known. */
export function machineSkuOf(match: SkuMatch): string | null {
  return match.sku ?? match.nearest;
}

let loading: Promise<void> | null = null;

const NONE_KNOWN: KnownSkus = { models: {}, versions: {} };

/** The context predictions are priced in: the own models' SKUs come before the prices file's `modelSkus`. */
export function costContext(s: Pick<Costs, 'prices' | 'machineSku' | 'known'>): CostContext {
  return { prices: s.prices, machineSku: s.machineSku, modelSkus: s.known.models, versionSkus: s.known.versions };
}

/** What the window prices predictions with: the price table, this machine's SKU and the own models' SKUs. */
export const useCosts = create<Costs>((set, get) => ({
  prices: BUILTIN_PRICES,
  machineSku: null,
  known: NONE_KNOWN,
  loaded: false,
  async load(force = false) {
    if (loading && !force) return loading;
    if (get().loaded && !force) return;
    loading = (async () => {
      const [prices, hardware, known] = await Promise.all([
        api.getPrices().catch(() => BUILTIN_PRICES),
        api.getHardware().catch(() => null),
        api.getModelSkus().catch(() => NONE_KNOWN),
      ]);
      set({ prices, machineSku: hardware ? machineSkuOf(hardware.match) : null, known, loaded: true });
    })().finally(() => {
      loading = null;
    });
    return loading;
  },
  context() {
    return costContext(get());
  },
}));

// A push that created a model gives it (and the version pushed) a known SKU: price with it from then on.
usePush.subscribe((now, before) => {
  if (now.task?.state === 'succeeded' && before.task?.state !== 'succeeded' && useCosts.getState().loaded) void useCosts.getState().load(true);
});
