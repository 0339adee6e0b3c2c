import type { Route } from '../../state/navigation';
import { HistoryList } from './HistoryList';
import { PredictionDetail } from './PredictionDetail';

/** The history, or one prediction of it. */
export function PredictionsPage({ route }: { route: Route }) {
  return route.predictionId ? <PredictionDetail id={route.predictionId} /> : <HistoryList />;
}
