/**
 * The library: local models and their versions (images), how a name or id resolves to a version, pulls
 * (as calls and as tasks), what Docker holds with Cog labels, deleting a version, and the disk it takes.
 */
import type { CogdeskApi } from '../../../shared/api';
import type { PullProgress, Version } from '../../../shared/domain';
import { CogdeskError } from '../../../shared/errors';
import { parseVersionSchema, type VersionSchema } from '../../../shared/schema';
import { diskUsage } from '../disk';
import type { DockerAccess } from '../docker/access';
import { listManagedContainers, removeContainer } from '../docker/containers';
import { parseImageRef } from '../docker/image-ref';
import { pullImage } from '../docker/pull';
import { refuseCudaBeforePull } from '../hardware/cuda-gate';
import type { EventBus } from '../events';
import { scanLocalImages } from '../local-images';
import { registerImage, removeVersionImage } from '../models';
import type { HomePaths } from '../paths';
import type { WarmPool } from '../runner/pool';
import type { WeightsKeeper } from '../runner/weights';
import type { Store } from '../store';
import type { Tasks } from '../tasks';
import { notFound } from './not-found';
import { startPullTask } from './pull-task';

export type PullOptions = { onProgress?: (p: PullProgress) => void; signal?: AbortSignal };

export type LibraryCalls = Pick<
  CogdeskApi,
  'listModels' | 'listVersions' | 'getVersion' | 'pullImage' | 'deleteVersion' | 'scanLocalImages' | 'getDiskUsage' | 'listKeptWeights' | 'forgetKeptWeights'
>;

export interface LibraryService extends LibraryCalls {
  /** Resolves a version id, image reference or model name to a registered version. */
  resolveVersion(ref: string): Version;
  /** A registered version for a reference; else the local image registered; else pulled. */
  ensureVersion(ref: string, o?: PullOptions): Promise<Version>;
  /** Pulls an image and registers it as a version of its model. */
  pull(ref: string, o?: PullOptions): Promise<Version>;
  /** The version's input and output schema, parsed once. */
  schemaOf(version: Version): VersionSchema;
}

export interface LibraryDeps {
  store: Store;
  paths: HomePaths;
  access: DockerAccess;
  events: EventBus;
  tasks: Tasks;
  pool: WarmPool;
  weights: WeightsKeeper;
}

const HEX64 = /^(?:sha256:)?([a-f0-9]{64})$/;

export function createLibraryService(d: LibraryDeps): LibraryService {
  const { store } = d;
  const schemas = new Map<string, VersionSchema>();

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

  const pull = async (ref: string, o: PullOptions = {}): Promise<Version> => {
    const parsed = parseImageRef(ref);
    const docker = await d.access.docker();
    // An image for a newer CUDA than the driver's is refused before anything is downloaded.
    await refuseCudaBeforePull(parsed.full);
    // Credentials come from the user's Docker config (auths or a credential helper) inside pullImage.
    const result = await pullImage(docker, parsed.full, { onProgress: o.onProgress, signal: o.signal });
    return registerImage(docker, store, parsed.full, parsed.digest ?? result.digest);
  };

  return {
    resolveVersion,
    pull,

    schemaOf(version) {
      let s = schemas.get(version.id);
      if (!s) schemas.set(version.id, (s = parseVersionSchema(version.openapiSchema)));
      return s;
    },

    async ensureVersion(ref, o) {
      try {
        return resolveVersion(ref);
      } catch (e) {
        if (!(e instanceof CogdeskError) || e.code !== 'not_found') throw e;
      }
      const docker = await d.access.docker();
      const local = await docker.getImage(parseImageRef(ref).full).inspect().catch(() => null);
      if (local) return registerImage(docker, store, parseImageRef(ref).full);
      return pull(ref, o);
    },

    async listModels() {
      return store.library.listModels();
    },
    async listVersions(modelId) {
      return store.library.listVersions(modelId);
    },
    async getVersion(versionId) {
      return store.library.getVersion(versionId.replace(/^sha256:/, ''));
    },

    async pullImage(ref) {
      parseImageRef(ref); // a reference that cannot be one answers at once
      return startPullTask(d, ref, (o) => pull(ref, o));
    },

    async deleteVersion(versionId) {
      const version = store.library.getVersion(versionId.replace(/^sha256:/, ''));
      if (!version) throw notFound('version', versionId);
      const running = store.predictions.unfinished().filter((u) => u.prediction.versionId === version.id);
      if (running.length > 0) {
        throw new CogdeskError({
          code: 'bad_request',
          message: `${version.imageRef} has ${running.length} prediction(s) running`,
          hint: 'Cancel them first, or wait until they finish.',
        });
      }
      const docker = await d.access.docker();
      const warm = d.pool.get(version.id);
      if (warm) await d.pool.discard(version.id, warm.containerId);
      for (const c of await listManagedContainers(docker, d.paths.homeId)) if (c.versionId === version.id) await removeContainer(docker, c.id);
      await d.weights.forget(version.id);
      await removeVersionImage(docker, version);
      store.library.deleteVersion(version.id);
      schemas.delete(version.id);
    },

    async scanLocalImages() {
      return scanLocalImages(await d.access.docker(), store);
    },

    async getDiskUsage() {
      return diskUsage(d.paths, store);
    },

    async listKeptWeights(versionId) {
      const kept = await d.weights.list(versionId ? versionId.replace(/^sha256:/, '') : undefined);
      return kept.map(({ versionId: v, bytes, setupMs, createdAt }) => ({ versionId: v, bytes, setupMs, createdAt }));
    },

    async forgetKeptWeights(versionId) {
      const version = resolveVersion(versionId);
      const warm = d.pool.get(version.id);
      if (warm && warm.queued > 0) {
        throw new CogdeskError({ code: 'bad_request', message: `${version.imageRef} is running a prediction`, hint: 'Forget its kept weights when it has finished.' });
      }
      // A warm container started from them holds their image: it goes first.
      if (warm) await d.pool.discard(version.id, warm.containerId);
      return { freedBytes: await d.weights.forget(version.id) };
    },
  };
}

function safeNormalized<T>(ref: string, find: (normalized: string) => T | null): T | null {
  try {
    return find(parseImageRef(ref).full);
  } catch {
    return null;
  }
}
