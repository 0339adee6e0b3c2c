/**
 * The routing decision's parts from the server's state (routing.ts decides): the local resolver, the
 * setting, the local-only flags, the token; and the header that says where a prediction ran.
 */
import type { Prediction } from '../../../shared/domain';
import { apiModelString } from '../../../shared/model-names';
import type { ServerState } from './context';
import { findApiModel, resolveApiVersion } from './names';
import { notFound } from './problem';
import { RAN_ON_HEADER, type CreateTarget, type RoutingDeps } from './routing';

export function routingDeps(s: ServerState): RoutingDeps {
  return {
    async resolveLocal(target: CreateTarget) {
      if ('version' in target) return resolveApiVersion(s.core, target.version);
      const { owner, name } = target;
      const model = findApiModel(await s.core.listModels(), owner, name);
      const version = model.latestVersionId ? await s.core.getVersion(model.latestVersionId) : null;
      if (!version) throw notFound(`${owner}/${name} has no version here`, 'Pull an image of it first: cogdesk pull <image>');
      return version;
    },
    enabled: () => s.routing.enabled(),
    localOnlyModel(model: string) {
      const local = s.core.store.library.listModels().filter((m) => m.id === model || apiModelString(m.id) === model);
      return local.find((m) => s.core.store.modelSettings.get(m.id).localOnly)?.id ?? null;
    },
    hasToken: async () => (await s.core.catalog.tokenStatus()).present,
  };
}

/** `X-Cogdesk-Ran-On: local` or `replicate`. */
export function ranOn(p: Prediction): Record<string, string> {
  return { [RAN_ON_HEADER]: p.runOn === 'replicate' ? 'replicate' : 'local' };
}
