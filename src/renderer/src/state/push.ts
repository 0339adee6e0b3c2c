import { create } from 'zustand';
import type { TaskEvent } from '../../../shared/api';
import type { ErrorInfo } from '../../../shared/errors';
import type { PushLink, PushPlan, PushProgress, PushRequest, PushResult, RegistryLoginStatus } from '../../../shared/push';
import { api } from '../api';
import { errorInfo } from '../lib/errors';

export interface PushTask {
  taskId: string;
  state: 'running' | 'succeeded' | 'failed' | 'canceled';
  progress: PushProgress | null;
  result?: PushResult;
  error?: ErrorInfo;
}

interface PushState {
  /** The local version the dialog pushes (null: closed). */
  versionId: string | null;
  login: RegistryLoginStatus | null;
  plan: PushPlan | null;
  planning: boolean;
  error: ErrorInfo | null;
  task: PushTask | null;
  /** listPushes per local version. */
  links: Record<string, PushLink[]>;
  open(versionId: string): Promise<void>;
  close(): void;
  check(request: PushRequest): Promise<void>;
  setToken(token: string): Promise<void>;
  push(request: PushRequest): Promise<void>;
  cancel(): Promise<void>;
  loadLinks(versionId: string): Promise<void>;
  onTask(event: TaskEvent): void;
}

/** The Library's push dialog: registry login, the plan, the push task ('push' task events), and past pushes. */
export const usePush = create<PushState>((set, get) => ({
  versionId: null,
  login: null,
  plan: null,
  planning: false,
  error: null,
  task: null,
  links: {},

  async open(versionId) {
    set({ versionId, plan: null, error: null, task: null, login: null });
    try {
      set({ login: await api.getRegistryLogin() });
    } catch (e) {
      set({ error: errorInfo(e) });
    }
  },
  close() {
    const t = get().task;
    if (t?.state === 'running') return;
    set({ versionId: null, plan: null, error: null, task: null });
  },
  async check(request) {
    set({ planning: true, error: null, plan: null });
    try {
      set({ plan: await api.planPush(request), planning: false });
    } catch (e) {
      set({ error: errorInfo(e), planning: false });
    }
  },
  async setToken(token) {
    set({ error: null });
    try {
      set({ login: await api.setRegistryToken(token) });
    } catch (e) {
      set({ error: errorInfo(e) });
    }
  },
  async push(request) {
    set({ error: null });
    try {
      const { taskId } = await api.pushVersion(request);
      if (get().task?.taskId !== taskId) set({ task: { taskId, state: 'running', progress: null } });
    } catch (e) {
      set({ error: errorInfo(e) });
    }
  },
  async cancel() {
    const t = get().task;
    if (!t) return;
    try {
      await api.cancelTask(t.taskId);
    } catch (e) {
      set({ error: errorInfo(e) });
    }
  },
  async loadLinks(versionId) {
    try {
      const links = await api.listPushes(versionId);
      set({ links: { ...get().links, [versionId]: links } });
    } catch {
      // the links are a help; the row shows without them
    }
  },
  onTask(event) {
    if (event.kind !== 'push') return;
    const t = get().task;
    if (t && t.taskId !== event.taskId) return;
    if (!t && !get().versionId) return;
    const base: PushTask = t ?? { taskId: event.taskId, state: 'running', progress: null };
    if (event.state === 'running') set({ task: { ...base, progress: event.progress } });
    else if (event.state === 'succeeded') {
      set({ task: { ...base, state: 'succeeded', progress: event.progress, result: event.result } });
      void get().loadLinks(event.result.link.versionId);
    } else set({ task: { ...base, state: event.state, error: event.error } });
  },
}));
