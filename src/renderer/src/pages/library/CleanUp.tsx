import { useMemo, useState } from 'react';
import type { ErrorInfo } from '../../../../shared/errors';
import { ErrorNotice } from '../../components/ErrorNotice';
import { countOf, formatAgo, formatBytes } from '../../lib/format';
import { bytesFreed, unusedFor, type LibraryRow } from '../../lib/library';
import { useLibrary } from '../../state/library';

/**
 * Deletes, in one go, the models not used for N days (no prediction since; never run and added before), after
 * showing which and the disk it frees. Warm models stay.
 */
export function CleanUp({ rows }: { rows: LibraryRow[] }) {
  const [days, setDays] = useState('30');
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState<Array<{ modelId: string; error: ErrorInfo }>>([]);
  const [done, setDone] = useState<string | null>(null);
  const n = Number(days);
  const valid = Number.isInteger(n) && n >= 0;
  const stale = useMemo(() => (valid ? unusedFor(rows, n) : []), [rows, n, valid]);
  const freed = bytesFreed(stale);
  const remove = async () => {
    setBusy(true);
    setDone(null);
    const names = stale.map((r) => r.model.id);
    const errors = await useLibrary.getState().deleteModels(names);
    setFailed(errors);
    setDone(`Deleted ${countOf(names.length - errors.length, 'model')}, freed up to ${formatBytes(freed)}.`);
    setBusy(false);
    setAsking(false);
  };
  return (
    <section className="panel clean-up" aria-labelledby="clean-up-title">
      <h2 id="clean-up-title">Free disk space</h2>
      <div className="row">
        <label htmlFor="clean-up-days">Models not used for</label>
        <input
          id="clean-up-days"
          type="number"
          min={0}
          step={1}
          value={days}
          aria-invalid={!valid}
          onChange={(e) => {
            setDays(e.target.value);
            setAsking(false);
          }}
        />
        <span>days</span>
        <span className="muted small" data-testid="clean-up-summary">
          {valid ? `${countOf(stale.length, 'model')}, ${formatBytes(freed)}` : 'Enter a whole number of days.'}
        </span>
        {!asking && (
          <button type="button" className="danger-quiet" disabled={!valid || stale.length === 0 || busy} onClick={() => setAsking(true)}>
            Review…
          </button>
        )}
      </div>
      {asking && stale.length > 0 && (
        <div className="confirm" role="group" aria-label="Models to delete">
          <ul className="compact-list">
            {stale.map((r) => (
              <li key={r.model.id} data-stale-model={r.model.id}>
                <span className="mono">{r.model.id}</span> · {formatBytes(r.sizeBytes)}
                {r.keptBytes !== null && ` + ${formatBytes(r.keptBytes)} of kept weights`} ·{' '}
                <span className="muted">{r.lastUsed ? `last used ${formatAgo(r.lastUsed)}` : `never used, added ${formatAgo(r.model.createdAt)}`}</span>
              </li>
            ))}
          </ul>
          <p>
            Deleting their images and kept weights frees up to <strong data-testid="clean-up-total">{formatBytes(freed)}</strong> (layers that other images
            share stay).
            Their predictions and outputs are kept.
          </p>
          <div className="row">
            <button type="button" className="danger" disabled={busy} onClick={() => void remove()}>
              {busy ? 'Deleting…' : `Delete ${countOf(stale.length, 'model')}, ${formatBytes(freed)}`}
            </button>
            <button type="button" disabled={busy} onClick={() => setAsking(false)}>
              Keep them
            </button>
          </div>
        </div>
      )}
      {done && (
        <p className="muted" role="status">
          {done}
        </p>
      )}
      {failed.map((f) => (
        <ErrorNotice key={f.modelId} error={f.error} title={`Could not delete ${f.modelId}`} onDismiss={() => setFailed(failed.filter((x) => x !== f))} />
      ))}
    </section>
  );
}
