import type { RemotePrediction } from '../../../../shared/catalog';

function brief(value: unknown): string {
  const s = typeof value === 'string' ? value : JSON.stringify(value);
  return s === undefined ? '' : s.length > 200 ? `${s.slice(0, 200)}…` : s;
}

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
