import type { Prediction } from '../../../shared/domain';

/** "on Replicate" (with its page there) for a cloud prediction; nothing for one run here. */
export function RanOn({ prediction: p }: { prediction: Pick<Prediction, 'runOn' | 'remote'> }) {
  if (p.runOn !== 'replicate') return null;
  return (
    <span className="badge ran-on" data-testid="ran-on">
      on Replicate
      {p.remote?.webUrl && (
        <>
          {' '}
          <a href={p.remote.webUrl} target="_blank" rel="noopener noreferrer">
            open on replicate.com
          </a>
        </>
      )}
    </span>
  );
}
