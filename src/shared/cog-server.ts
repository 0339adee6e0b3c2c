/**
 * Which of the three Cog servers an image runs (reference/cog-generations.md), from what is known before it
 * starts: the legacy Python server (Cog <= 0.16), the Go "cog-runtime" (Cog 0.15.11-0.16.x with
 * `build.cog_runtime: true`), or the Rust "coglet" (Cog 0.17 and later). Pure, so the window and the core
 * (src/main/core/cog/server-kind.ts, which adds the health check) tell it the same way.
 */

export type CogServer = 'python' | 'go' | 'coglet';

/** How the server is named to a person (the same words as the Library's Server column). */
export const COG_SERVER_NAMES: Record<CogServer, string> = {
  python: 'Python',
  go: 'cog-runtime (Go)',
  coglet: 'coglet (Rust)',
};

function minorOf(version: string | null | undefined): number | null {
  const m = /^v?(\d+)\.(\d+)/.exec(version ?? '');
  if (!m) return null;
  return Number(m[1]) > 0 ? Infinity : Number(m[2]);
}

/**
 * From an image's labels (and env, when known). Null when nothing tells (no `run.cog.version`, no hint):
 * such images are almost always old Python ones, but only the health check can say.
 * - `run.cog.version` >= 0.17: coglet, unless cog.yaml pins `build.sdk_version` below 0.17 (then Python);
 * - `build.cog_runtime: true` in `run.cog.config`, or env `R8_COG_VERSION=coglet`, below 0.17: the Go runtime;
 * - `coglet==` in `run.cog.pip_freeze` (and neither of the above): coglet;
 * - any other version: Python.
 */
export function serverFromLabels(
  labels: Record<string, string> | null | undefined,
  config: Record<string, unknown> | null,
  env?: readonly string[] | null,
): CogServer | null {
  const version = labels?.['run.cog.version'] ?? labels?.['org.cogmodel.cog_version'];
  const minor = minorOf(version);
  const build = (config?.build ?? null) as Record<string, unknown> | null;
  if (minor !== null && minor >= 17) {
    const sdk = minorOf(typeof build?.sdk_version === 'string' ? build.sdk_version : null);
    return sdk !== null && sdk < 17 ? 'python' : 'coglet';
  }
  if (build?.cog_runtime === true || (env ?? []).includes('R8_COG_VERSION=coglet')) return 'go';
  if (/^coglet==/m.test(labels?.['run.cog.pip_freeze'] ?? '')) return 'coglet';
  return minor === null ? null : 'python';
}

/** For a version in the library (its `run.cog.version` and `run.cog.config` are kept; pip freeze and env are not). */
export function serverOfVersion(v: { cogVersion: string | null; cogConfig: Record<string, unknown> | null }): CogServer | null {
  return serverFromLabels(v.cogVersion ? { 'run.cog.version': v.cogVersion } : null, v.cogConfig);
}
