import { create } from 'zustand';
import type { TaskEvent } from '../../../shared/api';
import type { DiskUsage, LocalImageScan, Model, PullProgress, Version } from '../../../shared/domain';
import type { ErrorInfo } from '../../../shared/errors';
import { api } from '../api';
import { errorInfo } from '../lib/errors';
import { keptByVersion, keptTotal } from '../lib/library';
import { useEngine } from './engine';

export interface PullTask {
  taskId: string;
  ref: string;
  state: 'running' | 'succeeded' | 'failed' | 'canceled';
  progress: PullProgress | null;
  version?: Version;
  error?: ErrorInfo;
  startedAt: number;
}

interface Library {
  models: Model[];
  versions: Record<string, Version[]>;
  disk: DiskUsage | null;
  /** Images with Cog labels the last scan could not list (their labels are unreadable), with why. */
  skipped: LocalImageScan['skipped'];
  /** When each model's newest prediction was made (null: never run here), by model id. */
  lastUsed: Record<string, string | null>;
  /** The bytes of weights kept for each version's next start, by version id (none without Docker). */
  kept: Record<string, number>;
  /** All kept and managed weights' bytes, a weight two versions share counted once (keptTotal). */
  keptTotalBytes: number;
  loaded: boolean;
  error: ErrorInfo | null;
  tasks: PullTask[];
  refresh(): Promise<void>;
  /** A model's versions, fetched once (refresh() fetches them again). */
  loadVersions(modelId: string): Promise<Version[]>;
  pull(ref: string): Promise<void>;
  onTask(event: TaskEvent): void;
  cancelTask(taskId: string): Promise<void>;
  dismissTask(taskId: string): void;
  deleteVersion(versionId: string): Promise<void>;
  /** Forgets a version's kept weights (its next start downloads them again). */
  forgetKeptWeights(versionId: string): Promise<void>;
  /** Deletes every version of these models, one after another; answers what could not be deleted, with why. */
  deleteModels(modelIds: string[]): Promise<Array<{ modelId: string; error: ErrorInfo }>>;
}

/** Local models and versions, disk use, and pulls in progress (pullImage + 'task' events). */
export const useLibrary = create<Library>((set, get) => ({
  models: [],
  versions: {},
  disk: null,
  skipped: [],
  lastUsed: {},
  kept: {},
  keptTotalBytes: 0,
  loaded: false,
  error: null,
  tasks: [],
  async refresh() {
    try {
      // Images built with `cog build` (any image with Cog labels) join the library first. Without Docker
      // the scan fails and the library still shows what it knows; the Docker banner says what to do.
      const scan = await api.scanLocalImages().catch(() => null);
      if (scan) set({ skipped: scan.skipped });
      const models = await api.listModels();
      const lists = await Promise.all(models.map((m) => api.listVersions(m.id)));
      // Last used: each model's newest prediction (one row each, newest first).
      const newest = await Promise.all(models.map((m) => api.listPredictions({ modelId: m.id, limit: 1 }).catch(() => [])));
      set({
        models,
        versions: Object.fromEntries(models.map((m, i) => [m.id, lists[i]])),
        lastUsed: Object.fromEntries(models.map((m, i) => [m.id, newest[i][0]?.createdAt ?? null])),
        loaded: true,
        error: null,
      });
      // Kept weights are Docker images: without Docker none can be listed (the Docker banner says why).
      const kept = await api.listKeptWeights().catch(() => []);
      set({ kept: keptByVersion(kept), keptTotalBytes: keptTotal(kept).bytes, disk: await api.getDiskUsage() });
    } catch (e) {
      set({ error: errorInfo(e), loaded: true });
    }
  },
  async loadVersions(modelId) {
    const have = get().versions[modelId];
    if (have) return have;
    const list = await api.listVersions(modelId);
    set({ versions: { ...get().versions, [modelId]: list } });
    return list;
  },
  async pull(ref) {
    const { taskId } = await api.pullImage(ref);
    // Events may have come first: keep what they said.
    if (!get().tasks.some((t) => t.taskId === taskId)) {
      set({ tasks: [{ taskId, ref, state: 'running', progress: null, startedAt: Date.now() }, ...get().tasks] });
    } else {
      set({ tasks: get().tasks.map((t) => (t.taskId === taskId ? { ...t, ref } : t)) });
    }
  },
  onTask(event) {
    // Push tasks have their own events (kind 'push'); the library's task list shows pulls.
    if (event.kind !== 'pull') return;
    const tasks = get().tasks;
    const existing = tasks.find((t) => t.taskId === event.taskId);
    const base: PullTask = existing ?? { taskId: event.taskId, ref: '', state: 'running', progress: null, startedAt: Date.now() };
    let next: PullTask;
    if (event.state === 'running') next = { ...base, state: 'running', progress: event.progress, ref: base.ref || event.progress.ref };
    else if (event.state === 'succeeded') next = { ...base, state: 'succeeded', progress: { ...event.progress, percent: 100, phase: 'done' }, version: event.version, ref: base.ref || event.progress.ref };
    else next = { ...base, state: event.state, error: event.error };
    set({ tasks: existing ? tasks.map((t) => (t.taskId === event.taskId ? next : t)) : [next, ...tasks] });
    if (event.state === 'succeeded') void get().refresh();
  },
  async cancelTask(taskId) {
    await api.cancelTask(taskId);
  },
  dismissTask(taskId) {
    set({ tasks: get().tasks.filter((t) => t.taskId !== taskId) });
  },
  async deleteVersion(versionId) {
    await api.deleteVersion(versionId);
    await get().refresh();
  },
  async forgetKeptWeights(versionId) {
    await api.forgetKeptWeights(versionId);
    await get().refresh();
    void useEngine.getState().refreshStatus(); // a container started from them was stopped

  },
  async deleteModels(modelIds) {
    const failed: Array<{ modelId: string; error: ErrorInfo }> = [];
    for (const modelId of modelIds) {
      try {
        for (const v of await api.listVersions(modelId)) await api.deleteVersion(v.id);
      } catch (e) {
        failed.push({ modelId, error: errorInfo(e) });
      }
    }
    await get().refresh();
    return failed;
  },
}));
