/**
 * The engine's progress stream (src/main/core/docker/json-stream.ts): events one a line, split anywhere; the
 * first error event is the failure; a stream that closes before its end is lost, not finished; an abort
 * destroys it.
 */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { followJsonStream, type StreamEvent } from '../../../src/main/core/docker/json-stream';

type E = StreamEvent & { status?: string };

describe('followJsonStream', () => {
  it('hands over each event, across chunk boundaries and a last line without a newline; skips lines that are not JSON', async () => {
    const stream = new PassThrough();
    const seen: string[] = [];
    const done = followJsonStream<E>(stream, { onEvent: (e) => seen.push(e.status ?? '') });
    stream.write('{"status":"Pulling fs layer"}\n{"sta');
    stream.write('tus":"Downloading"}\nnot json\n\n');
    stream.end('{"status":"Digest: sha256:abc"}');
    expect(await done).toEqual({ outcome: 'ended' });
    expect(seen).toEqual(['Pulling fs layer', 'Downloading', 'Digest: sha256:abc']);
  });

  it('keeps the first error event as the failure, and does not hand error events over', async () => {
    const stream = new PassThrough();
    const seen: E[] = [];
    const done = followJsonStream<E>(stream, { onEvent: (e) => seen.push(e) });
    stream.end('{"errorDetail":{"message":"manifest unknown"},"error":"manifest unknown"}\n{"error":"second"}\n');
    expect(await done).toEqual({ outcome: 'ended', failure: 'manifest unknown' });
    expect(seen).toEqual([]);
  });

  it('a stream that closes or errors before its end is lost (with the failure seen so far)', async () => {
    const closed = new PassThrough();
    const a = followJsonStream<E>(closed, { onEvent: () => undefined });
    closed.write('{"error":"denied"}\n');
    closed.destroy();
    expect(await a).toEqual({ outcome: 'lost', failure: 'denied' });

    const broken = new PassThrough();
    const b = followJsonStream<E>(broken, { onEvent: () => undefined });
    const boom = new Error('socket hang up');
    broken.destroy(boom);
    expect(await b).toMatchObject({ outcome: 'lost', error: boom });
  });

  it('an abort destroys the stream and answers canceled, also when it came before', async () => {
    const stream = new PassThrough();
    const ac = new AbortController();
    const done = followJsonStream<E>(stream, { signal: ac.signal, onEvent: () => undefined });
    ac.abort();
    expect(await done).toEqual({ outcome: 'canceled' });
    expect(stream.destroyed).toBe(true);

    const early = new PassThrough();
    expect(await followJsonStream<E>(early, { signal: AbortSignal.abort(), onEvent: () => undefined })).toEqual({ outcome: 'canceled' });
    expect(early.destroyed).toBe(true);
  });
});
