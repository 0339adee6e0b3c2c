import { useEffect, useState } from 'react';
import type { Example } from '../../../../shared/domain';
import { api } from '../../api';
import { StatusBadge } from '../../components/StatusBadge';
import { errorInfo } from '../../lib/errors';
import { useNavigation } from '../../state/navigation';

function brief(value: unknown): string {
  const s = typeof value === 'string' ? value : JSON.stringify(value);
  return s === undefined ? '' : s.length > 200 ? `${s.slice(0, 200)}…` : s;
}

/**
 * The examples kept here for a Replicate model run locally ("Add to examples" in the Playground), each
 * opening in the Playground with its input. Nothing when the model was never run here.
 */
export function LocalExamples({ modelId }: { modelId: string }) {
  const go = useNavigation((s) => s.go);
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
      <ul className="examples" aria-label="Local examples">
        {examples.map((e) => (
          <li key={e.predictionId} data-local-example={e.predictionId}>
            {e.isDefault && <span className="badge">default</span>} <StatusBadge status={e.prediction.status} />
            <dl>
              <dt>Input</dt>
              <dd>
                <code>{brief(e.prediction.input)}</code>
              </dd>
              <dt>Output</dt>
              <dd>
                <code>{brief(e.prediction.output)}</code>
              </dd>
            </dl>
            <button
              type="button"
              onClick={() => go({ page: 'playground', predictionId: e.predictionId, modelId: e.prediction.modelId, versionId: e.prediction.versionId })}
            >
              Open in Playground
            </button>
          </li>
        ))}
      </ul>
    </>
  );
}
