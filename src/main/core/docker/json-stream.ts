/**
 * The engine's progress stream for a pull or a push: JSON objects, one a line, ending when the work is done.
 * dockerode's `followProgress` is not used for it: it treats a closed connection like a finished stream (a
 * dropped pull would look like success), and it throws on a line that is not JSON.
 */

/** What every event may carry: the engine reports a failure as an event, not as an HTTP error. */
export interface StreamEvent {
  error?: string;
  errorDetail?: { message?: string };
}

/**
 * How the stream ended: `ended` (the engine finished; `failure` is the first error event, if any), `lost`
 * (the connection broke or closed before the end), or `canceled` (the signal aborted it; the stream is
 * destroyed).
 */
export type StreamOutcome = { outcome: 'ended' | 'lost' | 'canceled'; failure?: string; error?: unknown };

/** Follows the stream to its end, handing each event that is not an error to `onEvent`. Never rejects. */
export function followJsonStream<E extends StreamEvent>(
  stream: NodeJS.ReadableStream,
  o: { signal?: AbortSignal; onEvent: (event: E) => void },
): Promise<StreamOutcome> {
  return new Promise<StreamOutcome>((resolve) => {
    let buffer = '';
    let failure: string | undefined;
    let settled = false;
    const settle = (outcome: StreamOutcome['outcome'], error?: unknown) => {
      if (settled) return;
      settled = true;
      o.signal?.removeEventListener('abort', onAbort);
      resolve({ outcome, ...(failure !== undefined ? { failure } : {}), ...(error !== undefined ? { error } : {}) });
    };
    const onAbort = () => {
      (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
      settle('canceled');
    };
    const handle = (line: string) => {
      if (!line.trim()) return;
      let event: E;
      try {
        event = JSON.parse(line) as E;
      } catch {
        return;
      }
      if (event.error || event.errorDetail) failure ??= event.errorDetail?.message || event.error || 'unknown error';
      else o.onEvent(event);
    };
    if (o.signal?.aborted) return onAbort();
    o.signal?.addEventListener('abort', onAbort, { once: true });
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      buffer += chunk;
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      lines.forEach(handle);
    });
    stream.on('end', () => {
      handle(buffer);
      settle('ended');
    });
    const broken = (e?: unknown) => settle(o.signal?.aborted ? 'canceled' : 'lost', e);
    stream.on('error', broken);
    stream.on('close', () => broken());
  });
}
