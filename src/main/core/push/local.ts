/**
 * Local models: every image on this machine with Cog labels is a local model version (built with
 * `cog build`, pulled, or imported by name), with its schema, so it can be run and pushed. `localVersion`
 * finds the one a push names (never pulling); local-images.ts lists every Cog image Docker has.
 */
import type Docker from 'dockerode';
import type { Version } from '../../../shared/domain';
import { CogdeskError } from '../../../shared/errors';
import { dockerErrorToCogdesk, dockerTarget } from '../docker/connection';
import { isImageRef, parseImageRef } from '../docker/image-ref';
import { registerImage } from '../models';
import type { Store } from '../store';

const HEX64 = /^(?:sha256:)?([a-f0-9]{64})$/;

/**
 * The local version for a version id, an image on this machine (registered now if it was not: the image
 * behind a tag is what the tag names today), or a local model name (its newest version). Its image must
 * be here. Throws CogdeskError('not_found' / 'not_a_cog_image').
 */
export async function localVersion(docker: Docker, store: Store, ref: string): Promise<Version> {
  const trimmed = typeof ref === 'string' ? ref.trim() : '';
  if (!trimmed) throw new CogdeskError({ code: 'bad_request', message: 'Which model version? None was given', hint: 'Name a local image (as built with `cog build -t NAME`), a version id, or a local model.' });
  const hex = HEX64.exec(trimmed);
  let version: Version | null = hex ? store.library.getVersion(hex[1]) : null;

  if (!version && isImageRef(trimmed)) {
    const full = parseImageRef(trimmed).full;
    const info = await inspect(docker, full);
    if (info) return registerImage(docker, store, full);
    version = store.library.findVersionByImage(trimmed) ?? store.library.findVersionByImage(full);
  }
  if (!version) {
    const model = store.library.findModel(trimmed);
    if (model?.latestVersionId) version = store.library.getVersion(model.latestVersionId);
  }
  if (!version) {
    throw new CogdeskError({
      code: 'not_found',
      message: `No local model version "${trimmed}"`,
      hint: 'Build it with `cog build -t NAME` (or pull it), then push NAME. List local models with: cogdesk models',
    });
  }
  if (!(await inspect(docker, version.imageId))) {
    throw new CogdeskError({
      code: 'image_not_found',
      message: `The image of ${version.imageRef} (${version.imageId.slice(0, 19)}) is no longer on this machine`,
      hint: `Build or pull it again, then push (cogdesk pull ${version.imageRef}).`,
    });
  }
  return version;
}

async function inspect(docker: Docker, ref: string): Promise<Docker.ImageInspectInfo | null> {
  try {
    return await docker.getImage(ref).inspect();
  } catch (e) {
    if ((e as { statusCode?: number }).statusCode === 404) return null;
    throw dockerErrorToCogdesk(e, { action: 'looking for the image', ref, target: dockerTarget(docker) });
  }
}
