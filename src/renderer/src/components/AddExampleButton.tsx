import { useEffect, useState } from 'react';
import type { Prediction } from '../../../shared/domain';
import type { ErrorInfo } from '../../../shared/errors';
import { api } from '../api';
import { errorInfo } from '../lib/errors';
import { ErrorNotice } from './ErrorNotice';

/** Makes a succeeded prediction an example of its model (the first becomes the default the form starts from). */
export function AddExampleButton({ prediction }: { prediction: Prediction }) {
  const [state, setState] = useState<{ added?: string; already?: boolean; error?: ErrorInfo }>({});
  useEffect(() => {
    let live = true;
    if (prediction.status === 'succeeded') {
      api.listExamples(prediction.modelId).then(
        (list) => live && list.some((e) => e.predictionId === prediction.id) && setState({ already: true }),
        () => undefined,
      );
    }
    return () => {
      live = false;
    };
  }, [prediction.id, prediction.modelId, prediction.status]);
  const add = async () => {
    try {
      const example = await api.addExample(prediction.id);
      setState({ added: example.isDefault ? 'Added to examples (the default)' : 'Added to examples' });
    } catch (e) {
      setState({ error: errorInfo(e) });
    }
  };
  const done = !!state.added || !!state.already;
  return (
    <>
      <button type="button" disabled={prediction.status !== 'succeeded' || done} onClick={() => void add()}>
        {done ? 'In examples' : 'Add to examples'}
      </button>
      <span role="status" className="muted">
        {state.added}
      </span>
      {state.error && <ErrorNotice error={state.error} onDismiss={() => setState({})} />}
    </>
  );
}
