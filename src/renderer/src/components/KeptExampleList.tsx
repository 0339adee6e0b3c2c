import type { Example } from '../../../shared/domain';
import { formFields } from '../form/fields';
import { exampleInput } from '../lib/examples';
import { useVersion } from '../lib/useVersion';
import { OutputView } from '../output/OutputView';
import { useEngine } from '../state/engine';
import { useNavigation } from '../state/navigation';
import { ExampleCard } from './ExampleCard';
import { StatusBadge } from './StatusBadge';

/** One kept example as a card: its output as the Playground shows it, its input as the form does. */
function KeptExampleCard({ example }: { example: Example }) {
  const go = useNavigation((s) => s.go);
  const dataDir = useEngine((s) => s.status?.dataDir ?? '');
  const p = example.prediction;
  const { schema } = useVersion(p.versionId);
  return (
    <ExampleCard
      id={example.predictionId}
      badges={
        <>
          {example.isDefault && <span className="badge">default</span>} <StatusBadge status={p.status} />
        </>
      }
      output={<OutputView prediction={p} kind={schema?.output.kind ?? 'unknown'} dataDir={dataDir} />}
      input={exampleInput(schema ? formFields(schema) : null, p.input)}
      predictionId={p.id}
      onOpen={() => go({ page: 'playground', predictionId: example.predictionId, modelId: p.modelId, versionId: p.versionId })}
    />
  );
}

/** Examples kept here ("Add to examples") as cards, each opening in the Playground. */
export function KeptExampleList({ examples, label }: { examples: Example[]; label: string }) {
  return (
    <ul className="example-cards" aria-label={label}>
      {examples.map((e) => (
        <KeptExampleCard key={e.predictionId} example={e} />
      ))}
    </ul>
  );
}
