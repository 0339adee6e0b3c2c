import type { RemotePrediction } from '../../../../shared/catalog';
import { briefValue as brief } from '../../lib/format';

/** The model's examples on Replicate: each one's input and output, briefly. */
export function ExampleList({ examples, defaultId }: { examples: RemotePrediction[]; defaultId: string | null }) {
  if (examples.length === 0) return <p className="muted">No examples on Replicate.</p>;
  return (
    <ul className="examples" aria-label="Examples">
      {examples.map((e) => (
        <li key={e.id} data-example-id={e.id}>
          {e.id === defaultId && <span className="badge">default</span>}
          <dl>
            <dt>Input</dt>
            <dd>
              <code>{brief(e.input)}</code>
            </dd>
            <dt>Output</dt>
            <dd>
              <code>{brief(e.output)}</code>
            </dd>
          </dl>
        </li>
      ))}
    </ul>
  );
}
