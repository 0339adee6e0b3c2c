import { costTotals, formatDollars, type CostTotal } from '../../../../shared/cost';
import { costContext, useCosts } from '../../state/costs';
import { usePredictions } from '../../state/predictions';

function TotalsTable({ label, head, rows }: { label: string; head: string; rows: CostTotal[] }) {
  return (
    <table aria-label={label} className="totals">
      <thead>
        <tr>
          <th scope="col">{head}</th>
          <th scope="col">Predictions</th>
          <th scope="col">On Replicate</th>
          <th scope="col">Here (would have cost)</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((t) => (
          <tr key={t.key} data-total={t.key}>
            <th scope="row">{t.key}</th>
            <td>{t.unpriced ? `${t.count} (${t.unpriced} without a price)` : t.count}</td>
            <td data-testid="total-billed">{formatDollars(t.billed)}</td>
            <td data-testid="total-would">~{formatDollars(t.would)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** What the predictions listed cost on Replicate, and what the local ones would have cost there: per model and per day. */
export function HistoryTotals() {
  const { ids, byId } = usePredictions();
  const { loaded, prices, machineSku, known } = useCosts();
  if (!loaded || ids.length === 0) return null;
  const list = ids.map((id) => byId[id]).filter((p) => !!p);
  const { byModel, byDay } = costTotals(list, costContext({ prices, machineSku, known }));
  return (
    <details className="panel" aria-label="Cost totals">
      <summary>
        Cost of the {list.length === 1 ? 'prediction' : `${list.length} predictions`} listed (Replicate's prices of {prices.date})
      </summary>
      {prices.problem && (
        <p className="notice notice-error" role="alert">
          {prices.problem}
        </p>
      )}
      <p className="muted small">
        A run is priced on the hardware its model runs on at Replicate where that is known (a model a push from here created, and the local
        versions pushed to it) or the prices file names it; else a local run on{' '}
        {machineSku ? `Replicate's ${machineSku}, the hardware matched to this machine` : 'nothing (no Replicate hardware matches this machine)'}. Only predict time is
        counted.
      </p>
      <div className="history-totals">
        <TotalsTable label="Totals per model" head="Model" rows={byModel} />
        <TotalsTable label="Totals per day" head="Day" rows={byDay} />
      </div>
    </details>
  );
}
