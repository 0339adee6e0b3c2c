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
  /** pushVersion was called and has not answered with the task id yet. */
  starting: boolean;
  error: ErrorInfo | null;
  /** setRegistryToken's refusal (an API token, an unknown one), shown by the token form. */
  loginError: ErrorInfo | null;
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

/** The push dialog (Library, local model page): registry login, the plan, the push task ('push' task events), and past pushes. */
export const usePush = create<PushState>((set, get) => {
  // Events may come before pushVersion answers with the task id (a push refused at once ends that fast):
  // keep them until it does, as the model page does for its pull.
  let early: TaskEvent[] = [];
  const apply = (event: TaskEvent) => {
    const t = get().task;
    if (event.kind !== 'push' || !t || t.taskId !== event.taskId) return;
    if (event.state === 'running') {
      if (t.state === 'running') set({ task: { ...t, progress: event.progress } });
    } else if (event.state === 'succeeded') {
      set({ task: { ...t, state: 'succeeded', progress: event.progress, result: event.result } });
      void get().loadLinks(event.result.link.versionId);
    } else set({ task: { ...t, state: event.state, error: event.error } });
  };

  return {
    versionId: null,
    login: null,
    plan: null,
    planning: false,
    starting: false,
    error: null,
    loginError: null,
    task: null,
    links: {},

    async open(versionId) {
      set({ versionId, plan: null, error: null, loginError: null, task: null, login: null });
      try {
        set({ login: await api.getRegistryLogin() });
      } catch (e) {
        set({ error: errorInfo(e) });
      }
    },
    close() {
      const t = get().task;
      if (t?.state === 'running' || get().starting) return;
      set({ versionId: null, plan: null, error: null, loginError: null, task: null });
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
      set({ loginError: null });
      try {
        const login = await api.setRegistryToken(token);
        // A push refused for want of credentials is over: its notice goes with the login.
        const t = get().task;
        set({ login, task: t && t.state !== 'running' && t.state !== 'succeeded' ? null : t });
      } catch (e) {
        set({ loginError: errorInfo(e) });
      }
    },
    async push(request) {
      if (get().starting || get().task?.state === 'running') return;
      early = [];
      set({ error: null, task: null, starting: true });
      try {
        const { taskId } = await api.pushVersion(request);
        set({ task: { taskId, state: 'running', progress: null }, starting: false });
        for (const e of early.filter((x) => x.taskId === taskId)) apply(e);
      } catch (e) {
        set({ error: errorInfo(e), starting: false });
      }
      early = [];
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
      if (get().starting) early.push(event);
      else apply(event);
    },
  };
});
