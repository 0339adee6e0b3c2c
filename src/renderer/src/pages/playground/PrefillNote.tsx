import { shortId } from '../../lib/format';
import type { Prefill } from '../../state/playground';

/** Where the form's values came from. */
export function PrefillNote({ prefill }: { prefill: Prefill }) {
  const text =
    prefill.from === 'example'
      ? `Prefilled from the default example (${shortId(prefill.predictionId)}).`
      : prefill.from === 'remote'
        ? prefill.example
          ? `Prefilled from ${prefill.model}'s example ${shortId(prefill.example)} on Replicate.`
          : `Prefilled from ${prefill.model}'s default example on Replicate.`
      : prefill.from === 'prediction'
        ? `Prefilled from prediction ${shortId(prefill.predictionId)}.`
        : 'Prefilled with the model\'s defaults.';
  return <p className="muted small" data-testid="prefill-note">{text}</p>;
}
