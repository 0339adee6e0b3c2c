/**
 * Which of the three Cog servers an image runs (reference/cog-generations.md): the legacy Python server
 * (Cog <= 0.16), the Go "cog-runtime" (Cog 0.15.11-0.16.x with `build.cog_runtime: true`), or the Rust
 * "coglet" (Cog 0.17 and later). Read from the image's labels before it starts, confirmed by its health
 * check once it runs.
 */
import type { CogHealth } from './protocol';
import type { CogServer } from '../../../shared/cog-server';

export { COG_SERVER_NAMES, serverFromLabels, serverOfVersion, type CogServer } from '../../../shared/cog-server';

/** From a running server's health check: `version.coglet` is Rust coglet, `concurrency` the Go runtime, neither Python. */
export function serverFromHealth(health: CogHealth | null | undefined): CogServer | null {
  if (!health || typeof health !== 'object') return null;
  const h = health as CogHealth & { version?: { coglet?: unknown }; concurrency?: unknown };
  if (h.version && typeof h.version === 'object' && h.version.coglet !== undefined) return 'coglet';
  if (h.concurrency && typeof h.concurrency === 'object') return 'go';
  return 'python';
}
