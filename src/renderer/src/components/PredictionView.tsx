import type { ReactNode } from 'react';
import { isTerminal, type Prediction } from '../../../shared/domain';
import type { OutputKind } from '../../../shared/schema';
import { OutputView } from '../output/OutputView';
import { useEngine } from '../state/engine';
import { CostLine } from './CostLine';
import { LogView } from './LogView';
import { RanOn } from './RanOn';
import { StatusBadge } from './StatusBadge';
import { Timings } from './Timings';

/** One prediction as it runs and after: status, error, timings, output by kind, live logs, and actions. */
export function PredictionView({ prediction, kind, actions }: { prediction: Prediction; kind: OutputKind; actions?: ReactNode }) {
  const dataDir = useEngine((s) => s.status?.dataDir ?? '');
  const running = !isTerminal(prediction.status);
  return (
    <article className="prediction" aria-label={`Prediction ${prediction.id}`} data-prediction-id={prediction.id} data-status={prediction.status}>
      <div className="section-head">
        <p className="prediction-title">
          <StatusBadge status={prediction.status} /> <span className="mono muted">{prediction.id}</span> <RanOn prediction={prediction} />
        </p>
        {running && <span className="spinner" aria-label="Running" />}
      </div>
      {prediction.error && (
        <div className="notice notice-error" role="alert">
          <p className="notice-message">{prediction.error}</p>
          <p className="notice-hint">The logs below show what the model printed before it stopped.</p>
        </div>
      )}
      <Timings prediction={prediction} />
      {!running && <CostLine prediction={prediction} />}
      {actions && <div className="actions">{actions}</div>}
      <OutputView prediction={prediction} kind={kind} dataDir={dataDir} />
      <LogView logs={prediction.logs} live={running} />
    </article>
  );
}
