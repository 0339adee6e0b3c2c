/**
 * Settings and the engine's state for the contract: read and change the settings (checked first; a new
 * Docker host connects afresh), whether Docker answers and what is warm, and the data folder.
 */
import type { CogdeskApi } from '../../../shared/api';
import { CogdeskError } from '../../../shared/errors';
import type { DockerAccess } from '../docker/access';
import type { HomePaths } from '../paths';
import { createModelSettingsCalls, type ModelSettingsCalls } from '../runner/model-settings';
import type { WarmPool } from '../runner/pool';
import { validateSettings } from '../settings';
import { currentPrices, validatePricesFile } from './prices';
import type { Store } from '../store';

export type SettingsCalls = Pick<CogdeskApi, 'getSettings' | 'updateSettings' | 'getPrices' | 'getEngineStatus' | 'showDataFolder'> & ModelSettingsCalls;

export interface SettingsDeps {
  store: Store;
  paths: HomePaths;
  access: DockerAccess;
  pool: WarmPool;
  /** Opens a folder in the system's file manager (the app passes Electron's shell.openPath). */
  showFolder?: (path: string) => Promise<void>;
}

export function createSettingsService(d: SettingsDeps): SettingsCalls {
  const modelSettings = createModelSettingsCalls(d);
  return {
    ...modelSettings,

    /** As the runner's, plus `localOnly` (the local API never runs the model on Replicate). */
    async updateModelSettings(modelId, patch) {
      // The patch comes from IPC or the bridge as any JSON: check its type here.
      const { localOnly, ...rest } = (patch && typeof patch === 'object' ? patch : {}) as { localOnly?: unknown; concurrency?: number | null };
      if (localOnly !== undefined && typeof localOnly !== 'boolean') {
        throw new CogdeskError({
          code: 'bad_request',
          message: `localOnly must be true or false (got ${JSON.stringify(localOnly)})`,
          fields: [{ field: 'localOnly', code: 'type', message: 'localOnly: true or false' }],
        });
      }
      const saved = await modelSettings.updateModelSettings(modelId, patch && typeof patch === 'object' ? rest : patch);
      if (localOnly === undefined) return saved;
      return { ...saved, localOnly: d.store.modelSettings.update(saved.modelId, { localOnly }).localOnly };
    },

    async getSettings() {
      return d.store.settings.get();
    },

    async updateSettings(patch) {
      validateSettings(patch);
      validatePricesFile(patch.pricesFile);
      if (patch.dockerHost !== undefined) d.access.hostChanged();
      return d.store.settings.update(patch);
    },

    async getPrices() {
      return currentPrices(d.store.settings.get().pricesFile);
    },

    async getEngineStatus() {
      return {
        docker: await d.access.status(),
        dataDir: d.paths.home,
        warmContainers: d.pool.list().map((c) => ({
          versionId: c.versionId,
          containerId: c.containerId,
          url: c.client.baseUrl,
          busy: c.busy,
          queued: c.queued,
          running: c.running,
          limit: c.limit,
          runsOn: c.runsOn,
          server: c.client.server,
        })),
      };
    },

    async showDataFolder() {
      const shown = d.showFolder ? await d.showFolder(d.paths.home).then(() => true, () => false) : false;
      return { path: d.paths.home, shown };
    },
  };
}
