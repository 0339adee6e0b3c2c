import type { SkuMatch } from '../../../../shared/hardware';

/** The Replicate hardware SKU this machine matches (or the nearest one). */
export function SkuMatchView({ match }: { match: SkuMatch }) {
  return (
    <section className="panel" aria-labelledby="sku">
      <h2 id="sku">Replicate hardware</h2>
      <p>
        {match.sku && <span className="badge mono">{match.sku}</span>} {match.sentence}
      </p>
      {match.alternatives.length > 0 && <p className="muted small">Same GPUs as: {match.alternatives.join(', ')}</p>}
      {match.nearest && <p className="muted small">Nearest SKU: {match.nearest}</p>}
    </section>
  );
}
