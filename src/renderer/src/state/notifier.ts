import { create } from 'zustand';
import type { TaskEvent } from '../../../shared/api';
import { DEFAULT_SETTINGS, isTerminal, type Prediction } from '../../../shared/domain';
import { api } from '../api';
import { notificationFor, type DesktopNotice, type FinishedWork } from '../lib/notify';
import { useNavigation, type Route } from './navigation';

export interface ShownNotice {
  title: string;
  body: string;
  at: string;
}

interface Notifier {
  /** Settings.notifyWhenDone, as last read or saved. */
  enabled: boolean;
  /** The last notification the system showed, and how many it showed since the window opened. */
  lastShown: ShownNotice | null;
  shownCount: number;
  /** Why a notification could not be shown (permission denied), with what to do. */
  problem: string | null;
  load(): Promise<void>;
  setEnabled(enabled: boolean): void;
  onPrediction(p: Prediction): void;
  onTask(t: TaskEvent): void;
}

/** Predictions from the window seen before they ended: their end may notify. */
const running = new Set<string>();
/** Tasks by id: what they work on (failed events do not say) and when this window first heard of them. */
const tasks = new Map<string, { name: string; since: number }>();

/**
 * Desktop notifications for long work that ends while the window is in the background (the web
 * Notification API, which Electron shows as the system's notifications). The decision is lib/notify.ts.
 */
export const useNotifier = create<Notifier>((set, get) => {
  const show = async (notice: DesktopNotice, open: Route) => {
    if (typeof Notification === 'undefined') return;
    let permission = Notification.permission;
    if (permission === 'default') permission = await Notification.requestPermission();
    if (permission !== 'granted') {
      set({ problem: 'The system does not let Cogdesk show notifications: allow them for Cogdesk in the system settings, or turn them off here.' });
      return;
    }
    const shown = new Notification(notice.title, { body: notice.body, tag: notice.tag });
    shown.onshow = () => set({ lastShown: { title: notice.title, body: notice.body, at: new Date().toISOString() }, shownCount: get().shownCount + 1, problem: null });
    shown.onclick = () => {
      window.focus();
      useNavigation.getState().go(open);
      shown.close();
    };
  };
  const decide = (work: FinishedWork, durationMs: number, open: Route) => {
    const notice = notificationFor(work, { durationMs, focused: document.hasFocus(), enabled: get().enabled });
    if (notice) void show(notice, open);
  };

  return {
    enabled: DEFAULT_SETTINGS.notifyWhenDone,
    lastShown: null,
    shownCount: 0,
    problem: null,
    async load() {
      try {
        set({ enabled: (await api.getSettings()).notifyWhenDone });
      } catch {
        // The default stays; the Settings page says why settings cannot be read.
      }
    },
    setEnabled(enabled) {
      set({ enabled, problem: enabled ? get().problem : null });
    },
    onPrediction(p) {
      if (p.source !== 'app') return; // the API's and examples' predictions are code's work, not the person's
      if (!isTerminal(p.status)) {
        running.add(p.id);
        return;
      }
      if (!running.delete(p.id)) return;
      const end = p.completedAt ? Date.parse(p.completedAt) : Date.now();
      const work: FinishedWork = { kind: 'prediction', model: p.modelId, id: p.id, outcome: p.status as FinishedWork['outcome'], error: p.error };
      decide(work, end - Date.parse(p.createdAt), { page: 'predictions', predictionId: p.id });
    },
    onTask(t) {
      const known = tasks.get(t.taskId);
      if (t.state === 'running' || t.state === 'succeeded') {
        if (!known) tasks.set(t.taskId, { name: t.progress.ref, since: Date.now() });
        if (t.state === 'running') return;
      }
      const task = tasks.get(t.taskId) ?? { name: t.kind === 'pull' ? 'an image' : 'a model', since: Date.now() };
      tasks.delete(t.taskId);
      const error = t.state === 'failed' || t.state === 'canceled' ? t.error.message : undefined;
      const work: FinishedWork =
        t.kind === 'pull'
          ? { kind: 'pull', ref: task.name, outcome: t.state, error }
          : { kind: 'push', model: task.name, outcome: t.state, error, url: t.state === 'succeeded' ? t.result.url : null };
      decide(work, Date.now() - task.since, { page: 'library' });
    },
  };
});
