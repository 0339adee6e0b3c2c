import { isTerminal, type Prediction } from '../../../shared/domain';
import { formatSeconds, formatTime, secondsBetween } from '../lib/format';
import { useNow } from '../lib/useNow';

/** When a prediction was created, started and completed, how long it waited, and its predict time. */
export function Timings({ prediction }: { prediction: Prediction }) {
  const running = !isTerminal(prediction.status);
  const now = useNow(running);
  const waited = secondsBetween(prediction.createdAt, prediction.startedAt ?? (running ? null : prediction.completedAt), now);
  const predictTime = prediction.metrics?.predict_time ?? (prediction.startedAt ? secondsBetween(prediction.startedAt, prediction.completedAt, now) : null);
  const total = prediction.metrics?.total_time ?? secondsBetween(prediction.createdAt, prediction.completedAt, now);
  return (
    <dl className="timings">
      <div>
        <dt>Created</dt>
        <dd>{formatTime(prediction.createdAt)}</dd>
      </div>
      <div>
        <dt>Waited</dt>
        <dd>{formatSeconds(waited)}</dd>
      </div>
      <div>
        <dt>Predict time</dt>
        <dd data-testid="predict-time">{formatSeconds(predictTime)}</dd>
      </div>
      <div>
        <dt>Total</dt>
        <dd>{formatSeconds(total)}</dd>
      </div>
    </dl>
  );
}
