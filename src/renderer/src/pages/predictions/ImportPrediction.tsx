import { useState, type FormEvent } from 'react';
import type { ErrorInfo } from '../../../../shared/errors';
import { api } from '../../api';
import { ErrorNotice } from '../../components/ErrorNotice';
import { errorInfo } from '../../lib/errors';
import { useNavigation } from '../../state/navigation';
import { usePredictions } from '../../state/predictions';

/** Keeps a prediction made on Replicate elsewhere (the web, another client) in the history, by its id. */
export function ImportPrediction() {
  const [id, setId] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const go = useNavigation((s) => s.go);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const replicateId = id.trim();
    if (!replicateId) return;
    setBusy(true);
    setError(null);
    try {
      const p = await api.importPrediction(replicateId);
      usePredictions.getState().upsert(p);
      setId('');
      go({ page: 'predictions', predictionId: p.id });
    } catch (err) {
      setError(errorInfo(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="import-prediction" onSubmit={(e) => void submit(e)} aria-label="Import from Replicate">
      <label htmlFor="import-id">Import a prediction from Replicate</label>{' '}
      <input id="import-id" className="mono" placeholder="Its id on Replicate" value={id} onChange={(e) => setId(e.target.value)} />{' '}
      <button type="submit" disabled={busy || !id.trim()}>
        {busy ? 'Importing…' : 'Import'}
      </button>
      {error && <ErrorNotice error={error} onDismiss={() => setError(null)} />}
    </form>
  );
}
