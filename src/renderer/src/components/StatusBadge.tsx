import type { PredictionStatus } from '../../../shared/domain';

const MEANING: Partial<Record<PredictionStatus, string>> = {
  starting: 'Queued: waiting for the model to start or for a free slot',
  processing: 'Running on the model',
};

/** A prediction's status in Replicate's words, colored by outcome; queued (starting) and running (processing) say so on hover. */
export function StatusBadge({ status }: { status: PredictionStatus }) {
  return (
    <span className={`badge status-${status}`} title={MEANING[status]}>
      {status}
    </span>
  );
}
