/** A prediction this process runs, from `starting` until it ends: what the lifecycle keeps about it. */
import type { Prediction } from '../../../shared/domain';
import type { CogdeskError } from '../../../shared/errors';
import type { CogPredictionResponse } from '../cog/protocol';
import type { WarmContainer } from './pool';

export interface Running {
  id: string;
  /** Re-attached after a restart: the result comes by the `completed` webhook, not a response. */
  reattached?: boolean;
  canceled: boolean;
  timedOut: boolean;
  finished: boolean;
  /** A terminal webhook is being recorded: a retried one (the server sends it again when we answer slowly) is ignored. */
  ending?: boolean;
  container?: WarmContainer;
  /** When it reached the container (ISO): the container's logs from then on are this prediction's. */
  sentAt?: string;
  live: CogPredictionResponse | null;
  writes: Promise<unknown>;
  done: Promise<Prediction>;
  resolveDone: (p: Prediction) => void;
  timer?: NodeJS.Timeout;
  forceTimer?: NodeJS.Timeout;
  /** Its container was stopped because the model did not stop after a cancel. */
  forced?: boolean;
  /** A failure found outside the request (the disk filled up): it decides how the prediction ends. */
  failure?: CogdeskError;
  /** Secret input values, masked wherever logs or errors are kept. */
  secrets: readonly string[];
  /** The input as sent, to name the input URL a model could not download. */
  input?: Record<string, unknown>;
  /** How the container it waited for started (or why an earlier one was restarted): said at the top of its logs. */
  startNote?: string;
}

export function newRunning(id: string, o: { secrets?: readonly string[]; reattached?: boolean; container?: WarmContainer }): Running {
  let resolveDone!: (p: Prediction) => void;
  const done = new Promise<Prediction>((r) => (resolveDone = r));
  return {
    id,
    reattached: o.reattached,
    container: o.container,
    canceled: false,
    timedOut: false,
    finished: false,
    live: null,
    writes: Promise.resolve(),
    done,
    resolveDone,
    secrets: o.secrets ?? [],
  };
}
