/**
 * `urls.stream`: a prediction as server-sent events, the way Replicate sends them and the official clients
 * read them (`Content-Type: text/event-stream` exactly; every event with an `id`, which the Python client
 * needs). Events: `output` (each new item of an iterator's output, or the whole output at the end of a
 * model that does not stream), `logs` (each new log line), `error` (the prediction failed; data is its
 * error), and `done` (`{}`, or `{"reason": "canceled"}` / `{"reason": "error"}`), after which the stream
 * ends. A stream opened late replays what is there so far, then goes on live.
 */
import type { ServerResponse } from 'node:http';
import { isTerminal, type Prediction } from '../../../shared/domain';
import type { Core } from '../index';
import { notFound } from './problem';
import type { Links, Serializer } from './serialize';

export type StreamEvent = 'output' | 'logs' | 'error' | 'done';

/** One event in the wire format: every line of `data` its own `data:` line. */
export function formatEvent(event: StreamEvent, data: string, id: string): string {
  const lines = data.split(/\r\n|\r|\n/).map((l) => `data: ${l}\n`).join('');
  return `event: ${event}\nid: ${id}\n${lines}\n`;
}

/**
 * Turns successive states of one prediction into the events it owes: only what is new since the last
 * state (logs and iterator output only grow), so a state seen twice, or an older one seen late, sends
 * nothing. Writes go out in order even when rendering an output (a data: URI) takes a moment.
 */
export class PredictionEvents {
  private outputsSent = 0;
  private logsOffset = 0;
  private partialLog = '';
  private seq = 0;
  private chain: Promise<void> = Promise.resolve();
  ended = false;

  constructor(
    private readonly write: (chunk: string) => void,
    private readonly render: (item: unknown) => Promise<string>,
    private readonly onEnd: () => void,
  ) {}

  push(p: Prediction): Promise<void> {
    this.chain = this.chain.then(() => this.apply(p)).catch(() => undefined);
    return this.chain;
  }

  private send(event: StreamEvent, data: string): void {
    this.write(formatEvent(event, data, String(this.seq++)));
  }

  private async apply(p: Prediction): Promise<void> {
    if (this.ended) return;
    const logs = p.logs ?? '';
    if (logs.length > this.logsOffset) {
      const lines = (this.partialLog + logs.slice(this.logsOffset)).split('\n');
      this.logsOffset = logs.length;
      this.partialLog = lines.pop() ?? '';
      for (const line of lines) this.send('logs', line);
    }
    if (Array.isArray(p.output) && p.output.length > this.outputsSent) {
      const fresh = p.output.slice(this.outputsSent);
      this.outputsSent = p.output.length;
      for (const item of fresh) this.send('output', await this.render(item));
    }
    if (!isTerminal(p.status)) return;
    if (this.partialLog) this.send('logs', this.partialLog);
    this.partialLog = '';
    if (p.status === 'succeeded' && !Array.isArray(p.output) && p.output !== null && p.output !== undefined) {
      this.send('output', await this.render(p.output));
    }
    if (p.status === 'failed') this.send('error', p.error ?? 'Prediction failed');
    this.send('done', p.status === 'succeeded' ? '{}' : JSON.stringify({ reason: p.status === 'canceled' ? 'canceled' : 'error' }));
    this.ended = true;
    this.onEnd();
  }
}

export interface StreamDeps {
  core: Core;
  serializer: Serializer;
  /** Open streams, ended when the server closes. */
  open: Set<ServerResponse>;
  /** How often to re-read the prediction, for one another process runs (its events never reach this one). */
  pollMs?: number;
  keepAliveMs?: number;
}

/** Answers a stream request; resolves when the stream ends (done, client gone, or server closing). */
export async function streamPrediction(deps: StreamDeps, res: ServerResponse, id: string, links: Links): Promise<void> {
  if (!(await deps.core.getPrediction(id))) throw notFound(`No prediction "${id}"`);
  res.writeHead(200, {
    'Content-Type': 'text/event-stream',
    'Cache-Control': 'no-store',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
  });
  res.flushHeaders();
  deps.open.add(res);

  let finish!: () => void;
  const finished = new Promise<void>((r) => (finish = r));
  const render = async (item: unknown): Promise<string> => {
    const value = await deps.serializer.output(item, links);
    return typeof value === 'string' ? value : JSON.stringify(value);
  };
  const events = new PredictionEvents(
    (chunk) => {
      if (!res.writableEnded) res.write(chunk);
    },
    render,
    () => res.end(),
  );
  const off = deps.core.on('prediction', (p) => {
    if (p.id === id) void events.push(p);
  });
  const poll = setInterval(() => {
    void deps.core.getPrediction(id).then((p) => (p ? events.push(p) : undefined));
  }, deps.pollMs ?? 1000);
  poll.unref();
  const keepAlive = setInterval(() => {
    if (!res.writableEnded) res.write(': keep-alive\n\n');
  }, deps.keepAliveMs ?? 15_000);
  keepAlive.unref();
  res.on('close', () => {
    off();
    clearInterval(poll);
    clearInterval(keepAlive);
    deps.open.delete(res);
    events.ended = true;
    finish();
  });

  const current = await deps.core.getPrediction(id);
  if (current) await events.push(current);
  await finished;
}
