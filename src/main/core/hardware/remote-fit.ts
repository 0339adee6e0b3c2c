/**
 * What a Replicate model's version needs, before anything is pulled. Replicate's API gives remote models no
 * hardware SKU, so the honest source is the image: a local version with that id (its `cog.yaml` label),
 * else the cache of versions checked before, else the image's config labels read from the registry
 * (`<registry>/owner/name@sha256:<version id>`, no pull). A version's image never changes, so what was
 * read once is kept for good; offline and never seen, the answer is "unknown", with why.
 */
import type { Fit, HardwareRequirement } from '../../../shared/hardware';
import { CogdeskError } from '../../../shared/errors';
import { cogConfigFromLabels } from '../docker/labels';
import { readRemoteImageConfig } from '../docker/registry-config';
import { parseModelId, type Catalog } from '../remote/catalog';
import { isRemoteError } from '../remote/client';
import { remoteImageRef } from '../remote/run-remote';
import type { Store } from '../store';
import { RemoteRequirementStore } from '../store/remote-requirements';
import { requirementFromCogConfig } from './fit';

export interface RemoteFitTarget {
  /** `owner/name` */
  model: string;
  /** A version id (64 hex); default the model's latest version from the catalog (its cache included). */
  version?: string;
}

export interface RemoteFitHost {
  store: Pick<Store, 'db' | 'library'>;
  catalog: Pick<Catalog, 'model'>;
  /** COGDESK_REGISTRY is read from here (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** The Docker config with the registry credentials (default `$DOCKER_CONFIG/config.json`). */
  dockerConfigPath?: string;
  timeoutMs?: number;
}

export type RemoteRequirement =
  | { kind: 'known'; versionId: string; requirement: HardwareRequirement; from: 'local' | 'cache' | 'registry' }
  /** It could not be checked (offline, the registry or the catalog cannot be reached): `sentence` says why. */
  | { kind: 'unchecked'; versionId: string | null; sentence: string };

const HEX64 = /^(?:sha256:)?([a-f0-9]{64})$/;

/** The Fit for a requirement that could not be read. */
export function uncheckedFit(sentence: string): Fit {
  return { kind: 'unknown', reason: null, requiredGB: null, requiredCount: 0, sentence };
}

/**
 * Finds what a version of a Replicate model needs. Throws CogdeskError for answers a person must act on
 * (not_found: no such model or version; registry_unauthorized: `docker login` needed; bad_request); returns
 * `unchecked` when it simply cannot be asked now.
 */
export async function remoteRequirement(host: RemoteFitHost, target: RemoteFitTarget): Promise<RemoteRequirement> {
  const { owner, name, id } = parseModelId(target.model);
  let versionId: string;
  if (target.version) {
    const m = HEX64.exec(target.version.trim());
    if (!m) {
      throw new CogdeskError({
        code: 'bad_request',
        message: `"${target.version}" is not a version id`,
        hint: 'A Replicate version id is 64 hexadecimal characters (see the model page\'s Versions).',
      });
    }
    versionId = m[1]!;
  } else {
    const latest = await latestVersion(host, id);
    if (typeof latest !== 'string') return latest;
    versionId = latest;
  }

  const local = host.store.library.getVersion(versionId);
  if (local) return { kind: 'known', versionId, requirement: requirementFromCogConfig(local.cogConfig), from: 'local' };

  const cache = new RemoteRequirementStore(host.store.db);
  const hit = cache.get(versionId);
  if (hit) return { kind: 'known', versionId, requirement: requirementFromCogConfig(hit.cogConfig), from: 'cache' };

  const imageRef = remoteImageRef({ owner: owner.toLowerCase(), name: name.toLowerCase() }, versionId, host.env ?? process.env);
  let labels: Record<string, string>;
  let env: string[] | undefined;
  try {
    const remote = await readRemoteImageConfig(imageRef, { dockerConfigPath: host.dockerConfigPath, timeoutMs: host.timeoutMs });
    labels = remote.labels;
    // The image's environment, where the registry reader gives it (CUDA_VERSION of NVIDIA's base images).
    env = (remote as { env?: string[] }).env;
  } catch (e) {
    if (e instanceof CogdeskError && (e.code === 'registry_error' || e.code === 'timeout')) {
      return { kind: 'unchecked', versionId, sentence: `Could not check whether it needs a GPU: ${withoutDot(e.message)}. ${e.hint ?? 'Try again when online.'}` };
    }
    throw e;
  }
  const cogConfig = cogConfigFromLabels(labels);
  const requirement = requirementFromCogConfig(cogConfig, env);
  cache.put({ versionId, modelId: id, imageRef, gpu: requirement.gpu, cogConfig });
  return { kind: 'known', versionId, requirement, from: 'registry' };
}

async function latestVersion(host: RemoteFitHost, id: string): Promise<string | RemoteRequirement> {
  try {
    const model = await host.catalog.model(id);
    const latest = model.data.latestVersion?.id;
    if (!latest) return { kind: 'unchecked', versionId: null, sentence: `${id} has no versions on Replicate yet: there is no image to check.` };
    return latest;
  } catch (e) {
    if (isRemoteError(e, 'network', 'server', 'throttled')) {
      return { kind: 'unchecked', versionId: null, sentence: `Could not check whether it needs a GPU: which version is the latest is unknown (${withoutDot(e.message)}). Try again when online.` };
    }
    throw e;
  }
}

function withoutDot(s: string): string {
  return s.replace(/[.\s]+$/, '');
}
