import { useState } from 'react';
import type { ErrorInfo } from '../../../shared/errors';
import { api } from '../api';
import { errorInfo } from '../lib/errors';
import { InlineProblem } from '../components/InlineProblem';

/**
 * "Show in folder": the system's file manager opens at the file (in the app); where none can be asked,
 * the file's path is shown instead, to open by hand.
 */
export function ShowInFolder({ predictionId, path }: { predictionId: string; path: string }) {
  const [where, setWhere] = useState<string | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const show = async () => {
    setError(null);
    try {
      const r = await api.showPredictionFile(predictionId, path);
      setWhere(r.shown ? null : r.path);
    } catch (e) {
      setError(errorInfo(e));
    }
  };
  return (
    <>
      <button type="button" className="link" onClick={() => void show()}>
        Show in folder
      </button>
      {where && (
        <small className="file-where" data-testid="file-where">
          {' '}
          It is at <span className="mono">{where}</span>
        </small>
      )}
      {error && <InlineProblem error={error} />}
    </>
  );
}
