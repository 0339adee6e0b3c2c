/**
 * Why a model's container stopped answering during a prediction, read from Docker rather than guessed:
 * its exit code once it has really exited (a `docker kill` is 137, not the 0 a still-running container
 * reports), out of memory, removed, or Docker itself gone; and what it printed while this prediction ran.
 */
import type Docker from 'dockerode';
import { CogConnectionError, CogHttpError, type CogClient } from '../cog/client';
import { containerState, demuxLogs } from '../docker/containers';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface ContainerFailure {
  /** What happened, for the prediction's error. */
  message: string;
  /** True when the container is still running and answering: the fault was this prediction's alone. */
  alive: boolean;
}

const SIGNALS: Record<number, string> = { 137: 'killed (SIGKILL)', 143: 'stopped (SIGTERM)', 139: 'crashed (segmentation fault)', 134: 'aborted' };

/** Waits up to `settleMs` for a container that lost its connection to finish exiting, then says why it stopped. */
export async function explainContainerFailure(docker: Docker, containerId: string, settleMs = 3_000): Promise<ContainerFailure> {
  const engineUp = await docker.ping().then(() => true, () => false);
  if (!engineUp) {
    return {
      alive: false,
      message: "Docker stopped answering during the prediction (the engine was stopped or restarted), and the model's container went with it. Start Docker again, then run the prediction again.",
    };
  }
  const deadline = Date.now() + settleMs;
  let state = await containerState(docker, containerId);
  while (state?.running && Date.now() < deadline) {
    await sleep(100);
    state = await containerState(docker, containerId);
  }
  if (!state) return { alive: false, message: "The model's container was removed during the prediction. Run it again: a fresh container starts." };
  if (state.running) {
    return { alive: true, message: "The connection to the model's container broke during the prediction, though the container still runs. Run it again." };
  }
  const how = state.oomKilled ? 'out of memory' : SIGNALS[state.exitCode];
  return {
    alive: false,
    message: `The model's container stopped during the prediction (exit code ${state.exitCode}${how ? `, ${how}` : ''}). ${
      state.oomKilled ? 'Give Docker more memory (or run a smaller input), then run it again.' : 'Run it again: a fresh container starts.'
    }`,
  };
}

/** What a container printed since `since` (an ISO time; the prediction's start), at most `tail` lines. */
export async function containerLogsSince(docker: Docker, containerId: string, since: string | null, tail = 50): Promise<string> {
  const from = since ? Date.parse(since) / 1000 : 0;
  try {
    const buf = (await docker.getContainer(containerId).logs({
      stdout: true,
      stderr: true,
      follow: false,
      tail,
      ...(from > 0 ? { since: from.toFixed(3) as unknown as number } : {}),
    })) as Buffer;
    return demuxLogs(buf);
  } catch {
    return '';
  }
}

/**
 * A prediction's request to its container broke (connection lost, or an HTTP error from a dying server):
 * what to tell the person, what to add to its logs (the container's output since `sentAt`, the server's
 * answer), and whether the container must be discarded (dead, not answering, or its setup failed).
 */
export async function whyContainerBroke(
  docker: Docker,
  container: { containerId: string; client: CogClient },
  e: CogConnectionError | CogHttpError,
  sentAt: string | null,
): Promise<{ message: string; logs: string[]; discard: boolean }> {
  const why = await explainContainerFailure(docker, container.containerId);
  const health = why.alive ? await container.client.health().catch(() => null) : null;
  const message =
    health?.status === 'SETUP_FAILED'
      ? "The model's setup failed, so it cannot run predictions."
      : !why.alive || e instanceof CogConnectionError
        ? why.message
        : `${e.message}: look at the logs below for the model's own error.`;
  const logs: string[] = [];
  const tail = await containerLogsSince(docker, container.containerId, sentAt, 50);
  if (tail) logs.push(`[cogdesk] the container's output during this prediction:\n${tail}`);
  if (e instanceof CogHttpError && e.details) logs.push(e.details);
  return { message, logs, discard: !why.alive || !health || health.status === 'SETUP_FAILED' };
}
