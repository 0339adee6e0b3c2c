import { useEffect, useState } from 'react';
import type { ModelSettings } from '../../../../shared/domain';
import type { ErrorInfo } from '../../../../shared/errors';
import { api } from '../../api';
import { errorInfo } from '../../lib/errors';

const FROM: Record<string, string> = {
  env: "its image's COG_MAX_CONCURRENCY",
  'cog-config': "its cog.yaml's concurrency.max",
  health: "its server's health check",
  default: 'nothing in its image says more',
};

/**
 * How many predictions the model runs at once: what its image says (shown), or the person's own number
 * (`cogdesk run --concurrency N` sets the same). Beyond it, predictions wait their turn as `starting`.
 */
export function ModelConcurrency({ modelId }: { modelId: string }) {
  const [settings, setSettings] = useState<ModelSettings | null>(null);
  const [draft, setDraft] = useState('');
  const [error, setError] = useState<ErrorInfo | null>(null);

  useEffect(() => {
    let gone = false;
    api.getModelSettings(modelId).then(
      (s) => {
        if (gone) return;
        setSettings(s);
        setDraft(s.concurrency === null ? '' : String(s.concurrency));
      },
      (e) => !gone && setError(errorInfo(e)),
    );
    return () => {
      gone = true;
    };
  }, [modelId]);

  const save = async (concurrency: number | null) => {
    setError(null);
    try {
      const s = await api.updateModelSettings(modelId, { concurrency });
      setSettings(s);
      setDraft(s.concurrency === null ? '' : String(s.concurrency));
    } catch (e) {
      setError(errorInfo(e));
    }
  };

  if (!settings) return error ? <p className="field-error">{error.message}</p> : null;
  const image = settings.imageConcurrency;
  const parsed = draft.trim() === '' ? null : Number(draft);
  const changed = parsed !== settings.concurrency;
  return (
    <section aria-labelledby="local-concurrency-title" data-testid="model-concurrency">
      <h2 id="local-concurrency-title">Predictions at once</h2>
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          void save(parsed);
        }}
      >
        <label>
          Runs{' '}
          <input
            type="number"
            min={1}
            max={256}
            step={1}
            value={draft}
            placeholder={String(image?.limit ?? 1)}
            aria-label="Predictions at once"
            onChange={(e) => setDraft(e.target.value)}
          />{' '}
          at once
        </label>{' '}
        <button type="submit" disabled={!changed}>
          Save
        </button>{' '}
        {settings.concurrency !== null && (
          <button type="button" className="link" onClick={() => void save(null)}>
            Use the image's
          </button>
        )}
      </form>
      <p className="muted small">
        {settings.concurrency === null
          ? `${image?.limit ?? 1} at once: ${FROM[image?.source ?? 'default']}.`
          : `Your setting: ${settings.concurrency} at once (the image says ${image?.limit ?? 1}).`}{' '}
        More wait their turn (starting). A higher number than the model was built for can run it out of memory.
      </p>
      {error && <p className="field-error">{error.message}</p>}
    </section>
  );
}
