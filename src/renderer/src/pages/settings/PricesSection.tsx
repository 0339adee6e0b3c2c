import type { FieldError } from '../../../../shared/errors';
import { useCosts } from '../../state/costs';

/** The prices file: Replicate's prices per second, from a JSON file instead of the table shipped with the app. */
export function PricesSection({ value, onChange, errors }: { value: string; onChange: (path: string) => void; errors: FieldError[] }) {
  const prices = useCosts((s) => s.prices);
  return (
    <section className="panel" aria-labelledby="s-prices">
      <h2 id="s-prices">Replicate's prices</h2>
      <div className={`field${errors.length ? ' field-invalid' : ''}`}>
        <label htmlFor="s-prices-file" className="field-label">
          Prices file
        </label>
        <input id="s-prices-file" className="mono" value={value} placeholder="(the prices shipped with Cogdesk)" onChange={(e) => onChange(e.target.value)} />
        <p className="help">
          The full path of a JSON file like {'{"date": "2026-03-01", "perSecond": {"gpu-t4": 0.000225}}'}, optionally with {'"modelSkus": {"owner/name": "gpu-t4"}'}: the hardware a
          model runs on at Replicate, which Replicate does not say (a cloud run is priced on it). It is read again each time costs are shown. Empty for the prices
          shipped with Cogdesk.
        </p>
        {errors.map((e) => (
          <p key={e.message} className="field-error">
            {e.message}
          </p>
        ))}
      </div>
      <p className="small muted" data-testid="prices-in-use">
        In use: Replicate's prices of {prices.date} ({prices.source}).
      </p>
      {prices.problem && (
        <p className="notice notice-error" role="alert">
          {prices.problem}
        </p>
      )}
    </section>
  );
}
