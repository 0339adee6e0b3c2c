import type { Example } from '../../../shared/domain';
import { briefValue } from '../lib/format';
import { useNavigation } from '../state/navigation';
import { StatusBadge } from './StatusBadge';

/** Examples kept here ("Add to examples"): each one's input and output, briefly, opening in the Playground. */
export function KeptExampleList({ examples, label }: { examples: Example[]; label: string }) {
  const go = useNavigation((s) => s.go);
  return (
    <ul className="examples" aria-label={label}>
      {examples.map((e) => (
        <li key={e.predictionId} data-example-id={e.predictionId}>
          {e.isDefault && <span className="badge">default</span>} <StatusBadge status={e.prediction.status} />
          <dl>
            <dt>Input</dt>
            <dd>
              <code>{briefValue(e.prediction.input)}</code>
            </dd>
            <dt>Output</dt>
            <dd>
              <code>{briefValue(e.prediction.output)}</code>
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
  );
}
