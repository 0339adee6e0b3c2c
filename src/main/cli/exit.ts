/**
 * Ending the `cogdesk` process without losing output. On a pipe, Node writes what the pipe takes at once
 * (64 KiB) and queues the rest; `process.exit()` drops that queue. So the CLI exits only after a last,
 * empty write on stdout and stderr has gone through: every write before it has then reached the reader.
 */

/** Resolves once everything written to `stream` so far is flushed (or the stream is gone: EPIPE, closed). */
export function flushed(stream: NodeJS.WritableStream & { destroyed?: boolean; writable?: boolean }): Promise<void> {
  if (stream.destroyed || stream.writable === false) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      stream.off('error', done);
      resolve();
    };
    stream.once('error', done);
    stream.write('', () => done());
  });
}

/**
 * A reader that stops early (`cogdesk ... | head`) closes the pipe: the next write fails with EPIPE.
 * That is not the command's failure: what follows is not written, and the command ends as it would have.
 */
export function quietOnClosedPipe(stream: NodeJS.WriteStream = process.stdout): void {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE' || e.code === 'ERR_STREAM_DESTROYED') return;
    process.stderr.write(`Error: cannot write the output: ${e.message}\n`, () => process.exit(1));
  });
}

/** Sets the exit code, waits for stdout and stderr to drain, then ends the process. */
export async function exitWhenFlushed(code: number): Promise<never> {
  process.exitCode = code;
  await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
  process.exit(code);
}

/** Exit code after Ctrl-C (128 + SIGINT), as shells and docker give. */
export const EXIT_INTERRUPTED = 130;

let interrupted = false;
/** Said by a command that caught Ctrl-C to cancel its work: the process then ends with 130. */
export const markInterrupted = () => {
  interrupted = true;
};
export const wasInterrupted = () => interrupted;

/**
 * A failure whose output was already printed (a report with a failed part, as `hardware --probe` of an image
 * that is not here): `main` prints the one line `message` on stderr and exits with `exitCode`.
 */
export class ReportedFailure extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'ReportedFailure';
  }
}
