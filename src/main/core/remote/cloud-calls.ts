/**
 * The contract's prediction calls, for both places a prediction runs: `on: 'replicate'` and a cloud
 * prediction's id go to the cloud runs, the rest to the local service.
 */
import type { CogdeskApi } from '../../../shared/api';
import type { Prediction } from '../../../shared/domain';
import type { PredictionService } from '../predictions/service';
import type { Store } from '../store';
import type { CloudRuns } from './predictions';

export type CloudRoutedCalls = Pick<CogdeskApi, 'createPrediction' | 'cancelPrediction' | 'importPrediction'> & {
  waitForPrediction(id: string): Promise<Prediction>;
};

export function routeCloudCalls(store: Store, local: PredictionService, cloud: CloudRuns): CloudRoutedCalls {
  const isCloud = (id: string) => store.predictions.get(id)?.runOn === 'replicate';
  return {
    createPrediction: (request) => (request?.on === 'replicate' ? cloud.createRemotePrediction(request) : local.createPrediction(request)),
    cancelPrediction: (id) => (isCloud(id) ? cloud.cancel(id) : local.cancelPrediction(id)),
    waitForPrediction: (id) => (isCloud(id) ? cloud.wait(id) : local.waitForPrediction(id)),
    importPrediction: (replicateId) => cloud.importPrediction(replicateId),
  };
}
