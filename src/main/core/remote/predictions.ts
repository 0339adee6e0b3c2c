/**
 * Predictions run on Replicate with the user's token, kept in the same history as local ones: created with
 * the official client (files sent as data URIs when small, else uploaded through the files API), followed
 * through their stream URL and by polling (also after a restart or a network gone for a while), canceled,
 * and their output files downloaded into the data folder (Replicate deletes them after an hour).
 */
import type { PredictionRequest } from '../../../shared/api';
import type { Prediction } from '../../../shared/domain';
import type { EventBus } from '../events';
import type { HomePaths } from '../paths';
import type { Store } from '../store';
import type { Catalog } from './catalog';

export interface CloudRunDeps {
  store: Store;
  events: EventBus;
  paths: HomePaths;
  /** The API in use and the user's token. */
  catalog: Pick<Catalog, 'apiUrl' | 'tokens'>;
  fetch?: typeof fetch;
  /** How to wait before retries and between polls (tests pass a quick one). */
  sleep?: (ms: number) => Promise<void>;
}

export interface CloudRuns {
  /** Creates the prediction on Replicate (`request.version`: `owner/name[:version id]`) and answers its record here. */
  createRemotePrediction(request: PredictionRequest): Promise<Prediction>;
  /** Keeps a prediction made on Replicate elsewhere (by its Replicate id) in the history. */
  importPrediction(replicateId: string): Promise<Prediction>;
  /** Cancels a cloud prediction (by its id here) on Replicate. */
  cancel(id: string): Promise<void>;
  /** Until it is succeeded, failed or canceled (and its output files are here). */
  wait(id: string): Promise<Prediction>;
  /** Follows the cloud predictions a previous process left unfinished. */
  resume(): void;
  close(): Promise<void>;
}

export function createCloudRuns(d: CloudRunDeps): CloudRuns {
  void d;
  const notYet = (): never => {
    throw new Error('Running on Replicate is not implemented yet');
  };
  return {
    createRemotePrediction: async () => notYet(),
    importPrediction: async () => notYet(),
    cancel: async () => notYet(),
    wait: async () => notYet(),
    resume: () => undefined,
    close: async () => undefined,
  };
}
