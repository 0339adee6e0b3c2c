import type { Prediction, PredictionStatus } from '../../../shared/domain';

const RANK: Record<PredictionStatus, number> = { starting: 0, processing: 1, succeeded: 2, failed: 2, canceled: 2 };

/**
 * Which of two copies of a prediction to keep. Events arrive in order, but the answer to createPrediction
 * (`starting`) can come after the first `processing` event: a copy never goes back to an earlier status.
 */
export function laterPrediction(existing: Prediction | undefined, incoming: Prediction): Prediction {
  if (!existing) return incoming;
  return RANK[incoming.status] >= RANK[existing.status] ? incoming : existing;
}
