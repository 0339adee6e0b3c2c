/**
 * A model's worker that died under a container that still answers: coglet turns UNHEALTHY after a worker
 * crash (OOM, segfault) and later answers every prediction 409/BUSY; the legacy server goes DEFUNCT and
 * exits. A BUSY that never clears while none of Cogdesk's predictions runs there is the same fault. Each
 * means: fail what was in flight with the reason, discard the container, and start a fresh one next time.
 */
import { CogBusyError, HEALTH_TIMEOUT_MS, type CogClient } from '../cog/client';
import type { CogPredictionResponse } from '../cog/protocol';
import type { WarmContainer } from './pool';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const RESTARTED = 'Cogdesk restarted its container: run the prediction again (the next one starts a fresh container).';

/** The message every prediction that a crashed worker took down gets. */
export function workerCrashMessage(cause: string | null | undefined, status: string): string {
  const why = (cause ?? '').trim() || `its server reports ${status}`;
  return `The model's worker crashed: ${why.replace(/\.$/, '')}. ${RESTARTED}`;
}

/**
 * After a failed answer: asks the server whether its worker is still alive. UNHEALTHY (coglet) or DEFUNCT
 * (legacy) is a crash: the reason to fail with; anything else (a model's own error) is null. The check is
 * waited for as long as any health check (coglet runs the model's own, up to 10 s, before it says UNHEALTHY):
 * a shorter wait would take a slow crash report for a model's own error and keep the broken container.
 */
export async function crashedWorker(client: CogClient, error: string | null | undefined, waitMs = HEALTH_TIMEOUT_MS): Promise<string | null> {
  const health = await client.health(waitMs).catch(() => null);
  if (health?.status === 'UNHEALTHY' || health?.status === 'DEFUNCT') return workerCrashMessage(error, health.status);
  return null;
}

export interface SendOptions {
  /** Stop trying (the prediction was canceled before it reached the model). */
  canceled: () => boolean;
  /** How long a BUSY may last while none of Cogdesk's predictions runs on the container (default 10 s). */
  busyGraceMs: number;
}

/**
 * Raised when the container answers BUSY for good: its worker is stuck or dead, the container must go. The
 * prediction never reached the model, so it goes to a fresh container.
 */
export class StuckWorkerError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'StuckWorkerError';
  }
}

/**
 * Sends a prediction. A 409 just after a completion (coglet returns the slot a moment after it answers) is
 * retried quickly, then less often; a 409 while this is the only prediction Cogdesk runs there, for longer
 * than the grace (or at once when the server says UNHEALTHY), raises StuckWorkerError.
 */
export async function sendPrediction(
  container: WarmContainer,
  send: () => Promise<CogPredictionResponse>,
  o: SendOptions,
): Promise<CogPredictionResponse> {
  let wait = 5;
  let aloneSince = 0;
  let checkedAt = 0;
  for (;;) {
    try {
      return await send();
    } catch (e) {
      if (!(e instanceof CogBusyError) || o.canceled()) throw e;
    }
    const alone = container.running <= 1;
    aloneSince = alone ? aloneSince || Date.now() : 0;
    const busyFor = aloneSince ? Date.now() - aloneSince : 0;
    if (alone && busyFor >= Math.min(1_000, o.busyGraceMs) && Date.now() - checkedAt >= 1_000) {
      checkedAt = Date.now();
      // As patient as any health check: coglet's UNHEALTHY may come only after the model's own check (up to 10 s).
      const health = await container.client.health(HEALTH_TIMEOUT_MS).catch(() => null);
      if (health?.status === 'UNHEALTHY' || health?.status === 'DEFUNCT') {
        throw new StuckWorkerError(`its server reports ${health.status} (its worker crashed)`);
      }
    }
    if (alone && busyFor >= o.busyGraceMs) {
      throw new StuckWorkerError(`its server answered BUSY for ${(busyFor / 1000).toFixed(1)} s while none of Cogdesk's predictions ran on it (its worker is stuck)`);
    }
    await sleep(wait);
    wait = Math.min(wait * 2, 250);
  }
}
