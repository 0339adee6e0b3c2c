/**
 * The test environment that scripts/test-env/setup.sh prepares: two local registries and the fixture Cog
 * images pushed to them (test/fixtures/cog-images/, served by test/fixtures/cog-server/server.py).
 */
import { existsSync, readFileSync } from 'node:fs';

/** Open registry (no auth). */
export const OPEN_REGISTRY = '127.0.0.1:5100';
/** Registry with htpasswd basic auth (AUTH_USER / AUTH_PASSWORD); holds `private/echo:latest`. */
export const AUTH_REGISTRY = '127.0.0.1:5101';
export const AUTH_USER = 'cogdesk';
export const AUTH_PASSWORD = 'cogdesk-test-pw';

/** Where setup.sh writes the list of pushed images (COGDESK_FIXTURES overrides it). */
export const FIXTURE_MANIFEST = process.env.COGDESK_FIXTURES ?? '/var/lib/cogdesk-test/fixtures.json';

/**
 * Fixture images in the open registry:
 * - echo, stream, file, fail, setup-fail, slow-setup, types: the predictors of
 *   /work/shared/reference/cog-v0.15.5/predict.py.txt, labelled like Cog 0.15.5 (`run.cog.*`);
 * - legacy: echo labelled only with the Cog <= 0.8 names (`org.cogmodel.*`, cog_version 0.8.6);
 * - no-labels: echo without any Cog label;
 * - bad-schema: echo whose `run.cog.openapi_schema` label is truncated, not JSON.
 */
export type FixtureName =
  | 'echo'
  | 'stream'
  | 'file'
  | 'fail'
  | 'setup-fail'
  | 'slow-setup'
  | 'types'
  | 'weights'
  | 'legacy'
  | 'no-labels'
  | 'bad-schema'
  | 'gpu';

/** Keys of `FixtureManifest.images`: every FixtureName plus `private-echo` (echo in the auth registry). */
export type FixtureKey = FixtureName | 'private-echo';

/**
 * `127.0.0.1:5100/fixtures/<name>:latest`. Any string is accepted (a loop over plain strings compiles, and
 * a name that does not exist makes a handy "not found" image); FixtureName gives completion.
 */
export function fixtureImage(name: FixtureName | (string & Record<never, never>)): string {
  return `${OPEN_REGISTRY}/fixtures/${name}:latest`;
}

/** `127.0.0.1:5101/private/echo:latest`: needs AUTH_USER / AUTH_PASSWORD. */
export const PRIVATE_ECHO_IMAGE = `${AUTH_REGISTRY}/private/echo:latest`;

export interface FixtureImage {
  /** e.g. `127.0.0.1:5100/fixtures/echo:latest` */
  ref: string;
  /** e.g. `127.0.0.1:5100` */
  registry: string;
  /** `ref` without the tag, e.g. `127.0.0.1:5100/fixtures/echo` */
  repository: string;
  tag: string;
  /** The pushed manifest's digest (`sha256:...`), what `RepoDigests` shows after a pull. */
  digest: string;
  /** `<repository>@<digest>` */
  pinnedRef: string;
  /** The image config digest (`sha256:...`), which is the local image id after a pull. */
  imageId: string;
  /** Which built-in predictor the container runs (COG_FIXTURE_PREDICTOR). */
  predictor: 'echo' | 'stream' | 'file' | 'fail' | 'setup-fail' | 'slow-setup' | 'types' | 'weights';
  /** Which label set the image carries. */
  labels: 'current' | 'legacy' | 'none' | 'bad';
  requiresAuth: boolean;
  /** sha256 of the fixture's sources (label `cogdesk.fixture-hash`). */
  fixtureHash: string;
}

export interface FixtureManifest {
  generatedAt: string;
  openRegistry: string;
  authRegistry: string;
  authUser: string;
  authPassword: string;
  baseImage: string;
  images: Record<string, FixtureImage>;
}

/** What setup.sh pushed, with digests; throws a clear error when the test environment is missing. */
export function readFixtureManifest(): FixtureManifest {
  if (!existsSync(FIXTURE_MANIFEST)) {
    throw new Error(
      `${FIXTURE_MANIFEST} is missing: run scripts/test-env/setup.sh first (as root; it starts dockerd, the test registries and pushes the fixture images)`,
    );
  }
  let manifest: FixtureManifest;
  try {
    manifest = JSON.parse(readFileSync(FIXTURE_MANIFEST, 'utf8')) as FixtureManifest;
  } catch (e) {
    throw new Error(`${FIXTURE_MANIFEST} is unreadable (${String(e)}): run scripts/test-env/setup.sh again`);
  }
  if (!manifest || typeof manifest !== 'object' || !manifest.images || typeof manifest.images !== 'object') {
    throw new Error(`${FIXTURE_MANIFEST} has no "images": run scripts/test-env/setup.sh again`);
  }
  return manifest;
}

/** One image of the manifest; throws when setup.sh did not record it. */
export function fixtureEntry(key: FixtureKey, manifest: FixtureManifest = readFixtureManifest()): FixtureImage {
  const image = manifest.images[key];
  if (!image) throw new Error(`${FIXTURE_MANIFEST} has no "${key}" image: run scripts/test-env/setup.sh first`);
  return image;
}
