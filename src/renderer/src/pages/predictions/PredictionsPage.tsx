import type { Route } from '../../state/navigation';
import { ComparePage } from './ComparePage';
import { HistoryList } from './HistoryList';
import { PredictionDetail } from './PredictionDetail';

/** The history, one prediction of it, or two side by side. */
export function PredictionsPage({ route }: { route: Route }) {
  if (route.compare) return <ComparePage ids={route.compare} />;
  return route.predictionId ? <PredictionDetail id={route.predictionId} /> : <HistoryList />;
}
