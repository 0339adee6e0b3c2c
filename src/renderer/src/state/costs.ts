import { create } from 'zustand';
import type { CostContext } from '../../../shared/cost';
import type { SkuMatch } from '../../../shared/hardware';
import { BUILTIN_PRICES, type PriceTable } from '../../../shared/prices';
import { api } from '../api';

interface Costs {
  /** The prices in use, with `problem` when the prices file of the settings could not be used. */
  prices: PriceTable & { problem?: string };
  /** The SKU matched to this machine (exact, `cpu` without a GPU, else the nearest by GPU memory). */
  machineSku: string | null;
  loaded: boolean;
  /** Reads the prices and this machine's match once (again with `force`, e.g. after the prices file changed). */
  load(force?: boolean): Promise<void>;
  context(): CostContext;
}

/** The SKU a local run is priced on when its model's own is not known. */
export function machineSkuOf(match: SkuMatch): string | null {
  return match.sku ?? match.nearest;
}

let loading: Promise<void> | null = null;

/** What the window prices predictions with: the price table and this machine's SKU. */
export const useCosts = create<Costs>((set, get) => ({
  prices: BUILTIN_PRICES,
  machineSku: null,
  loaded: false,
  async load(force = false) {
    if (loading && !force) return loading;
    if (get().loaded && !force) return;
    loading = (async () => {
      const [prices, hardware] = await Promise.all([api.getPrices().catch(() => BUILTIN_PRICES), api.getHardware().catch(() => null)]);
      set({ prices, machineSku: hardware ? machineSkuOf(hardware.match) : null, loaded: true });
    })().finally(() => {
      loading = null;
    });
    return loading;
  },
  context() {
    const { prices, machineSku } = get();
    return { prices, machineSku };
  },
}));
