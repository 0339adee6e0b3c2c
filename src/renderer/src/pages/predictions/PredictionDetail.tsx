import { useEffect, useMemo, useState } from 'react';
import { isTerminal, type RunOn } from '../../../../shared/domain';
import type { ErrorInfo } from '../../../../shared/errors';
import { api } from '../../api';
import { AddExampleButton } from '../../components/AddExampleButton';
import { ConfirmButton } from '../../components/ConfirmButton';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { PredictionView } from '../../components/PredictionView';
import { formFields } from '../../form/fields';
import { replicateModel } from '../../lib/apiName';
import { errorInfo } from '../../lib/errors';
import { shortId } from '../../lib/format';
import { useTokenPresent } from '../../lib/useToken';
import { useVersion } from '../../lib/useVersion';
import { useNavigation } from '../../state/navigation';
import { usePredictions } from '../../state/predictions';
import { InputView } from './InputView';

/** One prediction: input, output, logs and timings; re-run, open in the playground, add to examples, delete. */
export function PredictionDetail({ id }: { id: string }) {
  const prediction = usePredictions((s) => s.byId[id]);
  const { fetch, forget } = usePredictions();
  const go = useNavigation((s) => s.go);
  const { version, schema, loaded } = useVersion(prediction?.versionId ?? null);
  const fields = useMemo(() => (schema ? formFields(schema) : []), [schema]);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [missing, setMissing] = useState(false);
  const token = useTokenPresent();

  useEffect(() => {
    setError(null);
    fetch(id).then(
      (p) => setMissing(!p),
      (e) => setError(errorInfo(e)),
    );
  }, [id, fetch]);

  const act = async (what: () => Promise<void>) => {
    setError(null);
    try {
      await what();
    } catch (e) {
      setError(errorInfo(e));
    }
  };
  const remote = prediction ? replicateModel(prediction.modelId) : null;
  /** The same input again: here (the local version) or on Replicate (the same version there, else the model's latest). */
  const rerun = (on: RunOn) =>
    act(async () => {
      const here = on === 'local';
      const version = here ? prediction!.versionId : prediction!.versionId ? `${remote}:${prediction!.versionId}` : remote!;
      const p = await api.createPrediction({ version, input: prediction!.input, source: 'app', ...(here ? {} : { on }) });
      usePredictions.getState().upsert(p);
      if (here) go({ page: 'playground', predictionId: p.id, modelId: p.modelId, versionId: p.versionId });
      else go({ page: 'predictions', predictionId: p.id });
    });
  const remove = () =>
    act(async () => {
      await api.deletePrediction(id);
      forget(id);
      go({ page: 'predictions' });
    });

  const back = (
    <button type="button" className="link" onClick={() => go({ page: 'predictions' })}>
      ← All predictions
    </button>
  );
  if (missing) {
    return (
      <>
        <PageHeader title="Prediction not found">{back}</PageHeader>
        <p>No prediction {id} here: it may have been deleted.</p>
      </>
    );
  }
  if (!prediction) return <Loading text="Loading the prediction…" />;
  const running = !isTerminal(prediction.status);
  return (
    <>
      <PageHeader title={`Prediction ${shortId(prediction.id, 10)}`}>{back}</PageHeader>
      <p className="muted">
        {prediction.modelId} · version <span className="mono">{prediction.versionId ? shortId(prediction.versionId) : '(latest)'}</span> · from {prediction.source}
        {prediction.runOn === 'replicate' ? ' · ran on Replicate' : loaded && !version && ' · this version is no longer on this machine'}
      </p>
      {error && <ErrorNotice error={error} onDismiss={() => setError(null)} />}
      <div className="playground">
        <section className="panel" aria-label="Input">
          <h2>Input</h2>
          <InputView predictionId={prediction.id} input={prediction.input} fields={fields} />
        </section>
        <section className="panel" aria-label="Prediction">
          <h2>Output</h2>
          <PredictionView
            prediction={prediction}
            kind={schema?.output.kind ?? 'unknown'}
            actions={
              <>
                {running ? (
                  <button type="button" onClick={() => void act(() => api.cancelPrediction(id))}>
                    Cancel
                  </button>
                ) : (
                  <>
                    <button type="button" className="primary" disabled={!version} onClick={() => void rerun('local')} title={version ? undefined : 'This version is not on this machine'}>
                      {prediction.runOn === 'replicate' ? 'Run this input here' : 'Re-run'}
                    </button>
                    {remote && token && (
                      <button type="button" onClick={() => void rerun('replicate')}>
                        {prediction.runOn === 'replicate' ? 'Re-run on Replicate' : 'Run this input on Replicate'}
                      </button>
                    )}
                  </>
                )}
                <button type="button" disabled={!version} onClick={() => go({ page: 'playground', predictionId: id, modelId: prediction.modelId, versionId: prediction.versionId })}>
                  Open in Playground
                </button>
                <AddExampleButton key={prediction.id} prediction={prediction} />
                <ConfirmButton label="Delete" confirmLabel="Delete for good?" disabled={running} onConfirm={() => void remove()} />
              </>
            }
          />
        </section>
      </div>
    </>
  );
}
