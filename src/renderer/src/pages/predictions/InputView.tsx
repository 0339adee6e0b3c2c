import type { FormField } from '../../form/fields';
import { FilePreview } from '../../form/FilePreview';
import { fileName } from '../../form/fields';

/** A prediction's input as it was sent: files previewed, secrets masked. */
export function InputView({ predictionId, input, fields }: { predictionId: string; input: Record<string, unknown>; fields: FormField[] }) {
  const byName = new Map(fields.map((f) => [f.name, f]));
  const entries = Object.entries(input);
  if (entries.length === 0) return <p className="muted">No input (the model's defaults).</p>;
  return (
    <dl className="input-view">
      {entries.map(([name, value]) => {
        const field = byName.get(name);
        const files = field?.widget === 'file' ? [value] : field?.widget === 'files' && Array.isArray(value) ? value : null;
        return (
          <div key={name}>
            <dt className="mono">{name}</dt>
            <dd>
              {field?.widget === 'secret' ? (
                <span className="mono">••••••••</span>
              ) : files ? (
                files.map((v, i) =>
                  typeof v === 'string' ? <FilePreview key={i} file={{ value: v, name: fileName(v) }} sourcePredictionId={predictionId} /> : null,
                )
              ) : typeof value === 'string' ? (
                <pre className="output-text">{value}</pre>
              ) : (
                <pre className="output-text mono">{JSON.stringify(value, null, 2)}</pre>
              )}
            </dd>
          </div>
        );
      })}
    </dl>
  );
}
