import { useEffect, useRef, useState } from 'react';
import type { ErrorInfo } from '../../../../shared/errors';
import { api } from '../../api';
import { errorInfo } from '../../lib/errors';

/**
 * "Local only": the local API never runs this model on Replicate, even when routing to Replicate is on in
 * Settings and a version of it that is not here is asked for. Saved at once.
 */
export function ModelLocalOnly({ modelId }: { modelId: string }) {
  const [localOnly, setLocalOnly] = useState<boolean | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);

  useEffect(() => {
    let gone = false;
    api.getModelSettings(modelId).then(
      (s) => !gone && setLocalOnly(s.localOnly === true),
      (e) => !gone && setError(errorInfo(e)),
    );
    return () => {
      gone = true;
    };
  }, [modelId]);

  /** The last save asked for: an older answer (clicks in a row) does not undo a newer tick. */
  const asked = useRef(0);
  /** Ticks at once, as a checkbox does; the saved answer replaces it, a failure puts it back with the error. */
  const save = async (on: boolean) => {
    const before = localOnly;
    const n = ++asked.current;
    setError(null);
    setLocalOnly(on);
    try {
      const saved = await api.updateModelSettings(modelId, { localOnly: on });
      if (n === asked.current) setLocalOnly(saved.localOnly === true);
    } catch (e) {
      if (n !== asked.current) return;
      setLocalOnly(before);
      setError(errorInfo(e));
    }
  };

  if (localOnly === null) return error ? <p className="field-error">{error.message}</p> : null;
  return (
    <section aria-labelledby="local-only-title" data-testid="model-local-only">
      <h2 id="local-only-title">Where it runs</h2>
      <label className="check">
        <input type="checkbox" checked={localOnly} onChange={(e) => void save(e.target.checked)} /> Local only: the local API never runs it on Replicate
      </label>
      <p className="muted small">With routing to Replicate on (Settings, Local API), a version of this model that is not here would otherwise run there with your token.</p>
      {error && <p className="field-error">{error.message}</p>}
    </section>
  );
}
