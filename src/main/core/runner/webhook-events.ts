/**
 * Which webhook events a prediction asks its container for, if any. Each costs the warm path: the legacy
 * server sends the terminal webhook (and flushes logs) before it answers, a round trip each; coglet and the
 * Go runtime take a prediction that names a webhook async, its result by the `completed` webhook; and every
 * event received is a database write. Measured on the fixtures (p50, interleaved, n=150): no webhook
 * 1.25 ms over a direct POST, `logs` +0.76 ms, `completed` +0.65 ms, both +1.21 ms.
 *
 * What the events buy, and when it is worth it:
 * - `output` (and `logs`) for a model that streams: its partial output is the point. Always.
 * - `logs` and `completed` for the others: live logs to watch, and a result a restarted Cogdesk can take
 *   back after a crash (re-attaching). Both matter only for a prediction long enough to watch or to outlive a
 *   crash. A prediction on a container whose last one took under a second asks for none, is sent sync, and
 *   takes its result, logs included, from the answer; the first on a container (unknown), and any after a
 *   slow one, ask for both. So a quick model's warm path costs no round trip, and a slow model keeps its
 *   live logs and its re-attachment.
 */
import type { WebhookEvent } from '../cog/protocol';

/** A prediction that ran for less than this (send to answer) counts as quick. */
export const QUICK_MS = 1_000;

export function webhookEvents(o: { streamsOutput: boolean; lastRunMs?: number }): WebhookEvent[] | null {
  if (o.streamsOutput) return ['output', 'logs', 'completed'];
  if (o.lastRunMs !== undefined && o.lastRunMs < QUICK_MS) return null;
  return ['logs', 'completed'];
}
