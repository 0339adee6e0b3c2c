import type { PredictionStatus } from '../../../shared/domain';
import type { CogPredictionResponse } from '../cog/protocol';

const RANK: Record<PredictionStatus, number> = { starting: 0, processing: 1, succeeded: 2, failed: 2, canceled: 2 };

/**
 * Webhooks can arrive out of order: keep the fullest state, never the latest arrival.
 * A later status never goes back (processing never undoes succeeded), and logs and
 * iterator output only grow.
 */
export function fullest(current: CogPredictionResponse | null, next: CogPredictionResponse): CogPredictionResponse {
  if (!current) return next;
  // A terminal answer may carry shorter logs than the webhooks did (coglet's sync failure answers `logs: ""`): keep the longer.
  if (RANK[next.status] > RANK[current.status]) return (next.logs ?? '').length >= (current.logs ?? '').length ? next : { ...next, logs: current.logs };
  if (RANK[next.status] < RANK[current.status]) return current;
  const merged = { ...current };
  if ((next.logs ?? '').length >= (current.logs ?? '').length) merged.logs = next.logs;
  if (Array.isArray(next.output) && Array.isArray(current.output)) {
    if (next.output.length >= current.output.length) merged.output = next.output;
  } else if (next.output !== undefined && next.output !== null) {
    merged.output = next.output;
  }
  for (const key of ['error', 'completed_at', 'metrics', 'started_at'] as const) {
    if (next[key] !== undefined && next[key] !== null) (merged as Record<string, unknown>)[key] = next[key];
  }
  return merged;
}
