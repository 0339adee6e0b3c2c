import { create } from 'zustand';
import type { EngineStatus, Model, Prediction } from '../../shared/domain';
import type { ErrorInfo } from '../../shared/errors';
import { api } from './api';

interface State {
  status: EngineStatus | null;
  models: Model[];
  predictions: Prediction[];
  error: ErrorInfo | null;
  refresh(): Promise<void>;
  upsertPrediction(p: Prediction): void;
}

export const useStore = create<State>((set, get) => ({
  status: null,
  models: [],
  predictions: [],
  error: null,
  async refresh() {
    try {
      const [status, models, predictions] = await Promise.all([api.getEngineStatus(), api.listModels(), api.listPredictions({ limit: 100 })]);
      set({ status, models, predictions, error: null });
    } catch (e) {
      set({ error: e as ErrorInfo });
    }
  },
  upsertPrediction(p) {
    const list = get().predictions;
    const i = list.findIndex((x) => x.id === p.id);
    set({ predictions: i === -1 ? [p, ...list] : list.map((x) => (x.id === p.id ? p : x)) });
  },
}));
