/**
 * Cog's managed weights, as `cog push` lays them out in the registry (replicate/cog, specs/weights.md,
 * "Managed Weights: OCI Format and Runtime State Specification" 1.0-draft, sections 1-2):
 *
 * - the model's reference is an OCI image index: the model image (linux/amd64) and one descriptor per weight,
 *   `artifactType: application/vnd.cog.weight.v1`, platform `unknown/unknown`, annotations
 *   `run.cog.weight.name`, `run.cog.weight.set-digest`, `run.cog.weight.size.uncompressed`;
 * - each weight is an OCI image manifest with config `application/vnd.cog.weight.config.v1+json` (the file
 *   index) and tar layers (`application/vnd.oci.image.layer.v1.tar`, `+gzip` or `+zstd`), each a disjoint set
 *   of regular files relative to the weight's target, extractable in any order; its annotations
 *   `run.cog.weight.name`, `run.cog.weight.target` (an absolute path in the container) and
 *   `run.cog.weight.set-digest`.
 *
 * This reads that index and those manifests (never a layer) into a plan: what to fetch and where it goes.
 * Docker itself pulls the index's linux/amd64 image and ignores the weights.
 */
import { posix } from 'node:path';
import { CogdeskError } from '../../../shared/errors';
import { parseImageRef } from './image-ref';
import { sha256 } from './registry-body';
import { MEDIA_TYPES, registryBaseUrl, RegistrySession, type RegistryReadOptions } from './registry-session';

export const COG_WEIGHT = {
  artifactType: 'application/vnd.cog.weight.v1',
  config: 'application/vnd.cog.weight.config.v1+json',
  name: 'run.cog.weight.name',
  target: 'run.cog.weight.target',
  setDigest: 'run.cog.weight.set-digest',
} as const;

/** The layer media types a consumer must accept (specs/weights.md 2.1), and how each is compressed. */
export const WEIGHT_LAYER_TYPES: Record<string, WeightLayer['compression']> = {
  'application/vnd.oci.image.layer.v1.tar': 'none',
  'application/vnd.oci.image.layer.v1.tar+gzip': 'gzip',
  'application/vnd.oci.image.layer.v1.tar+zstd': 'zstd',
};

export interface WeightLayer {
  digest: string;
  /** Bytes to download. */
  size: number;
  mediaType: string;
  compression: 'none' | 'gzip' | 'zstd';
}

export interface ManagedWeight {
  name: string;
  /** Where the model expects it in the container (absolute). */
  target: string;
  /** The weight set digest (the files' identity), when the manifest gives one. */
  setDigest: string | null;
  /** The weight manifest's digest: what the weight is kept under (verified content, all the way down). */
  manifestDigest: string;
  layers: WeightLayer[];
  /** The sum of the layers' sizes: what fetching it downloads. */
  bytes: number;
}

export interface WeightPlan {
  /** The reference as asked. */
  ref: string;
  /** The index's digest: the version's id (Docker's RepoDigests may name another manifest of the repository). */
  digest: string;
  registry: string;
  repository: string;
  weights: ManagedWeight[];
}

interface Descriptor {
  mediaType?: unknown;
  digest?: unknown;
  size?: unknown;
  artifactType?: unknown;
  annotations?: unknown;
}

const DIGEST = /^sha256:[a-f0-9]{64}$/;

/** The descriptors of an index that are Cog weights (by artifactType, or by the weight-name annotation). */
export function weightDescriptors(index: unknown): Descriptor[] {
  const manifests = (index as { manifests?: unknown } | null)?.manifests;
  if (!Array.isArray(manifests)) return [];
  return manifests.filter((m): m is Descriptor => {
    if (!m || typeof m !== 'object') return false;
    const d = m as Descriptor;
    return d.artifactType === COG_WEIGHT.artifactType || typeof annotationsOf(d)[COG_WEIGHT.name] === 'string';
  });
}

/**
 * One weight manifest, checked: its config says it is a Cog weight, it names itself and an absolute target,
 * and every layer is a tar Cogdesk can unpack. Throws CogdeskError (registry_error) saying what is wrong.
 */
export function parseWeightManifest(json: unknown, manifestDigest: string, ref: string): ManagedWeight {
  const m = (json ?? {}) as { mediaType?: unknown; config?: Descriptor; layers?: unknown; annotations?: unknown };
  const annotations = annotationsOf(m);
  const name = typeof annotations[COG_WEIGHT.name] === 'string' ? (annotations[COG_WEIGHT.name] as string) : null;
  const label = name ? `The weight "${name}" of ${ref}` : `A weight of ${ref} (${manifestDigest.slice(0, 19)})`;
  const bad = (why: string, hint = 'Push the model again with a current `cog push`, or pick another version.') =>
    new CogdeskError({ code: 'registry_error', message: `${label} ${why}`, hint, details: 'managed weights' });

  if (m.mediaType !== undefined && m.mediaType !== MEDIA_TYPES.ociManifest) {
    throw bad(`is a ${String(m.mediaType)}, not an OCI image manifest (${MEDIA_TYPES.ociManifest})`);
  }
  const configType = m.config?.mediaType;
  if (configType !== COG_WEIGHT.config) {
    throw bad(
      `has a config of media type ${typeof configType === 'string' ? configType : 'none'}, which is not a Cog weight (${COG_WEIGHT.config})`,
      'It may come from a newer Cog than this Cogdesk knows: update Cogdesk, or pick another version.',
    );
  }
  if (!name) throw bad(`has no ${COG_WEIGHT.name} annotation`);
  const target = annotations[COG_WEIGHT.target];
  if (typeof target !== 'string' || !target) throw bad(`has no ${COG_WEIGHT.target} annotation (where it goes in the container)`);
  const trimmed = target.replace(/\/+$/, '');
  if (!posix.isAbsolute(target) || !trimmed || posix.normalize(trimmed) !== trimmed || target.split('/').includes('..')) {
    throw bad(`has the target "${target}", which is not an absolute folder in the container`);
  }
  if (!Array.isArray(m.layers) || m.layers.length === 0) throw bad('has no layers');
  const layers = m.layers.map((l: Descriptor, i: number): WeightLayer => {
    const type = typeof l?.mediaType === 'string' ? l.mediaType : '';
    const compression = WEIGHT_LAYER_TYPES[type];
    if (!compression) {
      throw bad(
        `has a layer of media type ${type || 'none'} (layer ${i + 1}), which Cogdesk cannot unpack: it knows ${Object.keys(WEIGHT_LAYER_TYPES).join(', ')}`,
        'It may come from a newer Cog than this Cogdesk knows: update Cogdesk, or pick another version.',
      );
    }
    if (typeof l.digest !== 'string' || !DIGEST.test(l.digest)) throw bad(`has a layer without a sha256 digest (layer ${i + 1})`);
    if (typeof l.size !== 'number' || !Number.isSafeInteger(l.size) || l.size < 0) throw bad(`has a layer without a size (layer ${i + 1})`);
    return { digest: l.digest, size: l.size, mediaType: type, compression };
  });
  const set = annotations[COG_WEIGHT.setDigest];
  return {
    name,
    target: trimmed,
    setDigest: typeof set === 'string' && DIGEST.test(set) ? set : null,
    manifestDigest,
    layers,
    bytes: layers.reduce((n, l) => n + l.size, 0),
  };
}

/** Two weights may not share a target or nest (specs/weights.md 3.4): each is one read-only mount. */
export function checkTargets(weights: readonly ManagedWeight[], ref: string): void {
  for (const a of weights) {
    for (const b of weights) {
      if (a === b) continue;
      if (a.target === b.target || b.target.startsWith(`${a.target}/`)) {
        throw new CogdeskError({
          code: 'registry_error',
          message: `The weights "${a.name}" and "${b.name}" of ${ref} go to the same place (${a.target}, ${b.target})`,
          hint: 'Each weight needs a folder of its own: fix the targets in cog.yaml and push again.',
          details: 'managed weights',
        });
      }
    }
  }
}

/**
 * The managed weights of a reference, read from its registry: null when the reference is not an index with
 * weights (most images). Reads the index and each weight manifest (verified against its digest), no layer.
 */
export async function readWeightPlan(ref: string, o: RegistryReadOptions = {}): Promise<WeightPlan | null> {
  const parsed = parseImageRef(ref);
  const session = new RegistrySession(parsed.registry, parsed.repository, registryBaseUrl(parsed.registry), ref, o);
  const top = await session.manifest(parsed.digest ?? parsed.tag ?? 'latest', parsed.digest ?? null);
  const found = weightDescriptors(top.json);
  if (found.length === 0) return null;
  const weights: ManagedWeight[] = [];
  for (const d of found) {
    if (typeof d.digest !== 'string' || !DIGEST.test(d.digest)) {
      throw new CogdeskError({ code: 'registry_error', message: `${ref} lists a weight without a sha256 digest`, hint: 'Push the model again with a current `cog push`.', details: 'managed weights' });
    }
    const manifest = await session.manifest(d.digest, d.digest);
    weights.push(parseWeightManifest(manifest.json, d.digest, ref));
  }
  checkTargets(weights, ref);
  return { ref, digest: sha256(top.body), registry: parsed.registry, repository: parsed.repository, weights };
}

/** Opens a layer of a weight for streaming (auth and redirects as for manifests). */
export function weightSession(plan: Pick<WeightPlan, 'ref' | 'registry' | 'repository'>, o: RegistryReadOptions = {}): RegistrySession {
  return new RegistrySession(plan.registry, plan.repository, registryBaseUrl(plan.registry), plan.ref, o);
}

function annotationsOf(x: { annotations?: unknown }): Record<string, unknown> {
  return x.annotations && typeof x.annotations === 'object' ? (x.annotations as Record<string, unknown>) : {};
}
