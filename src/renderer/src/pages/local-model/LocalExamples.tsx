import type { Example } from '../../../../shared/domain';
import { KeptExampleList } from '../../components/KeptExampleList';

/** The model's local examples (predictions kept as examples). */
export function LocalExamples({ examples }: { examples: Example[] }) {
  if (examples.length === 0) return <p className="muted">No examples yet: run it in the Playground and use "Add to examples".</p>;
  return <KeptExampleList examples={examples} label="Examples" />;
}
