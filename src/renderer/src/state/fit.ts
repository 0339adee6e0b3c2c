import { useEffect } from 'react';
import { create } from 'zustand';
import type { ErrorInfo } from '../../../shared/errors';
import type { Fit } from '../../../shared/hardware';
import { api } from '../api';
import { errorInfo } from '../lib/errors';

export type FitEntry =
  | { state: 'queued' | 'checking' }
  | { state: 'done'; fit: Fit; at: number }
  | { state: 'failed'; error: ErrorInfo; at: number };

interface Wanted {
  model: string;
  version: string;
  /** How many shown cards want it; a queued check nobody wants any more is dropped. */
  refs: number;
}

interface FitState {
  /** Per Replicate version id. */
  byVersion: Record<string, FitEntry>;
  /** A card is shown: check its version (at most MAX_RUNNING at a time); the returned function says it is gone. */
  want(model: string, version: string): () => void;
}

/** How many checkFit calls run at once: the rest wait their turn. */
export const MAX_RUNNING = 2;
/** "Could not check" answers (offline) and failures are asked again when shown after this long. */
const RETRY_AFTER_MS = 60_000;

/**
 * Whether Replicate models fit this machine, for the cards shown (the Explore list is virtualized, so only
 * the visible cards ask) and the model page: api.checkFit({model, version}), two at a time, cached per
 * version id (a version's image never changes; the engine keeps the answers too).
 */
export const useFits = create<FitState>((set, get) => {
  const wanted = new Map<string, Wanted>();
  const queue: string[] = [];
  const queued = new Set<string>();
  let running = 0;

  const put = (version: string, entry: FitEntry) => set({ byVersion: { ...get().byVersion, [version]: entry } });

  const pump = () => {
    while (running < MAX_RUNNING && queue.length > 0) {
      const version = queue.shift()!;
      queued.delete(version);
      const w = wanted.get(version);
      if (!w || w.refs <= 0) {
        wanted.delete(version);
        continue;
      }
      running++;
      put(version, { state: 'checking' });
      api
        .checkFit({ model: w.model, version })
        .then(
          (fit) => put(version, { state: 'done', fit, at: Date.now() }),
          (e: unknown) => put(version, { state: 'failed', error: errorInfo(e), at: Date.now() }),
        )
        .finally(() => {
          running--;
          if ((wanted.get(version)?.refs ?? 0) <= 0) wanted.delete(version);
          pump();
        });
    }
  };

  const stale = (e: FitEntry | undefined): boolean => {
    if (!e) return true;
    if (e.state === 'failed') return Date.now() - e.at > RETRY_AFTER_MS;
    if (e.state === 'done') return e.fit.kind === 'unknown' && Date.now() - e.at > RETRY_AFTER_MS;
    return false;
  };

  return {
    byVersion: {},
    want(model, version) {
      const w = wanted.get(version) ?? { model, version, refs: 0 };
      w.refs++;
      wanted.set(version, w);
      const entry = get().byVersion[version];
      if (stale(entry) && !queued.has(version) && entry?.state !== 'checking') {
        queue.push(version);
        queued.add(version);
        pump();
      }
      let released = false;
      return () => {
        if (released) return;
        released = true;
        w.refs--;
      };
    },
  };
});

/** The fit of a model's version, asked for while the calling component is shown; null without a version. */
export function useFit(model: string, version: string | null | undefined): FitEntry | null {
  const entry = useFits((s) => (version ? s.byVersion[version] : undefined));
  useEffect(() => {
    if (!version) return;
    return useFits.getState().want(model, version);
  }, [model, version]);
  return version ? (entry ?? { state: 'queued' }) : null;
}
