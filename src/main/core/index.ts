/**
 * The composition root: `createCore(options)` constructs the core's services, each in its own room, and
 * spreads their calls onto the one API the window, the CLI and the tests all use. It only wires: where a
 * call lives is named by its folder (library/, predictions/, remote/, push/, hardware/, settings/; what
 * runs predictions is runner/engine.ts). Plain Node: never imports Electron.
 */
import type Docker from 'dockerode';
import type { CogdeskApi } from '../../shared/api';
import type { Prediction, PullProgress, Version } from '../../shared/domain';
import { DockerAccess } from './docker/access';
import { EventBus } from './events';
import { createHardwareService } from './hardware/service';
import { createLibraryService } from './library/service';
import { defaultHome, homePaths, type HomePaths } from './paths';
import { createPredictionService } from './predictions/service';
import { createPusher, type Pusher } from './push';
import { createPushService } from './push/service';
import { createCatalog, type Catalog, type TokenStore } from './remote';
import { routeCloudCalls } from './remote/cloud-calls';
import { createCloudRuns, type CloudRuns } from './remote/predictions';
import { createRemoteService } from './remote/service';
import { createRunEngine } from './runner/engine';
import type { RecoverReport } from './runner/recover';
import { createWarmService, type WarmCalls } from './runner/warm-service';
import { createSettingsService } from './settings/service';
import { openStore, type Store } from './store';
import { Tasks } from './tasks';

export interface CoreOptions {
  /** The data folder; defaults to COGDESK_HOME or the app's user-data folder. */
  home?: string;
  /** A better-sqlite3 build for the runtime (the Electron app passes its own). */
  nativeBinding?: string;
  /**
   * What to do at start about predictions and containers a previous process left behind:
   * 'full' re-attaches and adopts (the app), 'passive' only marks the ones that cannot be recovered
   * (short CLI commands, which must not take over containers they would stop on exit).
   */
  recover?: 'full' | 'passive';
  /**
   * Where the Replicate API token is kept: the app passes one built on safeStorage; by default
   * REPLICATE_API_TOKEN, else `<home>/replicate-token` (readable by its owner only).
   */
  tokenStore?: TokenStore;
  /**
   * Where the verified CLI auth token for the registry (pushes without a `cog login`) is kept: the app
   * passes one built on safeStorage; by default `<home>/replicate-cli-token` (readable by its owner only).
   */
  registryTokenStore?: TokenStore;
  /**
   * Shows a file in the system's file manager (the app passes Electron's shell.showItemInFolder). Without
   * one, showPredictionFile answers the path for the user to open.
   */
  showInFolder?: (path: string) => Promise<void>;
  /** Opens a folder in the system's file manager (the app passes Electron's shell.openPath). */
  showFolder?: (path: string) => Promise<void>;
  /** How long a canceled prediction may take to stop before its container is stopped (default 10 s). */
  cancelGraceMs?: number;
  /** A setup that wrote less keeps nothing for the next start (default 32 MiB). */
  keepWeightsMinBytes?: number;
  /** How long a container may answer BUSY with none of our predictions on it before it is restarted (default 10 s). */
  busyGraceMs?: number;
}

export interface Core extends CogdeskApi, WarmCalls {
  readonly paths: HomePaths;
  readonly store: Store;
  readonly events: EventBus;
  readonly recovery: RecoverReport | null;
  /** Replicate's catalog, read through the local cache. */
  readonly catalog: Catalog;
  /** Publishing local versions to the Replicate account (pushVersion runs it as a task). */
  readonly pusher: Pusher;
  /** Predictions run on Replicate (createPrediction with `on: 'replicate'` goes there too). */
  readonly cloud: CloudRuns;
  on: EventBus['on'];
  /** Pulls an image and registers it as a version of its model. */
  pull(ref: string, options?: { onProgress?: (p: PullProgress) => void; signal?: AbortSignal }): Promise<Version>;
  /** A registered version for a reference; else the local image registered; else pulled. */
  ensureVersion(ref: string, options?: { onProgress?: (p: PullProgress) => void; signal?: AbortSignal }): Promise<Version>;
  /** Resolves a version id, image reference or model name to a registered version. */
  resolveVersion(ref: string): Version;
  /** Waits until a prediction is succeeded, failed or canceled. */
  waitForPrediction(id: string): Promise<Prediction>;
  docker(): Promise<Docker>;
  close(): Promise<void>;
}

export async function createCore(options: CoreOptions = {}): Promise<Core> {
  const paths = homePaths(options.home ?? defaultHome());
  const store = openStore(paths.database, { nativeBinding: options.nativeBinding });
  const events = new EventBus();
  const tasks = new Tasks();
  const access = new DockerAccess(() => store.settings.get());
  const docker = () => access.docker();
  const catalog = createCatalog({ store, home: paths.home, tokenStore: options.tokenStore });
  const pusher = createPusher({ docker, store, catalog, home: paths.home, registryTokens: options.registryTokenStore });
  const engine = createRunEngine({ paths, store, events, access, cancelGraceMs: options.cancelGraceMs, keepWeightsMinBytes: options.keepWeightsMinBytes, busyGraceMs: options.busyGraceMs });

  const library = createLibraryService({ store, paths, access, events, tasks, pool: engine.pool, weights: engine.weights });
  const predictions = createPredictionService({ store, paths, events, library, engine, showInFolder: options.showInFolder });
  const hardware = createHardwareService({ store, catalog, access, library, gpuRoom: engine.gpuRoom });
  const settings = createSettingsService({ store, paths, access, pool: engine.pool, showFolder: options.showFolder });
  const remote = createRemoteService({ catalog, tasks, events, host: { store, docker, createPrediction: predictions.createPrediction, weightsRoot: paths.weights } });
  const push = createPushService({ pusher, tasks, events });
  const cloud = createCloudRuns({ store, events, paths, catalog });
  const warm = createWarmService({ store, homeId: paths.homeId, docker, pool: engine.pool, lifecycle: engine.lifecycle });

  // Start-up: what a previous process left behind.
  const recovery = await engine.recover(options.recover ?? 'full');
  if ((options.recover ?? 'full') === 'full') cloud.resume();

  const { lifecycle } = engine;
  return {
    paths,
    store,
    events,
    recovery,
    catalog,
    pusher,
    cloud,
    docker,
    on: (event, listener) => events.on(event, listener),
    ...library,
    ...predictions,
    ...hardware,
    ...settings,
    ...remote,
    ...push,
    ...warm,
    ...routeCloudCalls(store, predictions, cloud),

    async cancelTask(taskId: string) {
      tasks.cancel(taskId);
    },

    async close() {
      tasks.cancelAll();
      await cloud.close();
      const running = store.predictions.unfinished().filter((u) => lifecycle.isRunning(u.prediction.id));
      await Promise.all(running.map((u) => lifecycle.cancel(u.prediction.id).catch(() => undefined)));
      await Promise.race([
        Promise.all(running.map((u) => lifecycle.wait(u.prediction.id))),
        new Promise((r) => setTimeout(r, 5_000).unref()),
      ]);
      await engine.close();
      store.close();
    },
  };
}

export type { HomePaths } from './paths';
