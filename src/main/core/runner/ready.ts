import type Docker from 'dockerode';
import { CogdeskError } from '../../../shared/errors';
import { HEALTH_TIMEOUT_MS, type CogClient } from '../cog/client';
import type { CogHealth } from '../cog/protocol';
import { containerLogs, containerState } from '../docker/containers';

export interface WaitOptions {
  pollMs?: number;
  timeoutMs?: number;
  signal?: AbortSignal;
  onHealth?: (health: CogHealth) => void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Polls `/health-check` (every 100 ms, like `cog predict`) until the model is READY. Each check may take
 * seconds (coglet runs the model's own health check once READY, up to 10 s), and coglet answers 503 while
 * it starts: the body is what counts. SETUP_FAILED becomes an error at once, never waiting for the container
 * to exit (coglet and the Go runtime stay up), with the setup logs and, where those are short (coglet keeps
 * one line), the traceback from the container's output. A container that exits becomes an error carrying
 * what it printed. The client learns from the answers which server it talks to.
 */
export async function waitUntilReady(docker: Docker, containerId: string, client: CogClient, o: WaitOptions = {}): Promise<CogHealth> {
  const pollMs = o.pollMs ?? 100;
  const deadline = Date.now() + (o.timeoutMs ?? 30 * 60_000);
  let lastError = '';
  for (let i = 0; ; i++) {
    if (o.signal?.aborted) throw new CogdeskError({ code: 'canceled', message: 'Start canceled' });
    try {
      const health = await client.health(HEALTH_TIMEOUT_MS);
      o.onHealth?.(health);
      if (health.status === 'READY' || health.status === 'BUSY') return health;
      if (health.status === 'SETUP_FAILED' || health.status === 'DEFUNCT') {
        const logs = await setupFailureLogs(docker, containerId, health.setup?.logs ?? '');
        throw new CogdeskError({
          code: 'setup_failed',
          message: `The model's setup failed (${health.status})`,
          hint: "Look at the setup logs below: it is the model's own code that failed. Fix the model or its weights and run it again.",
          details: logs,
        });
      }
    } catch (e) {
      if (e instanceof CogdeskError && e.code === 'setup_failed') throw e;
      lastError = e instanceof Error ? e.message : String(e);
      // Not answering yet: the server may still be starting. Check the container is alive.
      if (i % 5 === 0) {
        const state = await containerState(docker, containerId);
        if (!state || !state.running) {
          throw new CogdeskError({
            code: 'container_failed',
            message: state
              ? `The model's container exited during start-up (exit code ${state.exitCode}${state.oomKilled ? ', out of memory' : ''})`
              : "The model's container disappeared during start-up",
            hint: 'Look at what it printed below.',
            details: await containerLogs(docker, containerId),
          });
        }
      }
    }
    if (Date.now() > deadline) {
      throw new CogdeskError({
        code: 'timeout',
        message: `The model did not become ready in time (${lastError || 'still starting'})`,
        hint: 'Its setup may be loading large weights; try again, or raise the timeout.',
        details: await containerLogs(docker, containerId),
      });
    }
    await sleep(pollMs);
  }
}

/**
 * What to show for a failed setup: the setup logs when they hold the story (the legacy server's traceback),
 * else those and the container's own output (coglet keeps one line; the traceback went to stdout/stderr).
 */
export async function setupFailureLogs(docker: Docker, containerId: string, setupLogs: string): Promise<string> {
  const lines = setupLogs.split('\n').filter((l) => l.trim()).length;
  if (lines > 2 && /Traceback|Error/.test(setupLogs)) return setupLogs;
  const printed = (await containerLogs(docker, containerId)).trim();
  if (!printed) return setupLogs;
  return setupLogs.trim() ? `${setupLogs.trim()}\n\n[cogdesk] the container's output:\n${printed}` : printed;
}
