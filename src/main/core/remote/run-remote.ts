/**
 * Running a public Replicate model here: `owner/name[:version]` (latest by default) is the image
 * `<registry>/owner/name@sha256:<version id>`, pulled by the engine with progress, registered as a version
 * with the schema Replicate gives for it, and run with the model's default example (or a chosen example)
 * as the starting input.
 */
import type Docker from 'dockerode';
import type { Prediction, PredictionSource, PullProgress, Version } from '../../../shared/domain';
import type { PredictionRequest } from '../../../shared/api';
import type { RemoteModel, RemotePrediction, RemoteVersion } from '../../../shared/catalog';
import { CogdeskError } from '../../../shared/errors';
import { parseVersionSchema } from '../../../shared/schema';
import { cogLabelsFromInspect, type CogImageLabels } from '../docker/labels';
import { pullImage } from '../docker/pull';
import type { WeightPlan } from '../docker/weight-manifests';
import { refuseCudaBeforePull } from '../hardware/cuda-gate';
import { pullWithWeights } from '../library/managed-pull';
import { ManagedWeights } from '../library/managed-weights';
import { replicateRegistry } from '../models';
import type { Store } from '../store';
import { isRemoteError } from './client';
import type { Catalog } from './catalog';
import { HEX64, isObj } from './shapes';

/** What of the core this needs (the Core from createCore has all of it). */
export interface RemoteRunHost {
  readonly store: Store;
  docker(): Promise<Docker>;
  /** The data folder's managed weights (paths.weights): a model's weights come with its pull, in its progress. */
  readonly weightsRoot?: string;
}

export interface RemoteModelRef {
  owner: string;
  name: string;
  /** `owner/name` */
  id: string;
  /** A 64-hex version id, when one was given. */
  version?: string;
  /** Written `r8.im/owner/name`: Replicate's model, whatever else has that name. */
  explicit?: true;
}

/** Replicate's registry host: `r8.im/owner/name` always names Replicate's model (what `cog push` takes). */
export const REPLICATE_PREFIX = 'r8.im/';
const PART = '[a-z0-9](?:[a-z0-9._-]*[a-z0-9])?';
const MODEL_REF = new RegExp(`^(r8\\.im/)?(${PART})/(${PART})(?::([a-f0-9]{64}))?$`);

/**
 * `owner/name`, `owner/name:<64 hex>`, and the same after `r8.im/`; null for anything else (a reference
 * with another host, a digest, a tag, an image id, a local name).
 */
export function parseRemoteModelRef(arg: string): RemoteModelRef | null {
  const m = MODEL_REF.exec(arg.trim());
  if (!m) return null;
  const ref: RemoteModelRef = { owner: m[2], name: m[3], id: `${m[2]}/${m[3]}` };
  if (m[4]) ref.version = m[4];
  if (m[1]) ref.explicit = true;
  return ref;
}

/** The image of a version: `<registry>/owner/name@sha256:<id>` (registry: COGDESK_REGISTRY, else r8.im). */
export function remoteImageRef(model: { owner: string; name: string }, versionId: string, env: NodeJS.ProcessEnv = process.env): string {
  if (!HEX64.test(versionId)) throw notAnImage(`${model.owner}/${model.name}`, versionId);
  return `${replicateRegistry(env)}/${model.owner}/${model.name}@sha256:${versionId}`;
}

/**
 * An example's input, kept to what the version takes: a default example may come from an older version
 * whose inputs differ, and an input the version does not know would be refused.
 */
export function exampleInput(example: RemotePrediction | null, openapiSchema: Record<string, unknown>): Record<string, unknown> {
  if (!example || !isObj(example.input)) return {};
  const known = new Set(parseVersionSchema(openapiSchema).inputs.map((f) => f.name));
  return Object.fromEntries(Object.entries(example.input).filter(([k, v]) => known.has(k) && v !== undefined));
}

export interface RemoteResolution {
  /** The pinned image reference the version was pulled as. */
  ref: string;
  /** The registered local version (its id is Replicate's version id). */
  version: Version;
  model: RemoteModel;
  remoteVersion: RemoteVersion;
  /** The example the starting input came from (the default example unless one was asked for). */
  example: RemotePrediction | null;
  /** The example's input, kept to the fields this version takes; -i values go on top of it. */
  startingInput: Record<string, unknown>;
  /** False when the image was already here. */
  pulled: boolean;
  /** Set when the catalog answered from the cache (offline and the like). */
  notice?: string;
}

export interface ResolveOptions {
  onProgress?: (p: PullProgress) => void;
  signal?: AbortSignal;
  /** Start from this example (a prediction id from the model's examples) instead of the default one. */
  example?: string;
  env?: NodeJS.ProcessEnv;
  /**
   * When the catalog cannot tell (offline with nothing cached, no token, not on Replicate) but the library
   * has the model, answer null so that the caller goes on with what is here (the command line). Left out
   * (the window), the catalog's error is the answer.
   */
  fallBackToLibrary?: boolean;
  /**
   * Pulls the image somewhere else that shares this data folder (the command line's running Cogdesk, which
   * fetches managed weights with it and keeps the window told); by default this process pulls it.
   */
  pullImage?: (ref: string, o: { onProgress?: (p: PullProgress) => void; signal?: AbortSignal }) => Promise<unknown>;
}

/**
 * Resolves `owner/name[:version]` (or `r8.im/owner/name[:version]`) as Replicate's model (or from the
 * cache), pulls the version's image and registers it with Replicate's schema. The name always means
 * Replicate's model here, even when a local image has the same name (a model page's Run locally);
 * the command line decides between the two before it asks (src/main/cli/catalog.ts). Returns null when
 * `arg` is not a Replicate model name (the caller then takes it as an image reference), or with
 * `fallBackToLibrary` as said there.
 */
export async function resolveRemoteRef(host: RemoteRunHost, catalog: Catalog, arg: string, o: ResolveOptions = {}): Promise<RemoteResolution | null> {
  const parsed = parseRemoteModelRef(arg);
  if (!parsed) return null;
  const docker = await host.docker();

  let model: Awaited<ReturnType<Catalog['model']>>;
  try {
    model = await catalog.model(parsed.id);
  } catch (e) {
    if (o.fallBackToLibrary && isRemoteError(e) && host.store.library.getModel(parsed.id)?.latestVersionId) return null;
    throw e;
  }
  const notices = model.notice ? [model.notice] : [];

  let example: RemotePrediction | null = model.data.defaultExample;
  if (o.example) {
    const examples = await catalog.examples(parsed.id);
    if (examples.notice) notices.push(examples.notice);
    const found = examples.data.find((x) => x.id === o.example) ?? (model.data.defaultExample?.id === o.example ? model.data.defaultExample : undefined);
    if (!found) {
      const ids = examples.data.map((x) => x.id);
      throw new CogdeskError({
        code: 'not_found',
        message: `${parsed.id} has no example ${o.example}`,
        hint: ids.length ? `Its examples: ${ids.join(', ')}` : `See its page: cogdesk model ${parsed.id}`,
      });
    }
    example = found;
  }

  const versionId =
    parsed.version ?? (o.example && example?.version && HEX64.test(example.version) ? example.version : model.data.latestVersion?.id);
  if (!versionId) {
    throw new CogdeskError({
      code: 'not_found',
      message: `${parsed.id} has no versions on Replicate yet`,
      hint: 'There is nothing to pull until its owner pushes a version.',
    });
  }
  const ref = remoteImageRef(parsed, versionId, o.env);

  let remoteVersion: RemoteVersion;
  const latest = model.data.latestVersion;
  if (latest?.id === versionId && latest.openapiSchema) {
    remoteVersion = latest;
  } else {
    const got = await catalog.version(parsed.id, versionId);
    if (got.notice) notices.push(got.notice);
    remoteVersion = got.data;
  }

  const managed = host.weightsRoot ? new ManagedWeights(host.weightsRoot) : null;
  const pulled = await ensureImage(docker, ref, parsed.id, versionId, o, managed);
  const version = await register(host, docker, ref, parsed, remoteVersion, o.env);
  if (pulled.plan && managed) await managed.record(version.id, pulled.plan);
  const result: RemoteResolution = {
    ref,
    version,
    model: model.data,
    remoteVersion,
    example,
    startingInput: exampleInput(example, version.openapiSchema),
    pulled: pulled.pulled,
  };
  if (notices.length) result.notice = [...new Set(notices)].join(' ');
  return result;
}

/**
 * Runs a public model here (for the app): resolves and pulls as above, then starts a prediction with the
 * starting input and `input` on top.
 */
export async function runRemoteModel(
  host: RemoteRunHost & { createPrediction(request: PredictionRequest): Promise<Prediction> },
  catalog: Catalog,
  arg: string,
  o: ResolveOptions & { input?: Record<string, unknown>; source?: PredictionSource } = {},
): Promise<{ prediction: Prediction; resolution: RemoteResolution }> {
  const resolution = await resolveRemoteRef(host, catalog, arg, o);
  if (!resolution) {
    throw new CogdeskError({
      code: 'bad_request',
      message: `"${arg}" is not a Replicate model name`,
      hint: 'Write it as owner/name or owner/name:<version id>; run local images by their reference.',
    });
  }
  const prediction = await host.createPrediction({
    version: resolution.version.id,
    input: { ...resolution.startingInput, ...(o.input ?? {}) },
    source: o.source ?? (o.example ? 'example' : 'app'),
  });
  return { prediction, resolution };
}

/**
 * Pulls the version's image when it is not here, with its managed weights (Cog's `weights:`) in the same
 * progress when the host keeps them; answers whether it pulled and the weight plan to record with the version.
 */
async function ensureImage(
  docker: Docker,
  ref: string,
  modelId: string,
  versionId: string,
  o: ResolveOptions,
  managed: ManagedWeights | null,
): Promise<{ pulled: boolean; plan: WeightPlan | null }> {
  if (await docker.getImage(ref).inspect().then(() => true, () => false)) return { pulled: false, plan: null };
  await refuseCudaBeforePull(ref, { env: o.env });
  try {
    if (o.pullImage) {
      await o.pullImage(ref, { onProgress: o.onProgress, signal: o.signal });
      return { pulled: true, plan: null }; // the weights plan is recorded where it was pulled
    }
    const pull = (p: { onProgress?: (p: PullProgress) => void; signal?: AbortSignal }) => pullImage(docker, ref, p);
    if (!managed) {
      await pull({ onProgress: o.onProgress, signal: o.signal });
      return { pulled: true, plan: null };
    }
    return { pulled: true, plan: await pullWithWeights(managed, ref, { onProgress: o.onProgress, signal: o.signal }, pull) };
  } catch (e) {
    if (e instanceof CogdeskError && e.code === 'image_not_found') {
      throw new CogdeskError({
        code: 'image_not_found',
        message: `The image of ${modelId} version ${versionId.slice(0, 12)} is gone from ${ref.slice(0, ref.indexOf('/'))} (${ref})`,
        hint: `Pick another version (cogdesk model ${modelId} lists them), or ask the model's owner to push it again.`,
        details: e.details ?? e.message,
      });
    }
    throw e;
  }
}

async function register(
  host: RemoteRunHost,
  docker: Docker,
  ref: string,
  model: RemoteModelRef,
  remote: RemoteVersion,
  env?: NodeJS.ProcessEnv,
): Promise<Version> {
  const info = await docker.getImage(ref).inspect();
  let labels: CogImageLabels | null = null;
  try {
    labels = cogLabelsFromInspect(info, ref);
  } catch {
    // No Cog labels: Replicate's schema is enough.
  }
  const schema = remote.openapiSchema ?? (labels ? (JSON.parse(labels.openapiSchema) as Record<string, unknown>) : null);
  if (!schema) {
    throw new CogdeskError({
      code: 'not_a_cog_image',
      message: `Neither Replicate nor the image says what ${model.id} version ${remote.id.slice(0, 12)} takes (no schema)`,
      hint: 'Pick another version of the model.',
    });
  }
  parseVersionSchema(schema);
  const registry = replicateRegistry(env);
  return host.store.library.register(
    { id: model.id, owner: model.owner, name: model.name, repository: `${registry}/${model.id}` },
    {
      id: remote.id,
      modelId: model.id,
      imageRef: ref,
      imageId: info.Id,
      cogVersion: remote.cogVersion ?? labels?.cogVersion ?? null,
      openapiSchema: schema,
      cogConfig: labels?.config ?? null,
      legacyLabels: labels?.legacyLabels ?? false,
      sizeBytes: typeof info.Size === 'number' ? info.Size : null,
      ...(remote.createdAt ? { createdAt: remote.createdAt } : {}),
    },
  );
}

function notAnImage(modelId: string, versionId: string): CogdeskError {
  return new CogdeskError({
    code: 'bad_request',
    message: `${modelId} version "${versionId}" has no public image to pull (official models keep their versions private)`,
    hint: 'Only models whose versions are 64-hex image digests can run locally; pick another model.',
  });
}
