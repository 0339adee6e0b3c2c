/**
 * Replicate for the contract: the catalog (explore, search, collections, a model's page, hardware, the
 * account), the API token, and a Replicate model pulled or run here (always Replicate's model by that name).
 */
import type { CogdeskApi, PredictionRequest } from '../../../shared/api';
import type { Prediction } from '../../../shared/domain';
import { CogdeskError } from '../../../shared/errors';
import type { EventBus } from '../events';
import { startPullTask } from '../library/pull-task';
import type { Tasks } from '../tasks';
import type { Catalog } from './catalog';
import { resolveRemoteRef, runRemoteModel, type RemoteRunHost } from './run-remote';

export type RemoteCalls = Pick<
  CogdeskApi,
  | 'exploreModels'
  | 'searchModels'
  | 'listCollections'
  | 'getCollection'
  | 'getModelPage'
  | 'listReplicateHardware'
  | 'getAccount'
  | 'getTokenStatus'
  | 'setApiToken'
  | 'clearApiToken'
  | 'pullRemoteModel'
  | 'runRemoteModel'
>;

export interface RemoteDeps {
  catalog: Catalog;
  tasks: Tasks;
  events: EventBus;
  /** The library and Docker, and how a prediction is created here. */
  host: RemoteRunHost & { createPrediction(request: PredictionRequest): Promise<Prediction> };
}

export function createRemoteService(d: RemoteDeps): RemoteCalls {
  const { catalog } = d;
  return {
    exploreModels: (cursor) => catalog.explore({ cursor }),
    searchModels: (query, o) => catalog.search(query, o),
    listCollections: () => catalog.collections(),
    getCollection: (slug) => catalog.collection(slug),
    getModelPage: (modelId) => catalog.modelPage(modelId),
    listReplicateHardware: () => catalog.hardware(),
    getAccount: () => catalog.account(),
    getTokenStatus: () => catalog.tokenStatus(),

    async setApiToken(token) {
      await catalog.tokens.set(token);
      return catalog.tokenStatus();
    },

    async clearApiToken() {
      await catalog.tokens.clear();
      return catalog.tokenStatus();
    },

    async pullRemoteModel(ref) {
      return startPullTask(d, ref, async (o) => {
        const resolved = await resolveRemoteRef(d.host, catalog, ref, o);
        if (!resolved) {
          throw new CogdeskError({ code: 'bad_request', message: `"${ref}" is not a Replicate model name`, hint: 'Write it as owner/name or owner/name:<version id>.' });
        }
        return resolved.version;
      });
    },

    async runRemoteModel(request) {
      const { prediction } = await runRemoteModel(d.host, catalog, request.model, { input: request.input, example: request.example, source: 'app' });
      return prediction;
    },
  };
}
