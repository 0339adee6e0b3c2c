import { useEffect, useMemo, useState } from 'react';
import type { Prediction } from '../../../../shared/domain';
import type { ErrorInfo } from '../../../../shared/errors';
import { CostLine } from '../../components/CostLine';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { StatusBadge } from '../../components/StatusBadge';
import { OutputView } from '../../output/OutputView';
import { inputRows } from '../../lib/compare';
import { errorInfo } from '../../lib/errors';
import { formatSeconds, shortId } from '../../lib/format';
import { useVersion } from '../../lib/useVersion';
import { useEngine } from '../../state/engine';
import { useNavigation } from '../../state/navigation';
import { usePredictions } from '../../state/predictions';
import './compare.css';

/** Where a prediction ran, in words (a cloud run says so once the history records it). */
function whereRan(p: Prediction): string {
  return (p as { runOn?: string }).runOn === 'replicate' ? 'on Replicate' : 'here';
}

function show(v: unknown): string {
  if (v === undefined) return '(not set)';
  if (typeof v === 'string') return v.startsWith('data:') ? '(file)' : v;
  return JSON.stringify(v);
}

function Side({ p }: { p: Prediction }) {
  const { schema } = useVersion(p.versionId);
  const dataDir = useEngine((s) => s.status?.dataDir ?? '');
  const go = useNavigation((s) => s.go);
  return (
    <section className="panel compare-side" aria-label={`Prediction ${p.id}`} data-prediction-id={p.id}>
      <h2>
        <button type="button" className="link mono" onClick={() => go({ page: 'predictions', predictionId: p.id })}>
          {shortId(p.id, 10)}
        </button>{' '}
        <StatusBadge status={p.status} />
      </h2>
      <p className="muted small" data-testid="where">
        Ran {whereRan(p)} · {new Date(p.createdAt).toLocaleString()}
      </p>
      <p data-testid="predict-time">Predict time: {formatSeconds(p.metrics?.predict_time)}</p>
      <CostLine prediction={p} />
      <OutputView prediction={p} kind={schema?.output.kind ?? 'unknown'} dataDir={dataDir} />
    </section>
  );
}

/** Two predictions side by side: inputs with their differences marked, outputs, predict time and cost. */
export function ComparePage({ ids }: { ids: [string, string] }) {
  const byId = usePredictions((s) => s.byId);
  const fetch = usePredictions((s) => s.fetch);
  const go = useNavigation((s) => s.go);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [missing, setMissing] = useState<string[]>([]);
  useEffect(() => {
    setError(null);
    Promise.all(ids.map((id) => fetch(id))).then(
      (found) => setMissing(ids.filter((_, i) => !found[i])),
      (e) => setError(errorInfo(e)),
    );
  }, [ids, fetch]);
  const [a, b] = [byId[ids[0]], byId[ids[1]]];
  const rows = useMemo(() => (a && b ? inputRows(a.input, b.input) : []), [a, b]);
  const back = (
    <button type="button" className="link" onClick={() => go({ page: 'predictions' })}>
      ← All predictions
    </button>
  );
  if (missing.length) {
    return (
      <>
        <PageHeader title="Compare">{back}</PageHeader>
        <p>No prediction {missing.join(' or ')} here: it may have been deleted.</p>
      </>
    );
  }
  if (error) return <ErrorNotice error={error} />;
  if (!a || !b) return <Loading text="Loading the predictions…" />;
  const differing = rows.filter((r) => r.differs).length;
  return (
    <>
      <PageHeader title="Compare">{back}</PageHeader>
      <p className="muted">
        {a.modelId === b.modelId ? a.modelId : `${a.modelId} and ${b.modelId} (two different models)`} ·{' '}
        {differing === 0 ? 'the same input' : differing === 1 ? '1 input differs' : `${differing} inputs differ`}
      </p>
      <table className="compare-inputs" aria-label="Inputs">
        <thead>
          <tr>
            <th scope="col">Input</th>
            <th scope="col">{shortId(a.id, 10)}</th>
            <th scope="col">{shortId(b.id, 10)}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.name} className={r.differs ? 'differs' : undefined} data-differs={r.differs}>
              <th scope="row" className="mono">
                {r.name}
              </th>
              <td>{show(r.a)}</td>
              <td>{show(r.b)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="compare">
        <Side p={a} />
        <Side p={b} />
      </div>
    </>
  );
}
