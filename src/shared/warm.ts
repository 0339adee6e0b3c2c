/**
 * A warm container as `cogdesk ps` and the local API's `GET /v1/cogdesk/containers` show it: snake_case, as
 * every JSON the command line prints. The state and queue are known only to the Cogdesk that runs it (the
 * app or `cogdesk serve`): asked of anything else, they are null.
 */
export interface WarmContainerStatus {
  container_id: string;
  model: string;
  version: string;
  status: 'running' | 'stopped';
  /** When the container was started (ISO 8601, UTC). */
  started_at: string;
  /** Its memory use now, in bytes; null when stopped or Docker cannot say. */
  memory_bytes: number | null;
  /** The Cogdesk process that started it (the app, `cogdesk serve` or a `cogdesk run`), and whether it still runs. */
  owner_pid: number;
  owner_alive: boolean;
  /** `starting` (setup runs), `busy` (predictions run), `idle`; null when another process runs it. */
  state: 'starting' | 'busy' | 'idle' | null;
  /** Predictions running on it, and waiting for a slot; null as `state`. */
  running: number | null;
  queued: number | null;
  /** When an idle one is stopped (its idle timeout, ISO 8601 UTC); null when busy, or not known here. */
  idle_until: string | null;
}

/** What `cogdesk stop` stopped: the container, and the predictions it canceled on it. */
export interface StoppedContainer extends WarmContainerStatus {
  canceled_predictions: string[];
}
