/**
 * Reads an image's labels straight from its registry, without pulling: the manifest (an index or list picks
 * linux/amd64), then the config blob, over the registry HTTP API v2. This is how a Replicate version's
 * `run.cog.config` (does it need a GPU?) is known before anything is downloaded.
 *
 * Auth the way Docker does it: anonymous first; on 401 the `WWW-Authenticate` challenge says how (a Bearer
 * token from the realm, with the user's Docker credentials when there are some, or Basic). Plain http only
 * for loopback registries (Docker's default insecure ones). Blob redirects are followed here, and
 * credentials never go to another host. Every answer is bounded in size and time and checked against its
 * digest before it is trusted.
 */
import { CogdeskError } from '../../../shared/errors';
import { parseImageRef } from './image-ref';
import { sha256 } from './registry-body';
import { MEDIA_TYPES, notAnImage, registryBaseUrl, RegistrySession, type RegistryReadOptions } from './registry-session';

export { parseChallenge, type AuthChallenge } from './registry-challenge';
export { isLoopbackRegistry, MEDIA_TYPES, registryBaseUrl, type RegistryReadOptions } from './registry-session';

/** Cog's config carries the OpenAPI schema as a label: generous, but bounded. */
const MAX_CONFIG_BYTES = 32 * 1024 * 1024;

export interface RemoteImageConfig {
  /** The reference as asked. */
  ref: string;
  /** The digest of the image manifest the labels come from (the platform's, for an index). */
  manifestDigest: string;
  configDigest: string;
  labels: Record<string, string>;
  /** The image's environment (`config.Env`: `CUDA_VERSION=12.4.1` in NVIDIA's base images); [] when it has none. */
  env: string[];
}

interface Descriptor {
  mediaType?: string;
  digest: string;
  size?: number;
  platform?: { os?: string; architecture?: string; variant?: string };
}

/**
 * Picks the image for a platform from an OCI index or Docker manifest list: an exact os/architecture
 * match, preferring no variant (or `v8` for arm64); null when none matches. Attestation manifests
 * (`unknown/unknown`) never match.
 */
export function pickFromIndex(
  manifests: readonly Descriptor[] | undefined,
  platform: { os: string; architecture: string } = { os: 'linux', architecture: 'amd64' },
): Descriptor | null {
  const fitting = (manifests ?? []).filter(
    (m) => m && typeof m.digest === 'string' && m.platform?.os === platform.os && m.platform?.architecture === platform.architecture,
  );
  if (fitting.length === 0) return null;
  const preferred = fitting.find((m) => !m.platform?.variant || (platform.architecture === 'arm64' && m.platform.variant === 'v8'));
  return preferred ?? fitting[0]!;
}

/**
 * The labels of an image in its registry, read without pulling. `ref` must pin a digest or name a tag
 * (`r8.im/owner/name@sha256:...`). Throws CogdeskError: not_found (no such image), registry_unauthorized
 * (credentials missing or refused), timeout, registry_error (unreachable, or an answer that is not an image).
 */
export async function readRemoteImageConfig(ref: string, o: RegistryReadOptions = {}): Promise<RemoteImageConfig> {
  const parsed = parseImageRef(ref);
  const reference = parsed.digest ?? parsed.tag ?? 'latest';
  const base = registryBaseUrl(parsed.registry);
  const session = new RegistrySession(parsed.registry, parsed.repository, base, ref, o);

  let manifestDigest = parsed.digest ?? null;
  let manifest = await session.manifest(reference, parsed.digest ?? null);
  if (isIndex(manifest.json, manifest.mediaType)) {
    const list = (manifest.json as { manifests?: Descriptor[] }).manifests;
    const platform = o.platform ?? { os: 'linux', architecture: 'amd64' };
    const picked = pickFromIndex(list, platform);
    if (!picked) {
      const has = (list ?? []).map((m) => `${m.platform?.os ?? '?'}/${m.platform?.architecture ?? '?'}`).join(', ');
      throw new CogdeskError({
        code: 'not_found',
        message: `${ref} has no ${platform.os}/${platform.architecture} image${has ? ` (it has ${has})` : ''}`,
        hint: 'Cogdesk runs linux/amd64 images: rebuild the model with `cog build` on linux/amd64, or pick another version.',
      });
    }
    manifestDigest = picked.digest;
    manifest = await session.manifest(picked.digest, picked.digest);
    if (isIndex(manifest.json, manifest.mediaType)) throw notAnImage(ref, 'its index points at another index');
  }
  manifestDigest ??= manifest.digestHeader ?? sha256(manifest.body);

  const config = (manifest.json as { config?: Descriptor }).config;
  if (!config || typeof config.digest !== 'string') throw notAnImage(ref, 'its manifest has no config');
  const body = await session.blob(config.digest, MAX_CONFIG_BYTES);
  let parsedConfig: unknown;
  try {
    parsedConfig = JSON.parse(body.toString('utf8'));
  } catch {
    throw notAnImage(ref, 'its config is not JSON');
  }
  const image = (parsedConfig as { config?: { Labels?: unknown; Env?: unknown } } | null)?.config;
  const labels = image?.Labels;
  const clean: Record<string, string> = {};
  if (labels && typeof labels === 'object') for (const [k, v] of Object.entries(labels)) if (typeof v === 'string') clean[k] = v;
  const env = Array.isArray(image?.Env) ? image.Env.filter((e): e is string => typeof e === 'string') : [];
  return { ref, manifestDigest, configDigest: config.digest, labels: clean, env };
}

function isIndex(json: unknown, mediaType: string | null): boolean {
  const declared = (json as { mediaType?: unknown } | null)?.mediaType;
  const type = typeof declared === 'string' ? declared : mediaType;
  if (type === MEDIA_TYPES.ociIndex || type === MEDIA_TYPES.dockerList) return true;
  return !type && Array.isArray((json as { manifests?: unknown } | null)?.manifests);
}
