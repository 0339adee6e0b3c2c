import { useEffect, useState } from 'react';
import type { Example } from '../../../../shared/domain';
import { api } from '../../api';
import { KeptExampleList } from '../../components/KeptExampleList';
import { errorInfo } from '../../lib/errors';

/**
 * The examples kept here for a Replicate model run locally ("Add to examples" in the Playground), each
 * opening in the Playground with its input. Nothing when the model was never run here.
 */
export function LocalExamples({ modelId }: { modelId: string }) {
  const [examples, setExamples] = useState<Example[] | null>(null);
  useEffect(() => {
    let live = true;
    api.listExamples(modelId).then(
      (list) => live && setExamples(list),
      (e: unknown) => live && setExamples(errorInfo(e).code === 'not_found' ? [] : null),
    );
    return () => {
      live = false;
    };
  }, [modelId]);
  if (!examples || examples.length === 0) return null;
  return (
    <>
      <h3>Yours, run on this machine</h3>
      <KeptExampleList examples={examples} label="Local examples" />
    </>
  );
}
