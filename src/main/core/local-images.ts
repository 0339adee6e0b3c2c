/**
 * Local models from Docker's images: every tagged image with Cog labels (`run.cog.openapi_schema`, or the
 * older `org.cogmodel.openapi_schema`) is a local model version, whether `cog build` made it, it was
 * pulled, or tagged by hand (kept weights excepted: they are a version's, not a model). A scan lists the ones
 * the library does not know yet.
 */
import type Docker from 'dockerode';
import type { LocalImageScan, Version } from '../../shared/domain';
import { dockerErrorToCogdesk, dockerTarget } from './docker/connection';
import { isImageRef, parseImageRef } from './docker/image-ref';
import { COG_LABELS } from './docker/labels';
import { registerImage } from './models';
import { WEIGHTS_LABELS } from './runner/weights';
import type { Store } from './store';

/**
 * Registers each Cog image Docker has whose image id no version of the library has yet, under its first
 * usable tag (one version per image: other tags of a known image are the same version). Untagged images
 * have no name to list them by and are left out; images whose labels cannot be read are named in
 * `skipped` with why.
 */
export async function scanLocalImages(docker: Docker, store: Store): Promise<LocalImageScan> {
  let images: Docker.ImageInfo[];
  try {
    const [modern, legacy] = await Promise.all([
      docker.listImages({ filters: { label: [COG_LABELS.schema] } }),
      docker.listImages({ filters: { label: [COG_LABELS.legacySchema] } }),
    ]);
    const byId = new Map<string, Docker.ImageInfo>();
    for (const i of [...modern, ...legacy]) byId.set(i.Id, i);
    images = [...byId.values()].sort((a, b) => a.Created - b.Created);
  } catch (e) {
    throw dockerErrorToCogdesk(e, { action: 'listing local images', target: dockerTarget(docker) });
  }
  const added: Version[] = [];
  const skipped: LocalImageScan['skipped'] = [];
  for (const image of images) {
    // Kept weights carry their version's Cog labels but are no model of their own (runner/weights.ts).
    if (image.Labels?.[WEIGHTS_LABELS.version]) continue;
    if (store.library.findVersionByImage(image.Id)) continue;
    const tag = (image.RepoTags ?? []).find((t) => t && t !== '<none>:<none>' && isImageRef(t));
    if (!tag) continue;
    const ref = parseImageRef(tag).full;
    try {
      added.push(await registerImage(docker, store, ref));
    } catch (e) {
      skipped.push({ ref, reason: e instanceof Error ? e.message : String(e) });
    }
  }
  return { added, skipped };
}
