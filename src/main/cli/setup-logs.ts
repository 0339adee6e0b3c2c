/**
 * "Starting fixtures/echo (cold)…" and the model's setup logs on stderr while its container starts, so a
 * cold start of minutes is not a blank terminal. Cold means: no container of this data folder runs the
 * version when the prediction is made (here or in the running Cogdesk it goes through). The logs are the
 * container's own, followed from its start until the prediction leaves `starting`; a warm start shows none.
 */
import { Writable } from 'node:stream';
import type { Core } from '../core';
import { visibleStream } from './visible';

const POLL_MS = 200;

export interface SetupWatch {
  /** Told each state of the prediction: following stops once it is no longer `starting`. */
  update(status: string): void;
  stop(): void;
  /**
   * The part of a prediction's first logs that the watch already printed (the container's log lines that
   * came before the prediction was known to run, which are its first log lines too): so many characters to skip.
   */
  shownOf?(logs: string): number;
}

/** Kept of what the watch printed, to find the prediction's first log lines in it. */
const TAIL_CHARS = 64 * 1024;

/** The longest start of `logs`, ending at a line's end, that `tail` ends with. */
export function overlapOf(tail: string, logs: string): number {
  for (let k = Math.min(tail.length, logs.length); k > 0; k--) {
    if ((k === logs.length || logs[k - 1] === '\n') && tail.endsWith(logs.slice(0, k))) return k;
  }
  return 0;
}

export async function watchSetup(core: Core, versionId: string, modelId: string, o: { quiet?: boolean }): Promise<SetupWatch> {
  const none: SetupWatch = { update: () => undefined, stop: () => undefined };
  if (o.quiet) return none;
  // A Docker only the running Cogdesk reaches: no logs to follow from here (the run itself goes through it).
  const [{ LABELS }, docker] = await Promise.all([import('../core/docker/containers'), core.docker().catch(() => null)]);
  if (!docker) return none;
  const filters = { label: [`${LABELS.managed}=true`, `${LABELS.home}=${core.paths.homeId}`, `${LABELS.version}=${versionId}`] };
  const running = await docker.listContainers({ filters: { ...filters, status: ['running'] } }).catch(() => null);
  if (!running || running.length > 0) return none;
  process.stderr.write(`Starting ${modelId} (cold)…\n`);

  let done = false;
  let tail = '';
  let stream: NodeJS.ReadableStream | null = null;
  let timer: NodeJS.Timeout | undefined;
  const text = visibleStream();
  const out = new Writable({
    write(chunk: Buffer, _enc, cb) {
      if (!done) {
        const raw = chunk.toString('utf8');
        tail = (tail + raw).slice(-TAIL_CHARS);
        process.stderr.write(text.write(raw));
      }
      cb();
    },
  });
  const follow = async () => {
    if (done) return;
    const found = await docker.listContainers({ all: true, filters }).catch(() => []);
    if (found.length === 0) {
      timer = setTimeout(() => void follow(), POLL_MS);
      return;
    }
    const s = (await docker
      .getContainer(found[0].Id)
      .logs({ follow: true, stdout: true, stderr: true })
      .catch(() => null)) as NodeJS.ReadableStream | null;
    if (!s) return;
    if (done) return void (s as unknown as { destroy?: () => void }).destroy?.();
    stream = s;
    docker.modem.demuxStream(s, out, out);
  };
  void follow();
  const stop = () => {
    if (done) return;
    done = true;
    clearTimeout(timer);
    (stream as unknown as { destroy?: () => void } | null)?.destroy?.();
    const rest = text.end();
    if (rest) process.stderr.write(rest);
  };
  return { update: (status) => status !== 'starting' && stop(), stop, shownOf: (logs) => overlapOf(tail, logs) };
}
