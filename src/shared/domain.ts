/**
 * The domain, in Replicate's words: model, version, prediction, example.
 * Plain data only: these values cross IPC, the CLI's --json and the database.
 */
import type { CogServer } from './cog-server';

export type PredictionStatus = 'starting' | 'processing' | 'succeeded' | 'failed' | 'canceled';
export const TERMINAL_STATUSES: readonly PredictionStatus[] = ['succeeded', 'failed', 'canceled'];

export function isTerminal(status: PredictionStatus): boolean {
  return TERMINAL_STATUSES.includes(status);
}

/** Where a prediction was asked for. */
export type PredictionSource = 'cli' | 'app' | 'api' | 'example';

/** Where a prediction ran: here (Docker) or on Replicate (with the user's token). */
export type RunOn = 'local' | 'replicate';
export const RUN_ON: readonly RunOn[] = ['local', 'replicate'];

/** A prediction run on Replicate, as Replicate names it. */
export interface RemotePredictionRef {
  /** Replicate's prediction id. */
  id: string;
  /** Its page on replicate.com (`urls.web`), when Replicate gave one. */
  webUrl: string | null;
  /** `owner/name` */
  model: string;
  /** Replicate's version id (`dp-...` for an official model's deployment); null when Replicate gave none. */
  version: string | null;
}

export interface Model {
  /** `owner/name` for Replicate images, else the image repository (`host/path`). */
  id: string;
  owner: string | null;
  name: string;
  /** The image repository versions of this model are pulled from, without tag or digest. */
  repository: string;
  createdAt: string;
  latestVersionId: string | null;
  versionCount: number;
}

export interface Version {
  /** The image digest, 64 hex characters without `sha256:` (Replicate's version id). */
  id: string;
  modelId: string;
  /** The reference the image was pulled or found as. */
  imageRef: string;
  /** Docker's image id (`sha256:...`). */
  imageId: string;
  cogVersion: string | null;
  /** The OpenAPI schema from the image's labels, parsed. */
  openapiSchema: Record<string, unknown>;
  /** `cog.yaml` as JSON (`run.cog.config`), when the image has it. */
  cogConfig: Record<string, unknown> | null;
  /** True when the image only has the old `org.cogmodel.*` labels. */
  legacyLabels: boolean;
  sizeBytes: number | null;
  createdAt: string;
}

export interface PredictionMetrics {
  predict_time?: number;
  total_time?: number;
}

export interface Prediction {
  id: string;
  modelId: string;
  versionId: string;
  status: PredictionStatus;
  input: Record<string, unknown>;
  /** Output as the model gave it, with files replaced by paths under the data folder. */
  output: unknown;
  logs: string;
  error: string | null;
  source: PredictionSource;
  createdAt: string;
  startedAt: string | null;
  completedAt: string | null;
  metrics: PredictionMetrics | null;
  /** The container that ran it (for re-attaching after a restart). */
  containerId: string | null;
  /** Where it ran. A cloud prediction's modelId is `owner/name` and its versionId Replicate's version ('' when none). */
  runOn: RunOn;
  /** Replicate's prediction, for one run there; null for a local one. */
  remote: RemotePredictionRef | null;
}

export interface Example {
  modelId: string;
  predictionId: string;
  position: number;
  isDefault: boolean;
  prediction: Prediction;
}

export interface PullProgress {
  ref: string;
  phase: 'resolving' | 'downloading' | 'extracting' | 'done';
  layers: { total: number; done: number; downloading: number; extracting: number; alreadyExists: number };
  bytesDone: number;
  /** The sizes known so far; the whole image only once `percent` is a number. */
  bytesTotal: number;
  /**
   * 0 to 100, only going up; null while the size of some layer still to download is unknown (the engine
   * tells a layer's size when it starts downloading it): show bytes then, not a percent.
   */
  percent: number | null;
  message: string;
}

export interface PredictionQuery {
  modelId?: string;
  status?: PredictionStatus;
  limit?: number;
  /** Predictions created before this one (paging, newest first). */
  before?: string;
  /** Words or "quoted phrases" that must each appear in some input value (ignoring ASCII case), or an exact prediction id. */
  query?: string;
  /** Only the ones run here, or only the ones run on Replicate. */
  runOn?: RunOn;
}

export interface EngineStatus {
  docker: { ok: true; version: string; apiVersion: string } | { ok: false; message: string; hint?: string };
  dataDir: string;
  warmContainers: Array<{
    versionId: string;
    containerId: string;
    url: string;
    busy: boolean;
    /** Predictions for it, waiting or running. */
    queued: number;
    /** Predictions running on it now, at most `limit` at once. */
    running?: number;
    limit?: number;
    runsOn: 'gpu' | 'cpu';
    /** Which Cog server answers there, confirmed by its health check (cog-server.ts); null until one was read. */
    server?: CogServer | null;
  }>;
}

/** Where a model's concurrency limit comes from: the person's setting, the image's env, cog.yaml, the Go runtime's health check, or the default of 1. */
export type ConcurrencySource = 'setting' | 'env' | 'cog-config' | 'health' | 'default';

/** A person's own settings for a local model. */
export interface ModelSettings {
  modelId: string;
  /** How many predictions its container runs at once; null: what the image says (else 1). */
  concurrency: number | null;
  /** What its newest version's image says, for the page to show beside the setting (answers only). */
  imageConcurrency?: { limit: number; source: Exclude<ConcurrencySource, 'setting'> };
  /** Never run on Replicate by the local API's routing, even when its version is not here (false by default). */
  localOnly: boolean;
}

export interface Settings {
  /** Seconds a started container stays warm with nothing to do. */
  idleTimeoutSeconds: number;
  /** Seconds before a prediction is canceled and marked failed. */
  predictionTimeoutSeconds: number;
  /** Run containers on the host network (the Cog server then listens on a free port set by PORT). */
  hostNetwork: boolean;
  /** Docker host; empty for DOCKER_HOST or the default socket. */
  dockerHost: string;
  /** GPUs given to models that need one, by uuid (`GPU-...`); empty for all of them. */
  gpuDeviceIds: string[];
  /** Run a GPU model on the CPU when Docker cannot give it a GPU (slow; the prediction says so). */
  allowCpuFallback: boolean;
  /** Serve Replicate's prediction API on 127.0.0.1 while the app is open (takes effect at the next start). */
  apiServerEnabled: boolean;
  /** Replicate's API base URL; empty for https://api.replicate.com/v1. COGDESK_REPLICATE_API overrides it. */
  replicateApiUrl: string;
  apiServerPort: number;
  /**
   * A desktop notification when a pull, a push, or a prediction started in the window that took longer
   * than 30 s ends while the window is not focused.
   */
  notifyWhenDone: boolean;
  /**
   * Keep what a model's setup downloads (its weights) for the next cold start of the same version, so it
   * starts faster and offline. Kept only when there is room on Docker's disk.
   */
  keepWeights: boolean;
  /**
   * How many GPU models may stay warm on one GPU at once (0: as many as fit in its memory). Starting one
   * more stops the least recently used idle one on that GPU first.
   */
  maxWarmGpuModelsPerGpu: number;
  /** A JSON file of Replicate's prices per second (see src/shared/prices.ts); empty for the table shipped with the app. */
  pricesFile: string;
  /**
   * The local API (`cogdesk serve`, the app's) answers for a model that is not here by running it on
   * Replicate with the user's token; never for a model marked local-only. Off by default.
   */
  routeToReplicate: boolean;
  /**
   * When no Cogdesk runs for the data folder, `cogdesk run` starts a background `cogdesk serve
   * --exit-when-idle` and goes through it, so the model stays warm between commands; that server exits
   * after the idle timeout. Off: `run` starts the model in its own process and stops it at exit.
   */
  cliBackgroundServer: boolean;
}

export const DEFAULT_SETTINGS: Settings = {
  idleTimeoutSeconds: 300,
  predictionTimeoutSeconds: 30 * 60,
  hostNetwork: false,
  dockerHost: '',
  gpuDeviceIds: [],
  allowCpuFallback: false,
  apiServerEnabled: true,
  apiServerPort: 5190,
  replicateApiUrl: '',
  notifyWhenDone: true,
  keepWeights: true,
  maxWarmGpuModelsPerGpu: 0,
  pricesFile: '',
  routeToReplicate: false,
  cliBackgroundServer: false,
};

/** What a version's setup downloaded, kept for its next cold start (a local image on top of the version's). */
export interface KeptWeightsInfo {
  versionId: string;
  /**
   * kept: what setup downloaded, kept as an image layer for the next start; managed: a weight of Cog's
   * `weights:` fetched with the pull (in the data folder's weights/, shared by the versions that use it).
   */
  kind: 'kept' | 'managed';
  /** The size of what setup wrote (the kept layer), or of the managed weight's files. */
  bytes: number;
  /** How long the setup that downloaded it took (0 for a managed weight). */
  setupMs: number;
  createdAt: string;
  /** A managed weight: its name and manifest digest (one weight two versions share has one digest). */
  name?: string;
  digest?: string;
}

/** A file of a prediction, read for the window (which cannot read local paths). */
export interface PredictionFile {
  path: string;
  /** The file name, without its folder. */
  name: string;
  mime: string;
  sizeBytes: number;
  /** `data:<mime>;base64,...` */
  dataUri: string;
}

/** What Cogdesk takes on disk. Image sizes overlap where images share layers. */
export interface DiskUsage {
  dataDir: string;
  databaseBytes: number;
  outputsBytes: number;
  inputsBytes: number;
  /** The local versions' image sizes, each image counted once. */
  imagesBytes: number;
  /** Managed weights (Cog's `weights:`, the data folder's weights/), each weight counted once. */
  weightsBytes: number;
  models: Array<{ modelId: string; imagesBytes: number; outputsBytes: number; predictions: number }>;
}

/**
 * What a scan of Docker's images found: images with Cog labels (built with `cog build`, pulled or tagged
 * by hand) that the library did not know, now listed as local versions, and those whose labels could not
 * be read (with why, so the user can rebuild them).
 */
export interface LocalImageScan {
  added: Version[];
  skipped: Array<{ ref: string; reason: string }>;
}
