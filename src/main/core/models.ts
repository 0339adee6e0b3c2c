import type Docker from 'dockerode';
import type { Version } from '../../shared/domain';
import { CogdeskError } from '../../shared/errors';
import { parseVersionSchema } from '../../shared/schema';
import { dockerErrorToCogdesk, dockerTarget } from './docker/connection';
import { parseImageRef } from './docker/image-ref';
import { readCogLabels } from './docker/labels';
import type { Store } from './store';

/** Replicate's registry host; images there are named `owner/name` like the models they hold. */
export function replicateRegistry(env: NodeJS.ProcessEnv = process.env): string {
  return env.COGDESK_REGISTRY || 'r8.im';
}

/** The model an image belongs to: `owner/name` on Replicate's registry, else `host/path`. */
export function modelFor(ref: string): { id: string; owner: string | null; name: string; repository: string } {
  const parsed = parseImageRef(ref);
  const parts = parsed.repository.split('/');
  const name = parts[parts.length - 1];
  if (parsed.registry === replicateRegistry() && parts.length === 2) {
    return { id: parsed.repository, owner: parts[0], name, repository: parsed.name };
  }
  return { id: parsed.name, owner: parts.length > 1 ? parts[parts.length - 2] : null, name, repository: parsed.name };
}

const hex = (digest: string) => digest.replace(/^sha256:/, '');

/**
 * Reads a local image's Cog labels and records it as a version of its model. The version id is the
 * image's registry digest (Replicate's version id) or, for an image never pushed, its image id.
 */
export async function registerImage(docker: Docker, store: Store, ref: string, pinnedDigest?: string): Promise<Version> {
  const labels = await readCogLabels(docker, ref);
  try {
    parseVersionSchema(labels.openapiSchema);
  } catch (e) {
    if (e instanceof CogdeskError) {
      throw new CogdeskError({
        code: 'schema_invalid',
        message: `${ref} has a Cog schema label that Cogdesk cannot read: ${e.message}`,
        hint: 'Rebuild the image with a current `cog build`; its run.cog.openapi_schema label must be the JSON schema.',
      });
    }
    throw e;
  }
  const id = hex(pinnedDigest ?? labels.digest ?? labels.imageId);
  return store.library.register(modelFor(ref), {
    id,
    modelId: modelFor(ref).id,
    imageRef: ref,
    imageId: labels.imageId,
    cogVersion: labels.cogVersion,
    openapiSchema: JSON.parse(labels.openapiSchema) as Record<string, unknown>,
    cogConfig: labels.config,
    legacyLabels: labels.legacyLabels,
    sizeBytes: labels.sizeBytes,
  });
}

/**
 * Removes a version's image by the reference it was pulled as (other tags of the same image stay, and the
 * image is deleted with its last tag). An image already gone is fine; one a container still uses is not.
 */
export async function removeVersionImage(docker: Docker, version: Version): Promise<void> {
  try {
    await docker.getImage(version.imageRef).remove();
  } catch (e) {
    const status = (e as { statusCode?: number }).statusCode;
    if (status === 404) return;
    if (status === 409) {
      throw new CogdeskError({
        code: 'bad_request',
        message: `Docker will not remove ${version.imageRef}: a container outside Cogdesk still uses it`,
        hint: `Remove that container first (docker ps -a --filter ancestor=${version.imageRef}), then delete again.`,
        details: (e as Error).message,
      });
    }
    throw dockerErrorToCogdesk(e, { action: 'removing the image', ref: version.imageRef, target: dockerTarget(docker) });
  }
}
