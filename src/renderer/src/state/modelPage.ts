import { create } from 'zustand';
import type { TaskEvent } from '../../../shared/api';
import type { ModelPage } from '../../../shared/catalog';
import type { PullProgress, Version } from '../../../shared/domain';
import type { ErrorInfo } from '../../../shared/errors';
import { api } from '../api';
import { errorInfo } from '../lib/errors';
import type { Freshness } from './catalog';

export interface RemotePull {
  taskId: string | null;
  modelId: string;
  state: 'starting' | 'running' | 'succeeded' | 'failed' | 'canceled';
  progress: PullProgress | null;
  version?: Version;
  error?: ErrorInfo;
  /** Set once the Playground was opened for this pull: coming back to the page does not open it again. */
  opened?: boolean;
  /** The input the Playground opens with (an example's); the default example's when absent. */
  input?: Record<string, unknown>;
  /** The Replicate example `input` is from, when not the default one. */
  inputExample?: string;
}

interface ModelPageState {
  modelId: string | null;
  page: ModelPage | null;
  freshness: Freshness | null;
  loading: boolean;
  error: ErrorInfo | null;
  pull: RemotePull | null;
  open(modelId: string): Promise<void>;
  /**
   * pullRemoteModel: progress from the 'task' events; resolves when the task has started. The Playground then
   * opens with `input` (an example's), else the default example's.
   */
  runLocally(input?: Record<string, unknown>, inputExample?: string): Promise<void>;
  cancelPull(): Promise<void>;
  onTask(event: TaskEvent): void;
}

/** One Replicate model's page, and its "Run locally" pull. */
export const useModelPage = create<ModelPageState>((set, get) => {
  // Events may come before pullRemoteModel answers with the task id: keep them until it does.
  let early: TaskEvent[] = [];
  const apply = (event: TaskEvent) => {
    const pull = get().pull;
    if (!pull || event.kind !== 'pull' || pull.taskId !== event.taskId) return;
    if (event.state === 'running') set({ pull: { ...pull, state: 'running', progress: event.progress } });
    else if (event.state === 'succeeded') set({ pull: { ...pull, state: 'succeeded', progress: { ...event.progress, percent: 100 }, version: event.version } });
    else set({ pull: { ...pull, state: event.state, error: event.error } });
  };

  return {
    modelId: null,
    page: null,
    freshness: null,
    loading: false,
    error: null,
    pull: null,

    async open(modelId) {
      const samePull = get().pull?.modelId === modelId ? get().pull : null;
      set({ modelId, loading: true, error: null, page: get().modelId === modelId ? get().page : null, pull: samePull });
      try {
        const r = await api.getModelPage(modelId);
        if (get().modelId !== modelId) return;
        set({ page: r.data, freshness: { fromCache: r.fromCache, notice: r.fromCache ? (r.notice ?? 'Showing the cached page.') : null }, loading: false });
      } catch (e) {
        if (get().modelId === modelId) set({ error: errorInfo(e), loading: false });
      }
    },

    async runLocally(input, inputExample) {
      const modelId = get().modelId;
      if (!modelId) return;
      const current = get().pull;
      if (current && (current.state === 'starting' || current.state === 'running')) return;
      early = [];
      set({ pull: { taskId: null, modelId, state: 'starting', progress: null, input, inputExample } });
      try {
        const { taskId } = await api.pullRemoteModel(modelId);
        set({ pull: { ...get().pull!, taskId } });
        for (const e of early.filter((x) => x.taskId === taskId)) apply(e);
        early = [];
      } catch (e) {
        set({ pull: { taskId: null, modelId, state: 'failed', progress: null, input, inputExample, error: errorInfo(e) } });
      }
    },

    async cancelPull() {
      const taskId = get().pull?.taskId;
      if (!taskId) return;
      try {
        await api.cancelTask(taskId);
      } catch (e) {
        set({ error: errorInfo(e) });
      }
    },

    onTask(event) {
      const pull = get().pull;
      if (pull && pull.state === 'starting' && pull.taskId === null) {
        early.push(event);
        return;
      }
      apply(event);
    },
  };
});
