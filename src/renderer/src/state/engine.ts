import { create } from 'zustand';
import type { EngineStatus } from '../../../shared/domain';
import type { ErrorInfo } from '../../../shared/errors';
import { api } from '../api';
import { errorInfo } from '../lib/errors';

interface Engine {
  status: EngineStatus | null;
  error: ErrorInfo | null;
  refreshStatus(): Promise<void>;
}

/** Docker's state, the data folder and the warm containers (getEngineStatus). */
export const useEngine = create<Engine>((set) => ({
  status: null,
  error: null,
  async refreshStatus() {
    try {
      set({ status: await api.getEngineStatus(), error: null });
    } catch (e) {
      set({ error: errorInfo(e) });
    }
  },
}));
