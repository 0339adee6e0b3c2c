/**
 * A fixture Cog image that is not on this machine, so that pulling it really downloads bytes: a fixture
 * (its Cog labels and server) with one more layer of random bytes, built, pushed to the open test registry
 * under a fresh name, and removed here.
 */
import type Docker from 'dockerode';
import { Readable } from 'node:stream';
import { fixtureImage, OPEN_REGISTRY, type FixtureName } from '../../helpers/fixtures';
import { noise, pushImage, removeImages, tar } from '../../integration/docker/local-images';

async function drain(stream: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const c of stream) text += String(c);
  return text;
}

/**
 * Pushes `<fixture> + <extraBytes> of noise` as 127.0.0.1:5100/e2e/<name>:latest; answers the reference. The
 * noise is the same every run (the registry stores it once); images of earlier runs still here are removed
 * first, so that the layer is not here and the pull downloads it.
 */
export async function pushFreshVariant(docker: Docker, fixture: FixtureName, name: string, extraBytes = 24 * 1024 * 1024): Promise<string> {
  return (await pushFreshVariantPinned(docker, fixture, name, extraBytes)).ref;
}

/** pushFreshVariant, with the manifest digest the registry gave (a Replicate version id, once without `sha256:`). */
export async function pushFreshVariantPinned(
  docker: Docker,
  fixture: FixtureName,
  name: string,
  extraBytes = 24 * 1024 * 1024,
): Promise<{ ref: string; digest: string }> {
  const ref = `${OPEN_REGISTRY}/e2e/${name}:latest`;
  const leftovers = (await docker.listImages()).flatMap((i) => (i.RepoTags ?? []).filter((t) => t.startsWith(`${OPEN_REGISTRY}/e2e/${fixture}-`)));
  await removeImages(docker, ...leftovers);
  const context = tar([
    { name: 'Dockerfile', data: Buffer.from(`FROM ${fixtureImage(fixture)}\nCOPY noise.bin /opt/e2e-noise.bin\n`) },
    { name: 'noise.bin', data: noise(extraBytes, `cogdesk-e2e-${fixture}-${extraBytes}`) },
  ]);
  const out = await drain(await docker.buildImage(Readable.from([context]) as unknown as NodeJS.ReadableStream, { t: ref, rm: true }));
  if (/"error"/.test(out)) throw new Error(`building ${ref}: ${out}`);
  const digest = await pushImage(docker, ref);
  await removeImages(docker, ref);
  return { ref, digest };
}

/** Pulls an image into Docker when it is not there (the base a variant is built on). */
export async function ensureLocalImage(docker: Docker, ref: string): Promise<void> {
  const here = await docker
    .getImage(ref)
    .inspect()
    .then(() => true, () => false);
  if (here) return;
  const stream = await docker.pull(ref);
  await new Promise<void>((ok, fail) => docker.modem.followProgress(stream, (e: Error | null) => (e ? fail(e) : ok())));
}
