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
 * - bad-schema: echo whose `run.cog.openapi_schema` label is truncated, not JSON;
 * - coglet-<predictor> and go-<predictor> (echo, stream, file, fail, setup-fail, slow-setup): the same
 *   predictors served like Rust coglet 0.22 (test/fixtures/cog-server/coglet_server.py) and like the Go
 *   cog-runtime (go_server.py), labelled as those images are. Their echo also takes `sleep` (seconds) and
 *   `crash` (the worker dies: coglet turns UNHEALTHY, the Go runtime DEFUNCT);
 * - coglet-echo-c4: coglet echo with COG_MAX_CONCURRENCY=4 (and `concurrency.max: 4` in run.cog.config);
 * - coglet-slow-health: coglet echo whose health check takes 2.5 s once READY.
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
  | 'gpu'
  | 'cuda124'
  | `${'coglet' | 'go'}-${GenerationPredictor}`
  | 'coglet-echo-c4'
  | 'coglet-slow-health';

/** The predictors every Cog server generation has a fixture image of. */
export type GenerationPredictor = 'echo' | 'stream' | 'file' | 'fail' | 'setup-fail' | 'slow-setup';

/** The three Cog servers inside model images (reference/cog-generations.md). */
export type CogGeneration = 'python' | 'coglet' | 'go';

export interface CogServerFixture {
  generation: CogGeneration;
  /** For test names. */
  label: string;
  /** The fixture image of a predictor served by this generation. */
  image: (predictor: GenerationPredictor) => string;
}

/**
 * The legacy Python server (Cog 0.15.5), Rust coglet 0.22 and the Go cog-runtime, for suites that exercise
 * the container protocol: `describe.each(COG_SERVERS)('... ($label)', (server) => ...)`.
 */
export const COG_SERVERS: readonly CogServerFixture[] = [
  { generation: 'python', label: 'Python server (Cog 0.15.5)', image: (p) => fixtureImage(p) },
  { generation: 'coglet', label: 'Rust coglet 0.22', image: (p) => fixtureImage(`coglet-${p}`) },
  { generation: 'go', label: 'Go cog-runtime', image: (p) => fixtureImage(`go-${p}`) },
];

/**
 * What a coglet or Go fixture container counts (a fixture-only route, `GET /_fixture/stats`; real servers
 * have none): predictions in flight now, the most in flight at once, and how many ran. `DELETE` resets it.
 */
export interface FixtureStats {
  inflight: number;
  max_inflight: number;
  total: number;
  max_concurrency: number;
}

/** Reads (or with reset, resets and reads) a coglet/Go fixture container's counters; `baseUrl` is its http://host:port. */
export async function fixtureStats(baseUrl: string, reset = false): Promise<FixtureStats> {
  const res = await fetch(new URL('/_fixture/stats', baseUrl), { method: reset ? 'DELETE' : 'GET' });
  if (!res.ok) throw new Error(`${baseUrl}/_fixture/stats answered HTTP ${res.status}: is it a coglet or Go fixture image?`);
  return (await res.json()) as FixtureStats;
}

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
  /** Which label set the image carries (coglet and go: also which server it runs). */
  labels: 'current' | 'legacy' | 'none' | 'bad' | 'coglet' | 'go';
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

/** The managed-weights fixture: the model and its weights pushed as an OCI index (scripts/test-env/managed-weights.mjs). */
export interface ManagedWeightsFixture {
  /** `127.0.0.1:5100/fixtures/managed-weights:weights` */
  ref: string;
  registry: string;
  /** `fixtures/managed-weights` */
  repository: string;
  indexDigest: string;
  /** Another index with the same image and weights (another version sharing them), and its digest. */
  sameWeightsRef: string;
  sameWeightsDigest: string;
  imageManifestDigest: string;
  weights: Array<{
    name: string;
    target: string;
    setDigest: string;
    manifestDigest: string;
    layers: Array<{ digest: string; size: number; mediaType: string }>;
    /** Path (relative to the target) to the file's sha256 digest. */
    files: Record<string, string>;
  }>;
  /** What fetching every weight downloads. */
  weightBytes: number;
}

export function readManagedWeightsFixture(path = process.env.COGDESK_MANAGED_WEIGHTS_JSON ?? '/var/lib/cogdesk-test/managed-weights.json'): ManagedWeightsFixture {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as ManagedWeightsFixture;
  } catch (e) {
    throw new Error(`Cannot read ${path} (${(e as Error).message}): run \`sudo bash scripts/test-env/setup.sh\` first`);
  }
}
