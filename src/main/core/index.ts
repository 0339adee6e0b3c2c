/**
 * The composition root: `createCore(options)` wires the store, Docker, the warm pool and the prediction
 * lifecycle into the one API the window, the CLI and the tests all use. Plain Node: never imports Electron.
 */
import type Docker from 'dockerode';
import { realpath } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import type { CogdeskApi, PredictionRequest, TaskEvent } from '../../shared/api';
import type { EngineStatus, Example, Prediction, PullProgress, Settings, Version } from '../../shared/domain';
import { CogdeskError, toErrorInfo } from '../../shared/errors';
import { parseVersionSchema, type VersionSchema } from './cog/schema';
import { assertValidInput, validateInput } from './cog/validate';
import { WebhookReceiver } from './cog/webhooks';
import { checkDocker, connectDocker } from './docker/connection';
import { parseImageRef } from './docker/image-ref';
import { pullImage } from './docker/pull';
import { EventBus } from './events';
import { dockerGpuSupport } from './hardware/docker-gpu';
import type { DockerGpuSupport, HardwareRequirement } from '../../shared/hardware';
import { checkFit, requirementFromCogConfig, requirementFromSku } from './hardware/fit';
import { remoteRequirement, uncheckedFit, type RemoteFitTarget, type RemoteRequirement } from './hardware/remote-fit';
import { detectHardware } from './hardware/detect';
import { hardwareOverview } from './hardware/overview';
import { BUILTIN_SKUS, mergeHardwareList } from './hardware/skus';
import { diskUsage } from './disk';
import { scanLocalImages } from './local-images';
import { listManagedContainers, removeContainer } from './docker/containers';
import { registerImage, removeVersionImage } from './models';
import { homePaths, defaultHome, type HomePaths } from './paths';
import { readPredictionFile, removeOutputFiles, resolvePredictionFile } from './runner/files';
import { inputForCheck, prepareInput } from './runner/inputs';
import { Lifecycle } from './runner/lifecycle';
import { WarmPool } from './runner/pool';
import { orphanWebhookHandler } from './runner/orphan-webhooks';
import { processAlive, recover, type RecoverReport } from './runner/recover';
import { maskSecretInputs, secretValues } from './runner/secrets';
import { createCatalog, resolveRemoteRef, runRemoteModel, type Catalog, type TokenStore } from './remote';
import { createPusher, parseDestination, type Pusher } from './push';
import { validateSettings } from './settings';
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
}

export interface Core extends CogdeskApi {
  readonly paths: HomePaths;
  readonly store: Store;
  readonly events: EventBus;
  readonly recovery: RecoverReport | null;
  /** Replicate's catalog, read through the local cache. */
  readonly catalog: Catalog;
  /** Publishing local versions to the Replicate account (pushVersion runs it as a task). */
  readonly pusher: Pusher;
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

const HEX64 = /^(?:sha256:)?([a-f0-9]{64})$/;

export async function createCore(options: CoreOptions = {}): Promise<Core> {
  const paths = homePaths(options.home ?? defaultHome());
  const store = openStore(paths.database, { nativeBinding: options.nativeBinding });
  const events = new EventBus();
  const tasks = new Tasks();
  const schemas = new Map<string, VersionSchema>();
  const catalog = createCatalog({ store, home: paths.home, tokenStore: options.tokenStore });

  let dockerClient: Docker | null = null;
  let dockerOkAt = 0;
  const docker = async (): Promise<Docker> => {
    const host = store.settings.get().dockerHost;
    if (!dockerClient) dockerClient = connectDocker({ host: host || undefined });
    if (Date.now() - dockerOkAt > 5_000) {
      await checkDocker(dockerClient);
      dockerOkAt = Date.now();
    }
    return dockerClient;
  };

  // One registry read per version at a time, however many cards ask for it at once.
  const remoteChecks = new Map<string, Promise<RemoteRequirement>>();
  const remoteRequirementOnce = (target: RemoteFitTarget): Promise<RemoteRequirement> => {
    const key = `${target.model}:${target.version ?? ''}`;
    let running = remoteChecks.get(key);
    if (!running) {
      running = remoteRequirement({ store, catalog }, target).finally(() => remoteChecks.delete(key));
      remoteChecks.set(key, running);
    }
    return running;
  };

  const pusher = createPusher({ docker, store, catalog, home: paths.home, registryTokens: options.registryTokenStore });

  // Webhooks: a stable port and secret per home, so a restarted Cogdesk still gets a running model's result.
  let secret = store.engineState.get('webhookSecret');
  if (!secret) store.engineState.set('webhookSecret', (secret = randomBytes(32).toString('hex')));
  const webhooks = new WebhookReceiver(secret);
  let webhookHost = '127.0.0.1';
  let webhooksReady: Promise<void> | null = null;
  const ensureWebhooks = (d: Docker): Promise<void> =>
    (webhooksReady ??= (async () => {
      // Listening on the bridge gateway fails harmlessly where it is not this machine's (Docker Desktop,
      // a remote engine); host.docker.internal then reaches the host's loopback instead.
      const gateway = await bridgeGateway(d);
      const saved = Number(store.engineState.get('webhookPort') ?? 0);
      await webhooks.listen(gateway ? ['127.0.0.1', gateway] : ['127.0.0.1'], saved);
      // The saved port is the one every process of this data folder tries first, so a restarted Cogdesk
      // gets the webhooks of what its predecessor sent. A process that found it taken (another Cogdesk
      // holds it) uses a port of its own and never moves the saved one from under its owner.
      if (!saved) {
        try {
          store.engineState.set('webhookPort', String(webhooks.port));
        } catch {
          // a full disk: the next process saves it
        }
      }
      webhookHost = 'host.docker.internal';
    })());

  let dockerForPool: Docker | null = null;
  // How this engine hands out GPUs (nvidia driver or CDI), read from GET /info once.
  let gpuSupportOnce: Promise<DockerGpuSupport> | null = null;
  const gpuSupport = () => (gpuSupportOnce ??= docker().then((d) => dockerGpuSupport(d)));
  const pool = new WarmPool({
    get docker() {
      return dockerForPool!;
    },
    idleTimeoutMs: () => store.settings.get().idleTimeoutSeconds * 1000,
    startOptions: async (_versionId, _image, needsGpu) => {
      const settings = store.settings.get();
      return {
        homeId: paths.homeId,
        hostNetwork: settings.hostNetwork,
        // Live logs and streamed output within 0.5 s: Cog throttles webhooks to this interval.
        env: { COG_THROTTLE_RESPONSE_INTERVAL: '0.1', COG_LOG_LEVEL: 'warning' },
        extraHosts: settings.hostNetwork ? undefined : ['host.docker.internal:host-gateway'],
        gpus: needsGpu
          ? {
              selection: settings.gpuDeviceIds.length ? { uuids: settings.gpuDeviceIds } : 'all',
              method: (await gpuSupport()).method === 'cdi' ? 'cdi' : 'nvidia',
            }
          : undefined,
      };
    },
    allowCpuFallback: () => store.settings.get().allowCpuFallback,
  });
  const lifecycle = new Lifecycle({
    get docker() {
      return dockerForPool!;
    },
    store,
    pool,
    events,
    webhooks,
    webhookBase: () => `http://${store.settings.get().hostNetwork ? '127.0.0.1' : webhookHost}:${webhooks.port}`,
    outputsDir: paths.outputs,
    timeoutMs: () => store.settings.get().predictionTimeoutSeconds * 1000,
    cancelGraceMs: () => options.cancelGraceMs ?? 10_000,
  });
  webhooks.onOrphan = orphanWebhookHandler({ store, events, outputsDir: paths.outputs, runsHere: (id) => lifecycle.isRunning(id) });

  const engine = async (): Promise<Docker> => {
    const d = await docker();
    dockerForPool = d;
    await ensureWebhooks(d);
    return d;
  };

  // Start-up: what a previous process left behind.
  let recovery: RecoverReport | null = null;
  {
    const d = await engine().catch(() => null);
    const mode = options.recover ?? 'full';
    recovery = await recover({
      docker: d,
      store,
      pool,
      events,
      homeId: paths.homeId,
      mode,
      reattach: (p, c) => void lifecycle.reattach(p, c),
      lateResult: async (id) => {
        // Only the process on the data folder's own webhook port gets a dead process's webhooks.
        if (!d || String(webhooks.port) !== store.engineState.get('webhookPort')) return false;
        const deadline = Date.now() + 3_000;
        while (Date.now() < deadline) {
          if (store.predictions.get(id)?.status !== 'processing') return true;
          await new Promise((r) => setTimeout(r, 100));
        }
        return false;
      },
    });
  }

  /** Replicate's SKUs: the built-in table, refreshed from GET /v1/hardware (or its cache) when it answers. */
  const skuTable = async () => {
    const listed = await catalog.hardware().catch(() => null);
    return listed?.data.length ? mergeHardwareList(listed.data) : BUILTIN_SKUS;
  };

  const schemaOf = (version: Version): VersionSchema => {
    let s = schemas.get(version.id);
    if (!s) schemas.set(version.id, (s = parseVersionSchema(version.openapiSchema)));
    return s;
  };

  const resolveVersion = (ref: string): Version => {
    const trimmed = ref.trim();
    const hex = HEX64.exec(trimmed);
    const byId = hex ? store.library.getVersion(hex[1]) : null;
    if (byId) return byId;
    const byImage = store.library.findVersionByImage(trimmed) ?? safeNormalized(trimmed, (n) => store.library.findVersionByImage(n));
    if (byImage) return byImage;
    const model = store.library.findModel(trimmed) ?? safeNormalized(trimmed, (n) => store.library.findModel(parseImageRef(n).name));
    if (model?.latestVersionId) return store.library.getVersion(model.latestVersionId)!;
    throw new CogdeskError({
      code: 'not_found',
      message: `No local model or version "${trimmed}"`,
      hint: `Pull it first: cogdesk pull ${trimmed}`,
    });
  };

  const pull = async (ref: string, o: { onProgress?: (p: PullProgress) => void; signal?: AbortSignal } = {}): Promise<Version> => {
    const parsed = parseImageRef(ref);
    const d = await docker();
    // Credentials come from the user's Docker config (auths or a credential helper) inside pullImage.
    const result = await pullImage(d, parsed.full, { onProgress: o.onProgress, signal: o.signal });
    return registerImage(d, store, parsed.full, parsed.digest ?? result.digest);
  };

  /** A pull as a task: progress and the end arrive as `task` events with the returned id; cancelTask stops it. */
  const pullTask = (ref: string, work: (o: { onProgress: (p: PullProgress) => void; signal: AbortSignal }) => Promise<Version>) => {
    const task = tasks.begin();
    let last: PullProgress | null = null;
    const emit = (event: TaskEvent) => events.emit('task', event);
    void work({
      signal: task.signal,
      onProgress: (progress) => {
        last = progress;
        emit({ taskId: task.taskId, kind: 'pull', state: 'running', progress });
      },
    })
      .then((version) => emit({ taskId: task.taskId, kind: 'pull', state: 'succeeded', version, progress: last ?? doneProgress(ref) }))
      .catch((e) =>
        emit({
          taskId: task.taskId,
          kind: 'pull',
          state: e instanceof CogdeskError && e.code === 'pull_canceled' ? 'canceled' : 'failed',
          error: toErrorInfo(e),
        }),
      )
      .finally(task.end);
    return { taskId: task.taskId };
  };

  const api: Core = {
    paths,
    store,
    events,
    get recovery() {
      return recovery;
    },
    on: (event, listener) => events.on(event, listener),
    catalog,
    pusher,
    docker,
    pull,
    resolveVersion,

    async ensureVersion(ref, o) {
      try {
        return resolveVersion(ref);
      } catch (e) {
        if (!(e instanceof CogdeskError) || e.code !== 'not_found') throw e;
      }
      const d = await docker();
      const local = await d.getImage(parseImageRef(ref).full).inspect().catch(() => null);
      if (local) return registerImage(d, store, parseImageRef(ref).full);
      return pull(ref, o);
    },

    async getEngineStatus(): Promise<EngineStatus> {
      let status: EngineStatus['docker'];
      try {
        const d = connectDocker({ host: store.settings.get().dockerHost || undefined });
        const info = await checkDocker(d);
        status = { ok: true, version: info.version, apiVersion: info.apiVersion };
      } catch (e) {
        const info = toErrorInfo(e);
        status = { ok: false, message: info.message, hint: info.hint };
      }
      return {
        docker: status,
        dataDir: paths.home,
        warmContainers: pool.list().map((c) => ({
          versionId: c.versionId,
          containerId: c.containerId,
          url: c.client.baseUrl,
          busy: c.busy,
          queued: c.queued,
          runsOn: c.runsOn,
        })),
      };
    },

    async getSettings(): Promise<Settings> {
      return store.settings.get();
    },

    async updateSettings(patch: Partial<Settings>): Promise<Settings> {
      validateSettings(patch);
      if (patch.dockerHost !== undefined) {
        dockerClient = null;
        dockerOkAt = 0;
        gpuSupportOnce = null;
      }
      return store.settings.update(patch);
    },

    async listModels() {
      return store.library.listModels();
    },
    async listVersions(modelId: string) {
      return store.library.listVersions(modelId);
    },
    async getVersion(versionId: string) {
      return store.library.getVersion(versionId.replace(/^sha256:/, ''));
    },

    async pullImage(ref: string) {
      parseImageRef(ref);
      return pullTask(ref, (o) => pull(ref, o));
    },

    exploreModels: (cursor) => catalog.explore({ cursor }),
    searchModels: (query, o) => catalog.search(query, o),
    listCollections: () => catalog.collections(),
    getCollection: (slug) => catalog.collection(slug),
    getModelPage: (modelId) => catalog.modelPage(modelId),
    listReplicateHardware: () => catalog.hardware(),
    getAccount: () => catalog.account(),
    getTokenStatus: () => catalog.tokenStatus(),
    async setApiToken(token: string) {
      await catalog.tokens.set(token);
      return catalog.tokenStatus();
    },
    async clearApiToken() {
      await catalog.tokens.clear();
      return catalog.tokenStatus();
    },

    async pullRemoteModel(ref: string) {
      return pullTask(ref, async (o) => {
        const resolved = await resolveRemoteRef(api, catalog, ref, o);
        if (!resolved) {
          throw new CogdeskError({ code: 'bad_request', message: `"${ref}" is not a Replicate model name`, hint: 'Write it as owner/name or owner/name:<version id>.' });
        }
        return resolved.version;
      });
    },

    async runRemoteModel(request) {
      const { prediction } = await runRemoteModel(api, catalog, request.model, { input: request.input, example: request.example, source: 'app' });
      return prediction;
    },

    planPush: (request) => pusher.plan(request),

    async pushVersion(request) {
      // The destination's naming rules answer at once; everything else arrives as the task's events.
      parseDestination(request?.destination, pusher.registry());
      const task = tasks.begin();
      void pusher
        .push(request, {
          signal: task.signal,
          onProgress: (progress) => events.emit('task', { taskId: task.taskId, kind: 'push', state: 'running', progress }),
        })
        .then((result) => events.emit('task', { taskId: task.taskId, kind: 'push', state: 'succeeded', progress: result.progress, result }))
        .catch((e) =>
          events.emit('task', {
            taskId: task.taskId,
            kind: 'push',
            state: e instanceof CogdeskError && e.code === 'canceled' ? 'canceled' : 'failed',
            error: toErrorInfo(e),
          }),
        )
        .finally(task.end);
      return { taskId: task.taskId };
    },

    getRegistryLogin: () => pusher.loginStatus(),
    setRegistryToken: (token: string) => pusher.login(token),
    clearRegistryToken: () => pusher.logout(),
    async listPushes(versionId: string) {
      return pusher.links(versionId);
    },

    async cancelTask(taskId: string) {
      tasks.cancel(taskId);
    },

    async createPrediction(request: PredictionRequest): Promise<Prediction> {
      if (!request || typeof request.version !== 'string' || !request.input || typeof request.input !== 'object' || Array.isArray(request.input)) {
        throw new CogdeskError({
          code: 'bad_request',
          message: 'A prediction needs a version (id or image) and an input object',
          hint: 'Example: {"version": "<64 hex>", "input": {"prompt": "hello"}}',
        });
      }
      const version = resolveVersion(request.version);
      const schema = schemaOf(version);
      // Local paths: any from the CLI (the person names their own files); from the window or the local API
      // only files Cogdesk keeps for predictions (uploads, kept inputs, outputs), never its secrets or database.
      const roots = request.source === 'cli' ? undefined : await inputRoots(paths);
      const { stored, sent } = await prepareInput(schema, request.input, paths.inputs, roots);
      assertValidInput(schema, sent);
      await engine();
      const prediction = store.predictions.create({
        modelId: version.modelId,
        versionId: version.id,
        // Secrets go to the model, never into the history.
        input: maskSecretInputs(schema, stored),
        source: request.source ?? 'app',
      });
      store.predictions.setRunner(prediction.id, process.pid);
      events.emit('prediction', prediction);
      const streams = schema.output.kind === 'iterator' || schema.output.kind === 'concatenate';
      void lifecycle.start(prediction, version, sent, streams, requirementFromCogConfig(version.cogConfig).gpu === true, secretValues(schema, sent));
      return prediction;
    },

    async cancelPrediction(id: string) {
      const prediction = store.predictions.get(id);
      if (!prediction) throw notFound('prediction', id);
      if (await lifecycle.cancel(id)) return;
      const owner = store.predictions.unfinished().find((u) => u.prediction.id === id);
      if (!owner) return; // finished already
      if (processAlive(owner.runnerPid)) {
        throw new CogdeskError({
          code: 'bad_request',
          message: `Prediction ${id} is run by another Cogdesk process (pid ${owner.runnerPid})`,
          hint: 'Cancel it from the window or command that started it.',
        });
      }
      // No process runs it any more: nothing will ever finish it, so the cancel ends it here.
      const canceled = store.predictions.update(id, { status: 'canceled', completedAt: new Date().toISOString() });
      store.predictions.setRunner(id, null);
      events.emit('prediction', canceled);
    },

    async getPrediction(id: string) {
      return store.predictions.get(id);
    },

    async listPredictions(query) {
      return store.predictions.list(query);
    },

    async waitForPrediction(id: string) {
      const running = lifecycle.wait(id);
      if (running) return running;
      const p = store.predictions.get(id);
      if (!p) throw notFound('prediction', id);
      return p;
    },

    async addExample(predictionId: string, o?: { isDefault?: boolean }): Promise<Example> {
      const prediction = store.predictions.get(predictionId);
      if (!prediction) throw notFound('prediction', predictionId);
      if (prediction.status !== 'succeeded') {
        throw new CogdeskError({
          code: 'bad_request',
          message: `Prediction ${predictionId} ${prediction.status === 'failed' || prediction.status === 'canceled' ? 'was ' + prediction.status : 'has not finished'}: only a succeeded prediction can be an example`,
          hint: 'Pick a prediction that succeeded (cogdesk predictions list --status succeeded).',
        });
      }
      return store.examples.add(predictionId, o);
    },

    async listExamples(modelId: string) {
      const model = store.library.findModel(modelId);
      if (!model) throw notFound('model', modelId);
      return store.examples.list(model.id);
    },

    async removeExample(predictionId: string) {
      if (!store.examples.remove(predictionId)) throw notFound('example', predictionId);
    },

    async getHardware(o?: { probeImage?: string }) {
      return hardwareOverview({ docker: await docker().catch(() => null), probeImage: o?.probeImage, skus: await skuTable() });
    },

    async checkFit(target) {
      let requirement: HardwareRequirement;
      if ('model' in target) {
        const remote = await remoteRequirementOnce(target);
        if (remote.kind === 'unchecked') return uncheckedFit(remote.sentence);
        requirement = remote.requirement;
      } else {
        requirement = 'sku' in target ? requirementFromSku(target.sku, await skuTable()) : requirementFromCogConfig(resolveVersion(target.version).cogConfig);
      }
      const [report, support] = await Promise.all([
        detectHardware({ systemInfo: false }),
        requirement.gpu ? gpuSupport().catch(() => null) : Promise.resolve(null),
      ]);
      return checkFit(report, requirement, support);
    },

    async validateInput(version: string, input: Record<string, unknown>) {
      const schema = schemaOf(resolveVersion(version));
      return validateInput(schema, inputForCheck(schema, input));
    },

    async readPredictionFile(predictionId: string, path: string) {
      const prediction = store.predictions.get(predictionId);
      if (!prediction) throw notFound('prediction', predictionId);
      return readPredictionFile(paths, prediction, path);
    },

    async showPredictionFile(predictionId: string, path: string) {
      const prediction = store.predictions.get(predictionId);
      if (!prediction) throw notFound('prediction', predictionId);
      const real = await resolvePredictionFile(paths, prediction, path);
      const shown = options.showInFolder ? await options.showInFolder(real).then(() => true, () => false) : false;
      return { path: real, shown };
    },

    async showDataFolder() {
      const shown = options.showFolder ? await options.showFolder(paths.home).then(() => true, () => false) : false;
      return { path: paths.home, shown };
    },

    async deletePrediction(id: string) {
      const prediction = store.predictions.get(id);
      if (!prediction) throw notFound('prediction', id);
      if (prediction.status === 'starting' || prediction.status === 'processing') {
        throw new CogdeskError({
          code: 'bad_request',
          message: `Prediction ${id} is still ${prediction.status}`,
          hint: 'Cancel it first, or wait until it finishes.',
        });
      }
      store.predictions.delete(id); // its example goes with it (ON DELETE CASCADE)
      await removeOutputFiles(paths, id);
    },

    async deleteVersion(versionId: string) {
      const version = store.library.getVersion(versionId.replace(/^sha256:/, ''));
      if (!version) {
        throw new CogdeskError({ code: 'not_found', message: `No local version "${versionId}"`, hint: 'List local models with: cogdesk models' });
      }
      const running = store.predictions.unfinished().filter((u) => u.prediction.versionId === version.id);
      if (running.length > 0) {
        throw new CogdeskError({
          code: 'bad_request',
          message: `${version.imageRef} has ${running.length} prediction(s) running`,
          hint: 'Cancel them first, or wait until they finish.',
        });
      }
      const d = await docker();
      const warm = pool.get(version.id);
      if (warm) await pool.discard(version.id, warm.containerId);
      for (const c of await listManagedContainers(d, paths.homeId)) if (c.versionId === version.id) await removeContainer(d, c.id);
      await removeVersionImage(d, version);
      store.library.deleteVersion(version.id);
      schemas.delete(version.id);
    },

    async scanLocalImages() {
      return scanLocalImages(await docker(), store);
    },

    async getDiskUsage() {
      return diskUsage(paths, store);
    },

    async close() {
      tasks.cancelAll();
      const running = store.predictions.unfinished().filter((u) => lifecycle.isRunning(u.prediction.id));
      await Promise.all(running.map((u) => lifecycle.cancel(u.prediction.id).catch(() => undefined)));
      await Promise.race([
        Promise.all(running.map((u) => lifecycle.wait(u.prediction.id))),
        new Promise((r) => setTimeout(r, 5_000).unref()),
      ]);
      await pool.stopAll();
      await webhooks.close();
      store.close();
    },
  };
  return api;
}

/** The folders a file input from the window or the local API may come from (real paths). */
async function inputRoots(paths: HomePaths): Promise<string[]> {
  const folders = [paths.inputs, paths.apiFiles, paths.outputs];
  return Promise.all(folders.map((f) => realpath(f).catch(() => f)));
}

function notFound(what: string, id: string): CogdeskError {
  const hints: Record<string, string> = {
    prediction: 'List them with: cogdesk predictions list',
    model: 'List local models with: cogdesk models',
    example: 'List a model\'s examples with: cogdesk examples list MODEL',
  };
  return new CogdeskError({ code: 'not_found', message: `No ${what} "${id}"`, hint: hints[what] });
}

function doneProgress(ref: string): PullProgress {
  return {
    ref,
    phase: 'done',
    layers: { total: 0, done: 0, downloading: 0, extracting: 0, alreadyExists: 0 },
    bytesDone: 0,
    bytesTotal: 0,
    percent: 100,
    message: 'Pulled',
  };
}

function safeNormalized<T>(ref: string, find: (normalized: string) => T | null): T | null {
  try {
    return find(parseImageRef(ref).full);
  } catch {
    return null;
  }
}

/**
 * Where containers on the default bridge reach this host: the gateway in the network's IPAM config,
 * else the subnet's first address (what Docker gives docker0).
 */
async function bridgeGateway(d: Docker): Promise<string | null> {
  try {
    const net = (await d.getNetwork('bridge').inspect()) as {
      IPAM?: { Config?: Array<{ Gateway?: string; Subnet?: string }> };
    };
    const configured = net.IPAM?.Config?.find((c) => c.Gateway)?.Gateway;
    if (configured) return configured;
    const subnet = net.IPAM?.Config?.find((c) => c.Subnet?.includes('.'))?.Subnet;
    if (!subnet) return null;
    const [base] = subnet.split('/');
    const octets = base.split('.').map(Number);
    octets[3] += 1;
    return octets.join('.');
  } catch {
    return null;
  }
}

export type { HomePaths } from './paths';
