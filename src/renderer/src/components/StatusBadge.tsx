import type { PredictionStatus } from '../../../shared/domain';

/** A prediction's status in Replicate's words, colored by outcome. */
export function StatusBadge({ status }: { status: PredictionStatus }) {
  return <span className={`badge status-${status}`}>{status}</span>;
}
