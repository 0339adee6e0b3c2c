/**
 * What the Docker integration tests stand on: the real engine, the test registries and their fixture
 * images (scripts/test-env/setup.sh), and one image of known layer sizes made here. Nothing is skipped:
 * when the engine or the registries are missing, `requireEnv` throws and every test of the file fails
 * with the reason.
 */
import type Docker from 'dockerode';
import { checkDocker, connectDocker } from '../../../src/main/core/docker/connection';
import { isCogdeskError } from '../../../src/shared/errors';
import { AUTH_PASSWORD, AUTH_USER, readFixtureManifest, type FixtureImage, type FixtureManifest } from '../../helpers/fixtures';
import { loadLocalImage, pushImage, removeImages } from './local-images';

export type { FixtureImage };
export type Fixtures = FixtureManifest & { authUser: string; authPassword: string };

export const docker: Docker = connectDocker();

/** Fails (never skips) when the engine, the fixture list or the registries are not there. */
export async function requireEnv(): Promise<Fixtures> {
  try {
    await checkDocker(docker, { timeoutMs: 10_000 });
  } catch (e) {
    const why = isCogdeskError(e) ? `${e.message}. ${e.hint ?? ''}` : String(e);
    throw new Error(`The Docker integration tests need a running Docker engine: ${why}`);
  }
  const fx: Fixtures = { ...readFixtureManifest(), authUser: AUTH_USER, authPassword: AUTH_PASSWORD };
  for (const [registry, want] of [[fx.openRegistry, 200], [fx.authRegistry, 401]] as const) {
    const status = await fetch(`http://${registry}/v2/`).then((r) => r.status, (e: unknown) => String(e));
    if (status !== want) {
      throw new Error(`The test registry ${registry} answers ${status} on /v2/ (expected ${want}): run scripts/test-env/setup.sh.`);
    }
  }
  for (const name of ['echo', 'private-echo', 'legacy', 'no-labels', 'bad-schema']) {
    if (!fx.images[name]) throw new Error(`The fixture list has no "${name}" image: run scripts/test-env/setup.sh.`);
  }
  return fx;
}

/** A 3-layer image of incompressible bytes with known sizes, on the open registry; same bytes every run. */
export const LAYERED = { repo: 'docker-tests/layers', tag: 'v1', sizes: [1_500_000, 1_000_000, 300_000] };

export async function ensureLayeredImage(fx: Fixtures): Promise<{ ref: string; digest: string; imageId: string; blobSizes: number[] }> {
  const ref = `${fx.openRegistry}/${LAYERED.repo}:${LAYERED.tag}`;
  let manifest = await fetchManifest(fx.openRegistry, LAYERED.repo, LAYERED.tag);
  if (!manifest) {
    await loadLocalImage(docker, { ref, layers: LAYERED.sizes, seed: 'cogdesk-docker-tests', labels: { 'run.cog.version': '0.15.5' } });
    await pushImage(docker, ref);
    await removeImages(docker, ref);
    manifest = await fetchManifest(fx.openRegistry, LAYERED.repo, LAYERED.tag);
    if (!manifest) throw new Error(`pushed ${ref} but the registry does not serve it`);
  }
  return { ref, digest: manifest.digest, imageId: manifest.configDigest, blobSizes: manifest.layers.map((l) => l.size) };
}

async function fetchManifest(
  registry: string,
  repo: string,
  tag: string,
): Promise<{ digest: string; configDigest: string; layers: Array<{ size: number }> } | undefined> {
  const res = await fetch(`http://${registry}/v2/${repo}/manifests/${tag}`, {
    headers: { accept: 'application/vnd.docker.distribution.manifest.v2+json' },
  });
  if (res.status === 404) return undefined;
  if (!res.ok) throw new Error(`registry ${registry} answered ${res.status} for ${repo}:${tag}`);
  const body = (await res.json()) as { config: { digest: string }; layers: Array<{ size: number }> };
  return { digest: res.headers.get('docker-content-digest')!, configDigest: body.config.digest, layers: body.layers };
}

/** Catches the rejection of a promise, for asserting on CogdeskErrors. */
export async function rejectionOf(p: Promise<unknown>): Promise<{ code?: string; message: string; hint?: string; details?: string }> {
  try {
    await p;
  } catch (e) {
    return e as { code?: string; message: string; hint?: string; details?: string };
  }
  throw new Error('expected a rejection, but it resolved');
}
