/**
 * When long work ends while the window is in the background, a desktop notification says so. Pure: given
 * what ended, how long it took, whether the window has the focus and the setting, whether to notify and
 * with what words. Pulls and pushes always count as long work; a prediction counts past 30 s. A cancel is
 * the person's own doing, so it never notifies.
 */
import { formatSeconds } from './format';

export const LONG_PREDICTION_MS = 30_000;

export type Outcome = 'succeeded' | 'failed' | 'canceled';

export type FinishedWork =
  | { kind: 'pull'; ref: string; outcome: Outcome; error?: string }
  | { kind: 'push'; model: string; outcome: Outcome; url?: string | null; error?: string }
  | { kind: 'prediction'; model: string; id: string; outcome: Outcome; error?: string | null };

export interface NotifyContext {
  /** How long the work took, in milliseconds. */
  durationMs: number;
  /** document.hasFocus() when it ended. */
  focused: boolean;
  /** Settings.notifyWhenDone */
  enabled: boolean;
}

export interface DesktopNotice {
  title: string;
  body: string;
  /** One notice per piece of work: a later one for the same replaces it. */
  tag: string;
}

const firstLine = (text: string | null | undefined) => (text ?? '').trim().split('\n')[0].slice(0, 200);

export function notificationFor(work: FinishedWork, ctx: NotifyContext): DesktopNotice | null {
  if (!ctx.enabled || ctx.focused || work.outcome === 'canceled') return null;
  if (work.kind === 'prediction' && !(ctx.durationMs > LONG_PREDICTION_MS)) return null;
  const took = formatSeconds(ctx.durationMs / 1000);
  const failed = work.outcome === 'failed';
  switch (work.kind) {
    case 'pull':
      return failed
        ? { title: `Pull failed: ${work.ref}`, body: firstLine(work.error) || 'Open the Library to see why.', tag: `pull:${work.ref}` }
        : { title: `Pulled ${work.ref}`, body: 'Ready to run in the Playground.', tag: `pull:${work.ref}` };
    case 'push':
      return failed
        ? { title: `Push failed: ${work.model}`, body: firstLine(work.error) || 'Open the Library to see why.', tag: `push:${work.model}` }
        : { title: `Pushed ${work.model}`, body: work.url ? `Published on Replicate: ${work.url}` : `Published on Replicate (took ${took}).`, tag: `push:${work.model}` };
    case 'prediction':
      return failed
        ? { title: `${work.model}: prediction failed`, body: `After ${took}: ${firstLine(work.error) || 'see its logs in Predictions.'}`, tag: `prediction:${work.id}` }
        : { title: `${work.model}: prediction done`, body: `Succeeded in ${took}. Click to see the output.`, tag: `prediction:${work.id}` };
  }
}
