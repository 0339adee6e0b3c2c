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
import { resolveLocalVersion } from './resolve-name';
import { ManagedWeights } from './managed-weights';
import { pullWithWeights } from './managed-pull';
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

export function createLibraryService(d: LibraryDeps): LibraryService {
  const { store } = d;
  const schemas = new Map<string, VersionSchema>();
  const managed = new ManagedWeights(d.paths.weights);

  const resolveVersion = (ref: string): Version => {
    const version = resolveLocalVersion(store.library, ref);
    if (version) return version;
    throw new CogdeskError({
      code: 'not_found',
      message: `No local model or version "${ref.trim()}"`,
      hint: `Pull it first: cogdesk pull ${ref.trim()}`,
    });
  };

  const pull = async (ref: string, o: PullOptions = {}): Promise<Version> => {
    const parsed = parseImageRef(ref);
    const docker = await d.access.docker();
    // An image for a newer CUDA than the driver's is refused before anything is downloaded.
    await refuseCudaBeforePull(parsed.full);
    // Credentials come from the user's Docker config (auths or a credential helper) inside pullImage.
    let digest: string | undefined;
    // Managed weights (an OCI index with weight manifests) are fetched with the image, in the same progress.
    const plan = await pullWithWeights(managed, parsed.full, o, async (p) => {
      digest = (await pullImage(docker, parsed.full, p)).digest;
    });
    const version = await registerImage(docker, store, parsed.full, parsed.digest ?? plan?.digest ?? digest);
    if (plan) await managed.record(version.id, plan);
    return version;
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
          message: `${version.imageRef} has ${running.length} prediction${running.length === 1 ? '' : 's'} running`,
          hint: 'Cancel them first, or wait until they finish.',
        });
      }
      const docker = await d.access.docker();
      const warm = d.pool.get(version.id);
      if (warm) await d.pool.discard(version.id, warm.containerId);
      for (const c of await listManagedContainers(docker, d.paths.homeId)) if (c.versionId === version.id) await removeContainer(docker, c.id);
      await d.weights.forget(version.id);
      await removeVersionImage(docker, version);
      await managed.forgetVersion(version.id);
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
      const id = versionId ? versionId.replace(/^sha256:/, '') : undefined;
      const kept = await d.weights.list(id);
      // Managed weights (fetched with the pull) are kept weights too: one entry per version that mounts one.
      const fetched = (await managed.list(id)).filter((w) => w.present);
      return [
        ...kept.map(({ versionId: v, bytes, setupMs, createdAt }) => ({ versionId: v, kind: 'kept' as const, bytes, setupMs, createdAt })),
        ...fetched.map((w) => ({ versionId: w.versionId, kind: 'managed' as const, bytes: w.bytes, setupMs: 0, createdAt: w.createdAt, name: w.name, digest: w.manifestDigest })),
      ];
    },

    async forgetKeptWeights(versionId) {
      const version = resolveVersion(versionId);
      const warm = d.pool.get(version.id);
      if (warm && warm.queued > 0) {
        throw new CogdeskError({ code: 'bad_request', message: `${version.imageRef} is running a prediction`, hint: 'Forget its kept weights when it has finished.' });
      }
      // A warm container started from them holds their image: it goes first.
      if (warm) await d.pool.discard(version.id, warm.containerId);
      // Its managed weights too (those no other version uses are freed): its next start fetches them again.
      const kept = await d.weights.forget(version.id);
      return { freedBytes: kept + (await managed.forgetVersion(version.id)) };
    },
  };
}
