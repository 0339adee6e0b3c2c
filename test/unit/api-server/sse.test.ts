import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import type { Prediction } from '../../../src/shared/domain';
import { formatEvent, PredictionEvents } from '../../../src/main/core/api-server/sse';

// The official client's own SSE parser (vendored eventsource-parser), which replicate.stream() reads with.
const { EventSourceParserStream } = createRequire(import.meta.url)('replicate/vendor/eventsource-parser/stream') as {
  EventSourceParserStream: new () => TransformStream<string, { event?: string; data: string; id?: string }>;
};

async function parse(text: string): Promise<Array<{ event?: string; data: string; id?: string }>> {
  const events: Array<{ event?: string; data: string; id?: string }> = [];
  const stream = new ReadableStream<string>({
    start(c) {
      c.enqueue(text);
      c.close();
    },
  }).pipeThrough(new EventSourceParserStream());
  for await (const e of stream as unknown as AsyncIterable<{ event?: string; data: string; id?: string }>) events.push({ event: e.event, data: e.data, id: e.id });
  return events;
}

const base: Prediction = {
  id: 'p1', modelId: 'm', versionId: 'v', status: 'starting', input: {}, output: null, logs: '', error: null, source: 'api',
  createdAt: '2025-01-01T00:00:00.000Z', startedAt: null, completedAt: null, metrics: null, containerId: null, runOn: 'local', remote: null,
};
const state = (patch: Partial<Prediction>): Prediction => ({ ...base, ...patch });

function recorder() {
  let text = '';
  let ended = 0;
  const events = new PredictionEvents(
    (chunk) => (text += chunk),
    async (item) => (typeof item === 'string' ? item : JSON.stringify(item)),
    () => ended++,
  );
  return { events, text: () => text, ended: () => ended };
}

describe('server-sent events of a prediction', () => {
  it('writes each line of data as its own data: line, with an event name and an id', async () => {
    expect(formatEvent('output', 'a\nb\r\nc', '3')).toBe('event: output\nid: 3\ndata: a\ndata: b\ndata: c\n\n');
    expect(await parse(formatEvent('output', ' two\nlines ', '0') + formatEvent('done', '{}', '1'))).toEqual([
      { event: 'output', data: ' two\nlines ', id: '0' },
      { event: 'done', data: '{}', id: '1' },
    ]);
  });

  it('sends new iterator items and new log lines once each, in order, then done', async () => {
    const r = recorder();
    await r.events.push(state({ status: 'processing', logs: 'token 0\ntok', output: ['a '] }));
    await r.events.push(state({ status: 'processing', logs: 'token 0\ntok', output: ['a '] })); // seen twice: nothing new
    await r.events.push(state({ status: 'processing', logs: 'token 0\ntoken 1\n', output: ['a ', 'b '] }));
    await r.events.push(state({ status: 'processing', logs: 'token 0\n', output: ['a '] })); // an older state late: nothing
    await r.events.push(state({ status: 'succeeded', logs: 'token 0\ntoken 1\nbye', output: ['a ', 'b ', ''] }));
    await r.events.push(state({ status: 'succeeded', logs: 'token 0\ntoken 1\nbye', output: ['a ', 'b ', ''] }));
    const events = await parse(r.text());
    expect(events.map((e) => [e.event, e.data])).toEqual([
      ['logs', 'token 0'],
      ['output', 'a '],
      ['logs', 'token 1'],
      ['output', 'b '],
      ['output', ''],
      ['logs', 'bye'],
      ['done', '{}'],
    ]);
    expect(events.map((e) => e.id)).toEqual(['0', '1', '2', '3', '4', '5', '6']);
    expect(r.ended()).toBe(1);
  });

  it('sends a non-streaming output once at the end, as JSON when it is not a string', async () => {
    const r = recorder();
    await r.events.push(state({ status: 'processing' }));
    await r.events.push(state({ status: 'succeeded', output: { text: 'x', n: 2 } }));
    expect((await parse(r.text())).map((e) => [e.event, e.data])).toEqual([
      ['output', '{"text":"x","n":2}'],
      ['done', '{}'],
    ]);
  });

  it('ends a failed prediction with error (its message) and done, and a canceled one with done canceled', async () => {
    const failed = recorder();
    await failed.events.push(state({ status: 'failed', error: 'boom: q', logs: 'about to fail\n' }));
    expect((await parse(failed.text())).map((e) => [e.event, e.data])).toEqual([
      ['logs', 'about to fail'],
      ['error', 'boom: q'],
      ['done', '{"reason":"error"}'],
    ]);
    const canceled = recorder();
    await canceled.events.push(state({ status: 'canceled', output: ['a'] }));
    expect((await parse(canceled.text())).map((e) => [e.event, e.data])).toEqual([
      ['output', 'a'],
      ['done', '{"reason":"canceled"}'],
    ]);
  });
});
