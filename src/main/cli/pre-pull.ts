/**
 * Before `pull` or `run` downloads an image that is not here: its labels read from the registry (the
 * manifest and config only, as the fit badge reads them), so an image without Cog labels is refused before
 * its layers are downloaded, not after. When the registry cannot be read (offline, a private registry
 * Docker reaches another way), the pull goes on and says what it finds.
 */
import type { Core } from '../core';

export async function refuseNonCogBeforePull(core: Core, ref: string): Promise<void> {
  const [{ readRemoteImageConfig }, { COG_LABELS }, { CogdeskError }] = await Promise.all([
    import('../core/docker/registry-config'),
    import('../core/docker/labels'),
    import('../../shared/errors'),
  ]);
  // Docker may be one only the running Cogdesk reaches (it pulls then): the registry still answers.
  const docker = await core.docker().catch(() => null);
  const { parseImageRef } = await import('../core/docker/image-ref');
  let full: string;
  try {
    full = parseImageRef(ref).full;
  } catch {
    return; // not an image reference: the pull says why
  }
  if (docker && (await docker.getImage(full).inspect().then(() => true, () => false))) return;
  const config = await readRemoteImageConfig(full, { timeoutMs: 10_000 }).catch(() => null);
  if (!config) return;
  if (!config.labels[COG_LABELS.schema]?.trim() && !config.labels[COG_LABELS.legacySchema]?.trim()) {
    throw new CogdeskError({
      code: 'not_a_cog_image',
      message: `${full} has no Cog labels (${COG_LABELS.schema}): nothing was downloaded`,
      hint: 'Build it with `cog build`, or pick an image made by Cog.',
    });
  }
}
