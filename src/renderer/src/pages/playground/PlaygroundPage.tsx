import { useEffect, type FormEvent, type KeyboardEvent } from 'react';
import { isTerminal } from '../../../../shared/domain';
import { AddExampleButton } from '../../components/AddExampleButton';
import { EmptyState } from '../../components/EmptyState';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { PredictionView } from '../../components/PredictionView';
import { focusField, InputForm } from '../../form/InputForm';
import { useLibrary } from '../../state/library';
import { useNavigation, type Route } from '../../state/navigation';
import { fieldErrors, usePlayground } from '../../state/playground';
import { usePredictions } from '../../state/predictions';
import { ModelPicker } from './ModelPicker';
import { PrefillNote } from './PrefillNote';
import { RunBar } from './RunBar';

/** Replicate's playground for a local model: the generated form on the left, the prediction on the right. */
export function PlaygroundPage({ route }: { route: Route }) {
  const pg = usePlayground();
  const { models, loaded, refresh } = useLibrary();
  const prediction = usePredictions((s) => (pg.predictionId ? s.byId[pg.predictionId] : undefined));
  const go = useNavigation((s) => s.go);

  useEffect(() => {
    if (!loaded) void refresh();
  }, [loaded, refresh]);
  useEffect(() => {
    if (route.modelId || route.versionId || route.predictionId || !usePlayground.getState().version) void usePlayground.getState().open(route);
  }, [route]);

  const submit = async (e?: FormEvent) => {
    e?.preventDefault();
    const bad = await pg.run();
    if (bad) focusField(bad);
  };
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) void submit(e as unknown as FormEvent);
  };

  if (loaded && models.length === 0) {
    return (
      <>
        <PageHeader title="Playground" />
        <EmptyState title="Nothing to run yet" action="Find a model on Explore" onAction={() => go({ page: 'explore' })}>
          The Playground runs the models on this machine, and there are none yet. Find one on Explore and press{' '}
          <strong>Run locally</strong>: its form opens here, ready to run.
        </EmptyState>
      </>
    );
  }

  return (
    <>
      <PageHeader title="Playground">
        <ModelPicker modelId={pg.modelId} versionId={pg.version?.id ?? null} />
      </PageHeader>
      {pg.loading && <Loading text="Loading the model's form…" />}
      {pg.loadError && <ErrorNotice error={pg.loadError} />}
      <div className="playground">
        <form
          className="panel"
          aria-label="Input"
          aria-busy={pg.loading}
          data-model-id={pg.version?.modelId}
          data-version-id={pg.version?.id}
          onSubmit={(e) => void submit(e)} onKeyDown={onKeyDown} noValidate>
          <div className="section-head">
            <h2>Input</h2>
            {pg.version && <PrefillNote prefill={pg.prefill} />}
          </div>
          {pg.version && (
            <InputForm
              fields={pg.fields}
              drafts={pg.drafts}
              errorsFor={(name) => fieldErrors(pg, name)}
              onChange={pg.setDraft}
              onBlur={pg.touch}
              sourcePredictionId={pg.prefill.from === 'example' || pg.prefill.from === 'prediction' ? pg.prefill.predictionId : null}
            />
          )}
          {pg.runError && <ErrorNotice error={pg.runError} />}
          <RunBar />
        </form>
        <section className="panel" aria-label="Prediction">
          <h2>Prediction</h2>
          {prediction ? (
            <PredictionView
              prediction={prediction}
              kind={pg.schema?.output.kind ?? 'unknown'}
              actions={
                <>
                  {!isTerminal(prediction.status) && (
                    <button type="button" onClick={() => void pg.cancel()}>
                      Cancel
                    </button>
                  )}
                  <AddExampleButton key={prediction.id} prediction={prediction} />
                  <button type="button" className="link" onClick={() => go({ page: 'predictions', predictionId: prediction.id })}>
                    Open in Predictions
                  </button>
                </>
              }
            />
          ) : (
            <p className="muted">Run the model to see its output, logs and timings here.</p>
          )}
        </section>
      </div>
    </>
  );
}
