/**
 * The one contract between the engine and everything that drives it (the window's renderer through the
 * preload, the IPC handlers, the CLI and the test bridge). Each call is declared once, here.
 */
import type {
  DiskUsage,
  KeptWeightsInfo,
  EngineStatus,
  Example,
  LocalImageScan,
  Model,
  ModelSettings,
  Prediction,
  PredictionFile,
  PredictionQuery,
  PredictionSource,
  PullProgress,
  RunOn,
  Settings,
  Version,
} from './domain';
import type {
  Cached,
  CatalogPage,
  CollectionSummary,
  ModelPage,
  RemoteAccount,
  RemoteCollection,
  RemoteHardware,
  RemoteModel,
  SearchResults,
  TokenStatus,
} from './catalog';
import { CogdeskError, toErrorInfo, type ErrorInfo, type FieldError } from './errors';
import type { Fit, GpuUsage, HardwareOverview } from './hardware';
import type { PriceTable } from './prices';
import type { PushLink, PushPlan, PushProgress, PushRequest, PushResult, RegistryLoginStatus } from './push';

export interface PredictionRequest {
  /**
   * A version id (64 hex), or an image reference that is already pulled. With `on: 'replicate'`: a
   * Replicate model, `owner/name` (its latest version, or an official model's deployment) or `owner/name:<version id>`.
   */
  version: string;
  input: Record<string, unknown>;
  source?: PredictionSource;
  /** Where to run it: here (the default) or on Replicate with the user's token. */
  on?: RunOn;
}

export interface CogdeskApi {
  getEngineStatus(): Promise<EngineStatus>;
  getSettings(): Promise<Settings>;
  updateSettings(patch: Partial<Settings>): Promise<Settings>;
  /**
   * Replicate's prices per second of each SKU: the prices file of the settings when one is set, else the
   * table shipped with the app; `problem` says why a set file was not used (the built-in table is then given).
   */
  getPrices(): Promise<PriceTable & { problem?: string }>;
  /** A person's own settings for a local model, with what its image says about the same. */
  getModelSettings(modelId: string): Promise<ModelSettings>;
  /**
   * Changes them (`concurrency: null` goes back to the image's; a warm container with nothing to do restarts
   * with them); `localOnly`: the local API never runs the model on Replicate.
   */
  updateModelSettings(modelId: string, patch: { concurrency?: number | null; localOnly?: boolean }): Promise<ModelSettings>;

  listModels(): Promise<Model[]>;
  listVersions(modelId: string): Promise<Version[]>;
  getVersion(versionId: string): Promise<Version | null>;

  /** Starts a pull; progress and the end arrive as `task` events with the returned id. */
  pullImage(ref: string): Promise<{ taskId: string }>;
  cancelTask(taskId: string): Promise<void>;

  /** Validates and queues a prediction; answers at once with it in `starting`. */
  createPrediction(request: PredictionRequest): Promise<Prediction>;
  cancelPrediction(id: string): Promise<void>;
  getPrediction(id: string): Promise<Prediction | null>;
  listPredictions(query?: PredictionQuery): Promise<Prediction[]>;
  /**
   * Keeps a prediction made on Replicate elsewhere (the web, another client) in the history, by its Replicate
   * id: its record (runOn 'replicate'), and its output files once it has finished. Importing one already kept
   * answers that record.
   */
  importPrediction(replicateId: string): Promise<Prediction>;

  addExample(predictionId: string, options?: { isDefault?: boolean }): Promise<Example>;
  listExamples(modelId: string): Promise<Example[]>;
  removeExample(predictionId: string): Promise<void>;

  /** This machine's GPUs, the Replicate SKU they match, Docker's GPU support and what is missing. */
  getHardware(options?: { probeImage?: string }): Promise<HardwareOverview>;
  /**
   * Whether something runs here: a local version (by id or image), a Replicate hardware SKU, or a Replicate
   * model's version (`owner/name`, `version` default its latest), read before any pull from a local version
   * with that id or its image's `cog.yaml` label in the registry (kept in SQLite for good: offline, versions
   * seen before still answer; never seen: kind 'unknown' with why).
   */
  checkFit(target: { version: string } | { sku: string } | { model: string; version?: string }): Promise<Fit>;
  /** Per GPU now: memory (total, used, free), utilization, temperature, and the memory each warm model holds. */
  getGpuUsage(): Promise<GpuUsage>;
  /** The GPUs a local model is pinned to (uuids, `GPU-...` or `MIG-...`); [] when any one GPU will do. */
  getModelGpus(modelId: string): Promise<string[]>;
  /** Pins a local model to GPUs (its containers get all of them, together); [] unpins it. Takes effect at its next cold start. */
  setModelGpus(modelId: string, gpuIds: string[]): Promise<string[]>;

  // What the window's pages need beyond the engine's own calls.
  /** Checks an input against a version's schema exactly as createPrediction does; [] when it is valid. */
  validateInput(version: string, input: Record<string, unknown>): Promise<FieldError[]>;
  /**
   * A file a prediction refers to (an output under `outputs/<id>/`, or an uploaded input under `inputs/`) as a
   * data: URI: the renderer cannot read local paths. `maxBytes` refuses a larger file before reading it
   * (a thumbnail needs no 90 MB image).
   */
  readPredictionFile(predictionId: string, path: string, options?: { maxBytes?: number }): Promise<PredictionFile>;
  /**
   * Shows a file a prediction refers to in the system's file manager (the app); answers its path, and
   * whether it was shown (not where there is no file manager to ask, as in the CLI's core).
   */
  showPredictionFile(predictionId: string, path: string): Promise<{ path: string; shown: boolean }>;
  /** Opens the data folder in the system's file manager (the app); answers its path and whether it was shown. */
  showDataFolder(): Promise<{ path: string; shown: boolean }>;
  /** Deletes a finished prediction: its row, its example, and its outputs folder. */
  deletePrediction(id: string): Promise<void>;
  /** Deletes a local version: its warm container, its image (by reference), its row (and its model's, when it was the last). */
  deleteVersion(versionId: string): Promise<void>;
  /** What the data folder and the images take on disk. */
  getDiskUsage(): Promise<DiskUsage>;
  /** The weights kept for the next cold start: of one version, or all. */
  listKeptWeights(versionId?: string): Promise<KeptWeightsInfo[]>;
  /** Forgets a version's kept weights (its next start downloads them again); answers the bytes freed. */
  forgetKeptWeights(versionId: string): Promise<{ freedBytes: number }>;
  /**
   * Lists every tagged image Docker has with Cog labels that the library does not know yet (one version per
   * image, under its first tag): what `cog build` made shows up without pulling or pushing it.
   */
  scanLocalImages(): Promise<LocalImageScan>;

  // Replicate's catalog: every answer is cached; offline the cache answers, with fromCache and a notice.
  /** Public models, newest version first; pass the previous page's `next`. */
  exploreModels(cursor?: string | null): Promise<Cached<CatalogPage<RemoteModel>>>;
  /** Replicate's search (else its model search; offline, the cached models). */
  searchModels(query: string, options?: { limit?: number }): Promise<Cached<SearchResults>>;
  listCollections(): Promise<Cached<CollectionSummary[]>>;
  getCollection(slug: string): Promise<Cached<RemoteCollection>>;
  /** A model's page: README (Markdown, not sanitized), versions, examples, the latest input schema. */
  getModelPage(modelId: string): Promise<Cached<ModelPage>>;
  /** Replicate's hardware SKUs. */
  listReplicateHardware(): Promise<Cached<RemoteHardware[]>>;
  /** The account behind the API token. */
  getAccount(): Promise<Cached<RemoteAccount>>;
  getTokenStatus(): Promise<TokenStatus>;
  /** Keeps the API token (in the app: encrypted with safeStorage); never sent back over the contract. */
  setApiToken(token: string): Promise<TokenStatus>;
  clearApiToken(): Promise<TokenStatus>;
  /** Pulls a Replicate model's version (`owner/name[:version]`, latest by default) as a task, like pullImage. */
  pullRemoteModel(ref: string): Promise<{ taskId: string }>;
  /** Runs a Replicate model here, from its default example (or `example`) with `input` on top. */
  runRemoteModel(request: { model: string; input?: Record<string, unknown>; example?: string }): Promise<Prediction>;

  // Pushing a local version to the user's Replicate account.
  /**
   * What a push would do, checked: the local version, the destination (naming rules, owner = the API token's
   * account), the model (exists, or will be created with which visibility and hardware: by default the SKU
   * matching this machine) and the registry credentials. Creates nothing on Replicate.
   */
  planPush(request: PushRequest): Promise<PushPlan>;
  /** Starts a push; progress and the end arrive as `task` events of kind 'push' with the returned id; cancelTask stops it. */
  pushVersion(request: PushRequest): Promise<{ taskId: string }>;
  /** Which registry credentials a push would use: a `cog login`, the CLI token Cogdesk keeps, or none. */
  getRegistryLogin(): Promise<RegistryLoginStatus>;
  /** Verifies a CLI auth token (replicate.com/auth/token, not an r8_ API token) with the registry and keeps it encrypted; never sent back. */
  setRegistryToken(token: string): Promise<RegistryLoginStatus>;
  /** Forgets the CLI token Cogdesk keeps (a `cog login` is left alone). */
  clearRegistryToken(): Promise<RegistryLoginStatus>;
  /** Where a local version was pushed ("pushed as owner/name:version"), newest first. */
  listPushes(versionId: string): Promise<PushLink[]>;
  /**
   * The hardware (Replicate's SKU) known for the person's own models: those a push from here created, and
   * the local versions pushed to them; what costs price their runs on (see shared/cost.ts).
   */
  getModelSkus(): Promise<KnownSkus>;
}

/** The SKUs known for a person's own models, from the pushes that created them. */
export interface KnownSkus {
  /** `owner/name` -> the SKU the model was created with. */
  models: Record<string, string>;
  /** Local version id -> the SKU of the model it was last pushed to (only where that SKU is known). */
  versions: Record<string, string>;
}

export type ApiMethod = keyof CogdeskApi;

/** The list the preload and the IPC handlers are both built from, checked against CogdeskApi. */
export const API_METHODS = [
  'getEngineStatus',
  'getSettings',
  'updateSettings',
  'getPrices',
  'getModelSettings',
  'updateModelSettings',
  'listModels',
  'listVersions',
  'getVersion',
  'pullImage',
  'cancelTask',
  'createPrediction',
  'cancelPrediction',
  'getPrediction',
  'listPredictions',
  'importPrediction',
  'addExample',
  'listExamples',
  'removeExample',
  'getHardware',
  'checkFit',
  'getGpuUsage',
  'getModelGpus',
  'setModelGpus',
  'validateInput',
  'readPredictionFile',
  'showPredictionFile',
  'showDataFolder',
  'deletePrediction',
  'deleteVersion',
  'getDiskUsage',
  'listKeptWeights',
  'forgetKeptWeights',
  'scanLocalImages',
  'exploreModels',
  'searchModels',
  'listCollections',
  'getCollection',
  'getModelPage',
  'listReplicateHardware',
  'getAccount',
  'getTokenStatus',
  'setApiToken',
  'clearApiToken',
  'pullRemoteModel',
  'runRemoteModel',
  'planPush',
  'pushVersion',
  'getRegistryLogin',
  'setRegistryToken',
  'clearRegistryToken',
  'listPushes',
  'getModelSkus',
] as const satisfies readonly ApiMethod[];

// Fails to compile when a method of CogdeskApi is missing from API_METHODS.
type MissingMethods = Exclude<ApiMethod, (typeof API_METHODS)[number]>;
const _allMethodsListed: MissingMethods extends never ? true : MissingMethods = true;
void _allMethodsListed;

export type TaskEvent =
  | { taskId: string; kind: 'pull'; state: 'running'; progress: PullProgress }
  | { taskId: string; kind: 'pull'; state: 'succeeded'; progress: PullProgress; version: Version }
  | { taskId: string; kind: 'pull'; state: 'failed' | 'canceled'; error: ErrorInfo }
  | { taskId: string; kind: 'push'; state: 'running'; progress: PushProgress }
  | { taskId: string; kind: 'push'; state: 'succeeded'; progress: PushProgress; result: PushResult }
  | { taskId: string; kind: 'push'; state: 'failed' | 'canceled'; error: ErrorInfo };

export interface CogdeskEvents {
  task: TaskEvent;
  prediction: Prediction;
}

export type EventName = keyof CogdeskEvents;
export const EVENT_NAMES = ['task', 'prediction'] as const satisfies readonly EventName[];

/** A call's result over IPC: errors travel as values so their code and hint survive. */
export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo };

export type Subscribe = <E extends EventName>(event: E, listener: (payload: CogdeskEvents[E]) => void) => () => void;

/**
 * What the preload exposes as `window.cogdesk` (and what the test bridge implements): every call of the
 * contract answering an IpcResult, because Electron's contextBridge keeps only the message of an Error.
 */
export type CogdeskBridge = {
  [K in ApiMethod]: (...args: Parameters<CogdeskApi[K]>) => Promise<IpcResult<Awaited<ReturnType<CogdeskApi[K]>>>>;
} & { on: Subscribe };

/** The contract as the renderer uses it: the bridge's results unwrapped, errors thrown as CogdeskError. */
export type CogdeskClient = CogdeskApi & { on: Subscribe };

/** Serves the contract as a bridge: what the IPC handlers and the test bridge answer with. */
export function bridgeFromApi(api: CogdeskApi, on: Subscribe): CogdeskBridge {
  const bridge = { on } as Record<string, unknown>;
  for (const method of API_METHODS) {
    bridge[method] = async (...args: unknown[]): Promise<IpcResult<unknown>> => {
      try {
        return { ok: true, value: await (api[method] as (...a: unknown[]) => Promise<unknown>).apply(api, args) };
      } catch (e) {
        return { ok: false, error: toErrorInfo(e) };
      }
    };
  }
  return bridge as unknown as CogdeskBridge;
}

export function clientFromBridge(bridge: CogdeskBridge): CogdeskClient {
  const client = { on: bridge.on } as Record<string, unknown>;
  for (const method of API_METHODS) {
    client[method] = async (...args: unknown[]) => {
      const result = await (bridge[method] as (...a: unknown[]) => Promise<IpcResult<unknown>>)(...args);
      if (result.ok) return result.value;
      throw new CogdeskError(result.error);
    };
  }
  return client as unknown as CogdeskClient;
}

export const IPC_PREFIX = 'cogdesk:';
