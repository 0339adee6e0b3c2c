/**
 * The contract's calls for a person's own settings per local model: read them (with what the newest
 * version's image says, to show beside them) and change them, checked first.
 */
import type { CogdeskApi } from '../../../shared/api';
import type { ModelSettings } from '../../../shared/domain';
import { CogdeskError } from '../../../shared/errors';
import type { DockerAccess } from '../docker/access';
import { notFound } from '../library/not-found';
import type { Store } from '../store';
import { concurrencyFromCogConfig, imageConcurrency, MAX_CONCURRENCY, resolveConcurrency } from './concurrency';
import type { WarmPool } from './pool';

export type ModelSettingsCalls = Pick<CogdeskApi, 'getModelSettings' | 'updateModelSettings'>;

export function checkConcurrency(value: unknown): number | null {
  if (value === null) return null;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_CONCURRENCY) {
    throw new CogdeskError({
      code: 'bad_request',
      message: `Concurrency must be a whole number from 1 to ${MAX_CONCURRENCY} (got ${JSON.stringify(value)})`,
      hint: "Leave it empty (null) to use what the model's image says, else 1.",
      fields: [{ field: 'concurrency', code: 'range', message: `concurrency: a whole number from 1 to ${MAX_CONCURRENCY}` }],
    });
  }
  return value;
}

export function createModelSettingsCalls(d: { store: Store; access: Pick<DockerAccess, 'docker'>; pool: WarmPool }): ModelSettingsCalls {
  const model = (modelId: string) => {
    const m = typeof modelId === 'string' ? d.store.library.findModel(modelId) : null;
    if (!m) throw notFound('model', String(modelId));
    return m;
  };
  const withImage = async (settings: ModelSettings): Promise<ModelSettings> => {
    const newest = d.store.library.listVersions(settings.modelId)[0];
    if (!newest) return settings;
    const said = await d.access
      .docker()
      .then((docker) => imageConcurrency(docker, { image: newest.imageId }))
      .catch(() => ({ env: null, config: concurrencyFromCogConfig(newest.cogConfig) }));
    const { limit, source } = resolveConcurrency(said);
    return { ...settings, imageConcurrency: { limit, source: source === 'setting' ? 'default' : source } };
  };
  return {
    async getModelSettings(modelId) {
      return withImage(d.store.modelSettings.get(model(modelId).id));
    },

    async updateModelSettings(modelId, patch) {
      const m = model(modelId);
      if (!patch || typeof patch !== 'object') throw new CogdeskError({ code: 'bad_request', message: 'Model settings need an object, e.g. {"concurrency": 4}' });
      const next = patch.concurrency === undefined ? {} : { concurrency: checkConcurrency(patch.concurrency) };
      const before = d.store.modelSettings.get(m.id);
      const saved = d.store.modelSettings.update(m.id, next);
      // The server is told its limit when it starts: an idle warm container restarts with the new one at the
      // next prediction; a busy one keeps its own until it goes cold (Cogdesk still queues to the new limit).
      for (const warm of saved.concurrency === before.concurrency ? [] : d.pool.list()) {
        if (warm.queued === 0 && d.store.library.getVersion(warm.versionId)?.modelId === m.id) await d.pool.discard(warm.versionId, warm.containerId);
      }
      return withImage(saved);
    },
  };
}
