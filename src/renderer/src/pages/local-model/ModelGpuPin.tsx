import { useEffect, useRef, useState } from 'react';
import type { ErrorInfo } from '../../../../shared/errors';
import type { GpuLive } from '../../../../shared/hardware';
import { api } from '../../api';
import { errorInfo } from '../../lib/errors';

/**
 * Which GPUs a GPU model's containers get: any one (where it fits best, the default) or the ticked ones, all
 * of them together (`cogdesk run --gpus` for one run). Saved at once; used at the model's next cold start.
 */
export function ModelGpuPin({ modelId }: { modelId: string }) {
  const [gpus, setGpus] = useState<GpuLive[] | null>(null);
  const [pinned, setPinned] = useState<string[]>([]);
  const [error, setError] = useState<ErrorInfo | null>(null);

  useEffect(() => {
    let gone = false;
    Promise.all([api.getGpuUsage(), api.getModelGpus(modelId)]).then(
      ([usage, pins]) => {
        if (gone) return;
        setGpus(usage.gpus);
        setPinned(pins);
      },
      (e) => !gone && setError(errorInfo(e)),
    );
    return () => {
      gone = true;
    };
  }, [modelId]);

  /** The last save asked for: an older answer (clicks in a row) does not undo a newer tick. */
  const asked = useRef(0);
  /** Ticks at once, as a person expects of a checkbox; the saved answer replaces it, a failure puts it back. */
  const save = async (ids: string[]) => {
    const before = pinned;
    const n = ++asked.current;
    setError(null);
    setPinned(ids);
    try {
      const saved = await api.setModelGpus(modelId, ids);
      if (n === asked.current) setPinned(saved);
    } catch (e) {
      if (n !== asked.current) return;
      setPinned(before);
      setError(errorInfo(e));
    }
  };

  if (!gpus || gpus.length === 0) return null;
  const unknown = pinned.filter((id) => !gpus.some((g) => g.uuid === id));
  return (
    <section aria-labelledby="local-gpus-title" data-testid="model-gpus">
      <h2 id="local-gpus-title">GPUs</h2>
      <fieldset className="gpu-choice">
        <legend className="muted small">Where its container runs (from its next start)</legend>
        <label className="check">
          <input type="checkbox" checked={pinned.length === 0} onChange={() => void save([])} /> Any one GPU: the one with the most free memory where it fits
        </label>
        {gpus.map((g) => (
          <label key={g.uuid} className="check">
            <input
              type="checkbox"
              checked={pinned.includes(g.uuid)}
              onChange={(e) => void save(e.target.checked ? [...pinned, g.uuid] : pinned.filter((id) => id !== g.uuid))}
            />{' '}
            GPU {g.index}: {g.name} <span className="mono muted small">{g.uuid}</span>
          </label>
        ))}
        {unknown.map((id) => (
          <label key={id} className="check">
            <input type="checkbox" checked onChange={() => void save(pinned.filter((x) => x !== id))} /> <span className="mono">{id}</span>{' '}
            <span className="muted">(not on this machine now)</span>
          </label>
        ))}
      </fieldset>
      {error && <p className="field-error">{error.message}</p>}
    </section>
  );
}
