/**
 * Settings and the engine's state for the contract: read and change the settings (checked first; a new
 * Docker host connects afresh), whether Docker answers and what is warm, and the data folder.
 */
import type { CogdeskApi } from '../../../shared/api';
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
  return {
    ...createModelSettingsCalls(d),

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
