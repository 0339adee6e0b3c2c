import { describe, expect, it } from 'vitest';
import type { Prediction, PredictionSource } from '../../../src/shared/domain';
import { useTempStore } from '../../helpers/store';

const t = useTempStore();

const VERSION = 'a'.repeat(64);
const create = (modelId = 'acme/echo', input: Record<string, unknown> = { text: 'hi' }, source: PredictionSource = 'cli') =>
  t.store.predictions.create({ modelId, versionId: VERSION, input, source });

/** Creates `n` predictions in one transaction, oldest first. */
const createMany = (n: number, modelId = 'acme/echo'): Prediction[] => t.store.db.transaction(() => Array.from({ length: n }, (_, i) => create(modelId, { i })))();

const rawRow = (id: string) =>
  t.store.db.prepare('SELECT input, output, metrics, runner_pid FROM predictions WHERE id = ?').get(id) as {
    input: string;
    output: string | null;
    metrics: string | null;
    runner_pid: number | null;
  };

describe('predictions', () => {
  it('create: a Replicate-shaped id, status starting, and nothing else filled in yet', () => {
    const p = create('acme/echo', { text: 'hi', times: 3 }, 'api');
    expect(p.id).toMatch(/^[a-z2-7]{26}$/);
    expect(p).toMatchObject({
      modelId: 'acme/echo',
      versionId: VERSION,
      status: 'starting',
      input: { text: 'hi', times: 3 },
      output: null,
      logs: '',
      error: null,
      source: 'api',
      startedAt: null,
      completedAt: null,
      metrics: null,
      containerId: null,
    });
    expect(new Date(p.createdAt).toISOString()).toBe(p.createdAt);
    expect(t.store.predictions.get(p.id)).toEqual(p);
  });

  it('ids are unique', () => {
    const ids = new Set(createMany(200).map((p) => p.id));
    expect(ids.size).toBe(200);
  });

  it('get of an unknown id is null; update of one throws', () => {
    expect(t.store.predictions.get('nosuchprediction0000000000')).toBeNull();
    expect(() => t.store.predictions.update('nosuchprediction0000000000', { status: 'failed' })).toThrow(/does not exist/);
  });

  it('update sets what it is given and leaves the rest', () => {
    const p = create();
    const started = t.store.predictions.update(p.id, { status: 'processing', startedAt: '2026-01-01T00:00:01.000Z', containerId: 'c0ffee' });
    expect(started).toMatchObject({ status: 'processing', startedAt: '2026-01-01T00:00:01.000Z', containerId: 'c0ffee', output: null, logs: '' });

    const done = t.store.predictions.update(p.id, {
      status: 'succeeded',
      output: 'hello',
      logs: 'line 1\nline 2\n',
      completedAt: '2026-01-01T00:00:02.000Z',
      metrics: { predict_time: 0.25 },
      // undefined means "leave it": not "clear it"
      error: undefined,
    });
    expect(done).toMatchObject({
      status: 'succeeded',
      output: 'hello',
      logs: 'line 1\nline 2\n',
      startedAt: '2026-01-01T00:00:01.000Z',
      completedAt: '2026-01-01T00:00:02.000Z',
      metrics: { predict_time: 0.25 },
      containerId: 'c0ffee',
      error: null,
      input: { text: 'hi' },
    });
    expect(t.store.predictions.update(p.id, {})).toEqual(done);
    expect(t.store.predictions.get(p.id)).toEqual(done);
  });

  it('an unknown status is refused by the table', () => {
    const p = create();
    expect(() => t.store.predictions.update(p.id, { status: 'exploded' as never })).toThrow(/CHECK/);
    expect(t.store.predictions.get(p.id)?.status).toBe('starting');
  });

  describe('JSON columns round-trip', () => {
    const nested = {
      text: 'héllo wörld ✓ 🦊',
      n: 3,
      f: 0.125,
      neg: -7,
      yes: true,
      nothing: null,
      list: [1, 'two', { three: [3] }],
      deep: { a: { b: { c: 'd' } } },
      quote: 'say "hi"\n\tthen\\leave',
    };

    it('input, output and metrics come back as written, and are stored as JSON text', () => {
      const p = create('acme/echo', nested);
      t.store.predictions.update(p.id, { output: { result: nested, files: ['/data/outputs/x/a.png'] }, metrics: { predict_time: 1.5, total_time: 2.25 } });
      t.reopen();
      const back = t.store.predictions.get(p.id)!;
      expect(back.input).toEqual(nested);
      expect(back.output).toEqual({ result: nested, files: ['/data/outputs/x/a.png'] });
      expect(back.metrics).toEqual({ predict_time: 1.5, total_time: 2.25 });

      const row = rawRow(p.id);
      expect(JSON.parse(row.input)).toEqual(nested);
      expect(JSON.parse(row.output!)).toEqual({ result: nested, files: ['/data/outputs/x/a.png'] });
      expect(JSON.parse(row.metrics!)).toEqual({ predict_time: 1.5, total_time: 2.25 });
    });

    it.each([
      ['a string', 'hello'],
      ['an empty string', ''],
      ['zero', 0],
      ['false', false],
      ['a list of tokens', ['w-0 ', 'w-1 ']],
      ['an empty list', []],
      ['a number', 42.5],
    ])('an output that is %s survives', (_, output) => {
      const p = create();
      expect(t.store.predictions.update(p.id, { output }).output).toEqual(output);
      expect(t.store.predictions.get(p.id)!.output).toEqual(output);
    });

    it('an empty input is an empty object, not null', () => {
      const p = create('acme/echo', {});
      expect(t.store.predictions.get(p.id)!.input).toEqual({});
      expect(rawRow(p.id).input).toBe('{}');
    });
  });

  describe('list', () => {
    it('is newest first, even for predictions made within the same millisecond', () => {
      const made = createMany(20);
      expect(t.store.predictions.list().map((p) => p.id)).toEqual(made.map((p) => p.id).reverse());
    });

    it('filters by model, by status, and by both', () => {
      const a1 = create('acme/a');
      const b1 = create('acme/b');
      const a2 = create('acme/a');
      const a3 = create('acme/a');
      t.store.predictions.update(a1.id, { status: 'failed', error: 'boom' });
      t.store.predictions.update(b1.id, { status: 'failed' });
      t.store.predictions.update(a3.id, { status: 'succeeded' });

      expect(t.store.predictions.list({ modelId: 'acme/a' }).map((p) => p.id)).toEqual([a3.id, a2.id, a1.id]);
      expect(t.store.predictions.list({ modelId: 'acme/b' }).map((p) => p.id)).toEqual([b1.id]);
      expect(t.store.predictions.list({ status: 'failed' }).map((p) => p.id)).toEqual([b1.id, a1.id]);
      expect(t.store.predictions.list({ status: 'starting' }).map((p) => p.id)).toEqual([a2.id]);
      expect(t.store.predictions.list({ modelId: 'acme/a', status: 'failed' }).map((p) => p.id)).toEqual([a1.id]);
      expect(t.store.predictions.list({ modelId: 'acme/b', status: 'succeeded' })).toEqual([]);
      expect(t.store.predictions.list({ modelId: 'acme/none' })).toEqual([]);
    });

    it('pages with `before`: every prediction exactly once, in order', () => {
      const made = createMany(7).map((p) => p.id).reverse();
      const seen: string[] = [];
      let before: string | undefined;
      for (let page = 0; page < 10; page++) {
        const list = t.store.predictions.list({ limit: 3, before });
        if (list.length === 0) break;
        expect(list.length).toBeLessThanOrEqual(3);
        seen.push(...list.map((p) => p.id));
        before = list[list.length - 1].id;
      }
      expect(seen).toEqual(made);
    });

    it('`before` combines with the filters', () => {
      const ids: string[] = [];
      for (let i = 0; i < 6; i++) ids.push(create(i % 2 ? 'acme/odd' : 'acme/even').id);
      // ids: even0, odd1, even2, odd3, even4, odd5; before odd5 in acme/even: even4, even2, even0
      expect(t.store.predictions.list({ modelId: 'acme/even', before: ids[5] }).map((p) => p.id)).toEqual([ids[4], ids[2], ids[0]]);
      expect(t.store.predictions.list({ modelId: 'acme/odd', before: ids[3], limit: 5 }).map((p) => p.id)).toEqual([ids[1]]);
    });

    it('`before` an unknown id gives nothing', () => {
      createMany(3);
      expect(t.store.predictions.list({ before: 'nosuchprediction0000000000' })).toEqual([]);
    });

    it('keeps the order after a deletion and new predictions', () => {
      const [a, b, c] = createMany(3);
      expect(t.store.predictions.delete(c.id)).toBe(true);
      expect(t.store.predictions.delete(c.id)).toBe(false);
      const d = create();
      expect(t.store.predictions.list().map((p) => p.id)).toEqual([d.id, b.id, a.id]);
    });

    it('limit: 50 by default, at least 1, at most 1000', () => {
      const made = createMany(1005);
      const newest = made.map((p) => p.id).reverse();
      expect(t.store.predictions.list().map((p) => p.id)).toEqual(newest.slice(0, 50));
      expect(t.store.predictions.list({ limit: 7 }).map((p) => p.id)).toEqual(newest.slice(0, 7));
      expect(t.store.predictions.list({ limit: 0 }).map((p) => p.id)).toEqual(newest.slice(0, 1));
      expect(t.store.predictions.list({ limit: -10 }).map((p) => p.id)).toEqual(newest.slice(0, 1));
      expect(t.store.predictions.list({ limit: 1000 })).toHaveLength(1000);
      expect(t.store.predictions.list({ limit: 5000 }).map((p) => p.id)).toEqual(newest.slice(0, 1000));
    });
  });

  describe('unfinished and the runner', () => {
    it('lists starting and processing predictions, oldest first, with their runner pid', () => {
      const a = create();
      const b = create();
      const c = create();
      const d = create();
      t.store.predictions.update(b.id, { status: 'processing' });
      t.store.predictions.update(c.id, { status: 'succeeded' });
      t.store.predictions.update(d.id, { status: 'canceled' });
      t.store.predictions.setRunner(a.id, 4242);

      const unfinished = t.store.predictions.unfinished();
      expect(unfinished.map((u) => u.prediction.id)).toEqual([a.id, b.id]);
      expect(unfinished.map((u) => u.runnerPid)).toEqual([4242, null]);
      expect(unfinished[1].prediction.status).toBe('processing');

      t.store.predictions.update(a.id, { status: 'failed' });
      expect(t.store.predictions.unfinished().map((u) => u.prediction.id)).toEqual([b.id]);
    });

    it('setRunner records and clears the pid, and it survives a reopen', () => {
      const p = create();
      t.store.predictions.setRunner(p.id, 1234);
      expect(rawRow(p.id).runner_pid).toBe(1234);
      t.reopen();
      expect(t.store.predictions.unfinished()).toEqual([{ prediction: t.store.predictions.get(p.id), runnerPid: 1234 }]);
      t.store.predictions.setRunner(p.id, null);
      expect(t.store.predictions.unfinished()[0].runnerPid).toBeNull();
      // The runner pid is bookkeeping: it is not part of the Prediction value.
      expect(Object.keys(t.store.predictions.get(p.id)!)).not.toContain('runnerPid');
    });
  });
});
