import type { ExampleInput } from '../lib/examples';
import { isPublicHttps } from '../lib/examples';
import { mediaKind } from '../lib/outputs';
import { fileName } from '../form/fields';
import { FilePreview } from '../form/FilePreview';

/** A file of an example's input: a public https image as a small picture, a file kept here as its preview, else its name. */
function InputFile({ value, predictionId }: { value: string; predictionId: string | null }) {
  if (isPublicHttps(value) && mediaKind(new URL(value).pathname) === 'image') {
    return <img className="example-input-image" src={value} alt={fileName(value)} loading="lazy" />;
  }
  if (predictionId) return <FilePreview file={{ value, name: fileName(value) }} sourcePredictionId={predictionId} />;
  return <span className="mono">{fileName(value)}</span>;
}

/**
 * An example's input as the form shows it: each given value under its field's name (the field's summary on
 * hover), in the form's order; the values left at their defaults counted, not listed.
 */
export function ExampleInputView({ input, predictionId }: { input: ExampleInput; predictionId: string | null }) {
  if (input.given.length === 0) {
    return <p className="muted small">{input.atDefault > 0 ? 'Every input at its default.' : 'No input (the model\'s defaults).'}</p>;
  }
  return (
    <>
      <dl className="example-input" aria-label="Input">
        {input.given.map((g) => (
          <div key={g.name} data-input={g.name} data-widget={g.widget ?? 'unknown'}>
            <dt className="mono" title={g.summary ?? undefined}>
              {g.name}
            </dt>
            <dd>
              {g.files.length > 0 ? (
                g.files.map((f, i) => <InputFile key={i} value={f} predictionId={predictionId} />)
              ) : (
                <span className={g.widget === 'textarea' || g.widget === null ? 'example-text' : undefined}>{g.text}</span>
              )}
            </dd>
          </div>
        ))}
      </dl>
      {input.atDefault > 0 && <p className="muted small">and {input.atDefault} at their defaults</p>}
    </>
  );
}
