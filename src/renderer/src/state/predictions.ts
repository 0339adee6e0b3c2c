import { create } from 'zustand';
import type { Prediction, PredictionQuery, PredictionStatus, RunOn } from '../../../shared/domain';
import type { ErrorInfo } from '../../../shared/errors';
import { api } from '../api';
import { errorInfo } from '../lib/errors';
import { laterPrediction } from '../lib/merge';

export interface HistoryFilters {
  modelId: string;
  status: PredictionStatus | '';
  query: string;
  /** Only the ones run here, or only the ones run on Replicate. */
  runOn: RunOn | '';
}

export const PAGE_SIZE = 25;

interface Predictions {
  /** Every prediction the window has seen, kept current by 'prediction' events. */
  byId: Record<string, Prediction>;
  upsert(p: Prediction): void;
  forget(id: string): void;
  fetch(id: string): Promise<Prediction | null>;

  filters: HistoryFilters;
  /** The history's ids, newest first. */
  ids: string[];
  hasMore: boolean;
  loading: boolean;
  loaded: boolean;
  error: ErrorInfo | null;
  setFilters(patch: Partial<HistoryFilters>): void;
  loadHistory(): Promise<void>;
  loadMore(): Promise<void>;
}

function queryOf(filters: HistoryFilters): PredictionQuery {
  const q: PredictionQuery = { limit: PAGE_SIZE };
  if (filters.modelId) q.modelId = filters.modelId;
  if (filters.status) q.status = filters.status;
  if (filters.query.trim()) q.query = filters.query.trim();
  if (filters.runOn) q.runOn = filters.runOn;
  return q;
}

function matches(p: Prediction, f: HistoryFilters): boolean {
  return (!f.modelId || p.modelId === f.modelId) && (!f.status || p.status === f.status) && (!f.runOn || p.runOn === f.runOn) && !f.query.trim();
}

let generation = 0;

export const usePredictions = create<Predictions>((set, get) => ({
  byId: {},
  upsert(p) {
    const { byId, ids, loaded, filters } = get();
    const known = !!byId[p.id];
    const next: Partial<Predictions> = { byId: { ...byId, [p.id]: laterPrediction(byId[p.id], p) } };
    // A new prediction joins the top of the history when it matches the filters.
    if (!known && loaded && !ids.includes(p.id) && matches(p, filters)) next.ids = [p.id, ...ids];
    set(next);
  },
  forget(id) {
    const { [id]: _gone, ...byId } = get().byId;
    set({ byId, ids: get().ids.filter((x) => x !== id) });
  },
  async fetch(id) {
    const p = await api.getPrediction(id);
    if (p) get().upsert(p);
    return p;
  },

  filters: { modelId: '', status: '', query: '', runOn: '' },
  ids: [],
  hasMore: false,
  loading: false,
  loaded: false,
  error: null,
  setFilters(patch) {
    set({ filters: { ...get().filters, ...patch } });
    void get().loadHistory();
  },
  async loadHistory() {
    const mine = ++generation;
    set({ loading: true, error: null });
    try {
      const list = await api.listPredictions(queryOf(get().filters));
      if (mine !== generation) return;
      const byId = { ...get().byId };
      for (const p of list) byId[p.id] = laterPrediction(byId[p.id], p);
      set({ byId, ids: list.map((p) => p.id), hasMore: list.length === PAGE_SIZE, loading: false, loaded: true });
    } catch (e) {
      if (mine === generation) set({ loading: false, error: errorInfo(e) });
    }
  },
  async loadMore() {
    const { ids, filters, loading } = get();
    if (loading || ids.length === 0) return;
    const mine = generation;
    set({ loading: true, error: null });
    try {
      const list = await api.listPredictions({ ...queryOf(filters), before: ids[ids.length - 1] });
      if (mine !== generation) return;
      const byId = { ...get().byId };
      for (const p of list) byId[p.id] = laterPrediction(byId[p.id], p);
      const seen = new Set(get().ids);
      set({ byId, ids: [...get().ids, ...list.map((p) => p.id).filter((id) => !seen.has(id))], hasMore: list.length === PAGE_SIZE, loading: false });
    } catch (e) {
      set({ loading: false, error: errorInfo(e) });
    }
  },
}));
