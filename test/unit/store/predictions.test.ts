import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../../src/main/core/store/migrations';
import type { Prediction, PredictionQuery, PredictionSource } from '../../../src/shared/domain';
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

  describe('search (the trigram index over input values)', () => {
    const ids = (query: string, more: Omit<PredictionQuery, 'query'> = {}) => t.store.predictions.list({ query, ...more }).map((p) => p.id);

    it('finds a term in any field at any depth, as a substring, ignoring ASCII case', () => {
      const a = create('acme/a', { prompt: 'A Red Fox at dawn', seed: 42 });
      const b = create('acme/a', { prompt: 'a cat', options: { styles: ['watercolor', { extra: 'foxglove meadow' }] } });
      const c = create('acme/a', { prompt: 'nothing here', ratio: 1.5, file: 'C:\\Users\\me\\"quoted".png' });
      expect(ids('fox')).toEqual([b.id, a.id]);
      // A value as it was typed, not as JSON escapes it.
      expect(ids('Users\\me\\"quoted"')).toEqual([c.id]);
      expect(ids('RED FOX')).toEqual([a.id]);
      expect(ids('watercolor')).toEqual([b.id]);
      expect(ids('glove mea')).toEqual([b.id]);
      expect(ids('42')).toEqual([a.id]);
      expect(ids('1.5')).toEqual([c.id]);
      expect(ids('zeppelin')).toEqual([]);
    });

    it('every term must appear, in any field and any order; a "quoted phrase" is one term', () => {
      const a = create('acme/a', { prompt: 'castle in the fog', negative_prompt: 'blurry' });
      const b = create('acme/a', { prompt: 'fog over a castle' });
      create('acme/a', { prompt: 'a castle at noon' });
      expect(ids('castle fog')).toEqual([b.id, a.id]);
      expect(ids('fog blurry')).toEqual([a.id]);
      expect(ids('"in the fog"')).toEqual([a.id]);
      expect(ids('"fog castle"')).toEqual([]);
    });

    it('short terms, and % and _ as plain characters', () => {
      const a = create('acme/a', { prompt: '50% off', tag: 'x_y' });
      const b = create('acme/a', { prompt: '5000 offers', tag: 'xay' });
      expect(ids('x_y')).toEqual([a.id]);
      expect(ids('50%')).toEqual([a.id]);
      expect(ids('0%')).toEqual([a.id]);
      expect(ids('of')).toEqual([b.id, a.id]);
      expect(ids('xa 5')).toEqual([b.id]);
    });

    it('keys and data: URIs (whole files) are not searched', () => {
      const a = create('acme/a', { prompt: 'hello', image: 'data:image/png;base64,QUJDREVGR0g=' });
      expect(ids('prompt')).toEqual([]);
      expect(ids('QUJDREVG')).toEqual([]);
      expect(ids('image/png')).toEqual([]);
      expect(ids('hello')).toEqual([a.id]);
    });

    it('an exact prediction id finds it, newest first among text matches, within the filters', () => {
      const a = create('acme/a', { prompt: 'first' });
      const b = create('acme/b', { prompt: 'again', source_prediction: a.id });
      create('acme/a', { prompt: 'third' });
      expect(ids(a.id)).toEqual([b.id, a.id]);
      expect(ids(` ${a.id} `, { modelId: 'acme/a' })).toEqual([a.id]);
      expect(ids(a.id, { status: 'failed' })).toEqual([]);
      expect(ids(a.id, { limit: 1 })).toEqual([b.id]);
      expect(ids(a.id, { before: b.id })).toEqual([a.id]);
      // Part of an id is only text: it finds the input that mentions the id, not the prediction itself.
      expect(ids(a.id.slice(0, 10))).toEqual([b.id]);
    });

    it('combines with the model and status filters', () => {
      const a1 = create('acme/a', { prompt: 'red', style: 'fox' });
      const b1 = create('acme/b', { prompt: 'red fox' });
      const a2 = create('acme/a', { prompt: 'fox', color: 'red' });
      create('acme/a', { prompt: 'blue fox' });
      t.store.predictions.update(a2.id, { status: 'failed' });
      expect(ids('red fox')).toEqual([a2.id, b1.id, a1.id]);
      expect(ids('red fox', { modelId: 'acme/a' })).toEqual([a2.id, a1.id]);
      expect(ids('red fox', { status: 'failed' })).toEqual([a2.id]);
      expect(ids('red fox', { modelId: 'acme/b', status: 'starting' })).toEqual([b1.id]);
      expect(ids('red fox', { modelId: 'acme/b', status: 'failed' })).toEqual([]);
    });

    it('pages with `before`: every match exactly once, newest first', () => {
      const matches: string[] = [];
      t.store.db.transaction(() => {
        for (let i = 0; i < 30; i++) {
          const p = create('acme/a', i % 3 === 0 ? { prompt: `cat number ${i}`, mood: 'sleepy' } : { prompt: `dog number ${i}` });
          if (i % 3 === 0) matches.unshift(p.id);
        }
      })();
      const seen: string[] = [];
      let before: string | undefined;
      for (let page = 0; page < 10; page++) {
        const list = ids('sleepy cat', { limit: 3, before });
        if (list.length === 0) break;
        expect(list.length).toBeLessThanOrEqual(3);
        seen.push(...list);
        before = list[list.length - 1];
      }
      expect(seen).toEqual(matches);
      expect(ids('sleepy cat', { limit: 1000 })).toHaveLength(10);
    });

    it('a deleted prediction is gone from the index, also when a new one takes its place in the order', () => {
      const a = create('acme/a', { prompt: 'kaleidoscope' });
      const b = create('acme/a', { prompt: 'obsidian' });
      expect(t.store.predictions.delete(b.id)).toBe(true);
      const c = create('acme/a', { prompt: 'platypus' });
      expect(ids('obsidian')).toEqual([]);
      expect(ids('platypus')).toEqual([c.id]);
      expect(ids('kaleidoscope')).toEqual([a.id]);
      expect((t.store.db.prepare('SELECT COUNT(*) AS n FROM predictions_fts').get() as { n: number }).n).toBe(2);
    });

    it('survives a reopen, and migration 5 indexes the predictions an older Cogdesk kept', () => {
      const a = create('acme/a', { prompt: 'made before the index', seed: 7 });
      const b = create('acme/a', { prompt: 'also before', more: ['index me'] });
      t.store.db.exec('DROP TABLE predictions_fts; DROP TRIGGER predictions_fts_insert; DROP TRIGGER predictions_fts_delete; DROP TRIGGER predictions_fts_update;');
      t.store.db.pragma('user_version = 4');
      t.reopen();
      expect(t.store.db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
      expect(ids('index')).toEqual([b.id, a.id]);
      expect(ids('before the')).toEqual([a.id]);
      expect(t.store.db.prepare('SELECT rowid, input FROM predictions_fts ORDER BY rowid').all()).toEqual([
        { rowid: 1, input: 'made before the index\n7' },
        { rowid: 2, input: 'also before\nindex me' },
      ]);
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
