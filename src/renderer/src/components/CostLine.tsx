import { useEffect } from 'react';
import { describeCost, formatDollars, predictionCost, type CostedPrediction } from '../../../shared/cost';
import { costContext, useCosts } from '../state/costs';

/** The cost hook: what a prediction cost on Replicate, or would have cost there (null until prices load). */
export function usePredictionCost(p: CostedPrediction) {
  const { loaded, load, prices, machineSku, known } = useCosts();
  useEffect(() => {
    if (!loaded) void load();
  }, [loaded, load]);
  return loaded ? predictionCost(p, costContext({ prices, machineSku, known })) : null;
}

/** One line under a prediction: "$0.014 on Replicate (gpu-a100-large)" or "on Replicate's gpu-t4 this would have cost $0.0009". */
export function CostLine({ prediction }: { prediction: CostedPrediction }) {
  const cost = usePredictionCost(prediction);
  const date = useCosts((s) => s.prices.date);
  if (!cost) return null;
  return (
    <p className="small muted cost-line" data-testid="cost" data-cost-kind={cost.kind} title={`Replicate's prices of ${date}`}>
      {describeCost(cost)}
    </p>
  );
}

/** The short form for a table cell: "$0.0009", "~$0.0009" for would-have-cost, "per output", or "—". */
export function CostCell({ prediction }: { prediction: CostedPrediction }) {
  const cost = usePredictionCost(prediction);
  if (!cost) return <td />;
  const text = cost.kind === 'billed' ? formatDollars(cost.dollars) : cost.kind === 'would' ? `~${formatDollars(cost.dollars)}` : cost.kind === 'per-output' ? 'per output' : '—';
  return (
    <td className="cost-cell" data-testid="cost-cell" title={describeCost(cost)}>
      {text}
    </td>
  );
}
