import { describe, expect, it } from 'vitest';
import type { Prediction } from '../../../src/shared/domain';
import { useTempStore } from '../../helpers/store';

const t = useTempStore();

const A = 'acme/a';
const B = 'acme/b';

function succeeded(modelId: string, input: Record<string, unknown> = {}): Prediction {
  const p = t.store.predictions.create({ modelId, versionId: 'f'.repeat(64), input, source: 'app' });
  return t.store.predictions.update(p.id, { status: 'succeeded', output: `out of ${JSON.stringify(input)}` });
}

/** [predictionId, position, isDefault] of a model's examples, in list order. */
const summary = (modelId: string) => t.store.examples.list(modelId).map((e) => [e.predictionId, e.position, e.isDefault] as const);

/** How many rows of a model are marked default, straight from the table. */
const defaultRows = (modelId: string) =>
  (t.store.db.prepare('SELECT COUNT(*) AS n FROM examples WHERE model_id = ? AND is_default = 1').get(modelId) as { n: number }).n;

describe('examples', () => {
  it('are listed in the order they were added; the first becomes the default', () => {
    const [p1, p2, p3] = [succeeded(A, { n: 1 }), succeeded(A, { n: 2 }), succeeded(A, { n: 3 })];
    const e1 = t.store.examples.add(p1.id);
    expect(e1).toEqual({ modelId: A, predictionId: p1.id, position: 0, isDefault: true, prediction: t.store.predictions.get(p1.id) });
    expect(t.store.examples.add(p2.id)).toMatchObject({ position: 1, isDefault: false });
    expect(t.store.examples.add(p3.id)).toMatchObject({ position: 2, isDefault: false });
    expect(summary(A)).toEqual([
      [p1.id, 0, true],
      [p2.id, 1, false],
      [p3.id, 2, false],
    ]);
    // Each example carries its prediction.
    expect(t.store.examples.list(A).map((e) => e.prediction.input)).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    expect(defaultRows(A)).toBe(1);
  });

  it('isDefault moves the default; there is only ever one per model', () => {
    const [p1, p2, p3] = [succeeded(A), succeeded(A), succeeded(A)];
    t.store.examples.add(p1.id);
    t.store.examples.add(p2.id);
    expect(t.store.examples.add(p3.id, { isDefault: true })).toMatchObject({ position: 2, isDefault: true });
    expect(summary(A)).toEqual([
      [p1.id, 0, false],
      [p2.id, 1, false],
      [p3.id, 2, true],
    ]);
    expect(defaultRows(A)).toBe(1);
  });

  it('adding an example again keeps its place; with isDefault it takes the default', () => {
    const [p1, p2] = [succeeded(A), succeeded(A)];
    t.store.examples.add(p1.id);
    t.store.examples.add(p2.id);
    expect(t.store.examples.add(p2.id)).toMatchObject({ position: 1, isDefault: false });
    expect(t.store.examples.add(p1.id)).toMatchObject({ position: 0, isDefault: true });
    expect(summary(A)).toEqual([
      [p1.id, 0, true],
      [p2.id, 1, false],
    ]);
    expect(t.store.examples.add(p2.id, { isDefault: true })).toMatchObject({ position: 1, isDefault: true });
    expect(summary(A)).toEqual([
      [p1.id, 0, false],
      [p2.id, 1, true],
    ]);
    expect(defaultRows(A)).toBe(1);
  });

  it("models are separate: each has its own positions and its own default", () => {
    const [a1, a2, b1, b2] = [succeeded(A), succeeded(A), succeeded(B), succeeded(B)];
    t.store.examples.add(a1.id);
    t.store.examples.add(b1.id);
    t.store.examples.add(a2.id, { isDefault: true });
    t.store.examples.add(b2.id);
    expect(summary(A)).toEqual([
      [a1.id, 0, false],
      [a2.id, 1, true],
    ]);
    expect(summary(B)).toEqual([
      [b1.id, 0, true],
      [b2.id, 1, false],
    ]);
    expect(t.store.examples.list('acme/none')).toEqual([]);
  });

  it('the table itself refuses a second default for a model (partial unique index)', () => {
    const [a1, a2, b1] = [succeeded(A), succeeded(A), succeeded(B)];
    t.store.examples.add(a1.id);
    t.store.examples.add(a2.id);
    t.store.examples.add(b1.id);
    expect(() => t.store.db.prepare('UPDATE examples SET is_default = 1 WHERE prediction_id = ?').run(a2.id)).toThrow(/UNIQUE/);
    const a3 = succeeded(A);
    expect(() =>
      t.store.db.prepare('INSERT INTO examples (prediction_id, model_id, position, is_default) VALUES (?, ?, 9, 1)').run(a3.id, A),
    ).toThrow(/UNIQUE/);
    // Non-default rows are not constrained, and B's default does not collide with A's.
    expect(defaultRows(A)).toBe(1);
    expect(defaultRows(B)).toBe(1);
    expect(summary(A)).toEqual([
      [a1.id, 0, true],
      [a2.id, 1, false],
    ]);
  });

  it('removing the default makes the next one the default', () => {
    const [p1, p2, p3] = [succeeded(A), succeeded(A), succeeded(A)];
    t.store.examples.add(p1.id);
    t.store.examples.add(p2.id);
    t.store.examples.add(p3.id);
    expect(t.store.examples.remove(p1.id)).toBe(true);
    expect(summary(A)).toEqual([
      [p2.id, 1, true],
      [p3.id, 2, false],
    ]);
    // A default in the middle: the first remaining one takes over.
    t.store.examples.add(p1.id);
    t.store.examples.add(p3.id, { isDefault: true });
    expect(t.store.examples.remove(p3.id)).toBe(true);
    expect(summary(A)).toEqual([
      [p2.id, 1, true],
      [p1.id, 3, false],
    ]);
    expect(defaultRows(A)).toBe(1);
  });

  it('removing a non-default leaves the default; removing the last leaves none; unknown ids answer false', () => {
    const [p1, p2] = [succeeded(A), succeeded(A)];
    t.store.examples.add(p1.id);
    t.store.examples.add(p2.id);
    expect(t.store.examples.remove(p2.id)).toBe(true);
    expect(summary(A)).toEqual([[p1.id, 0, true]]);
    expect(t.store.examples.remove(p2.id)).toBe(false);
    expect(t.store.examples.remove('nosuchprediction0000000000')).toBe(false);
    expect(t.store.examples.remove(p1.id)).toBe(true);
    expect(summary(A)).toEqual([]);
    // The next one added starts over as the default.
    expect(t.store.examples.add(p2.id)).toMatchObject({ isDefault: true });
  });

  it('deleting a prediction removes its example', () => {
    const [p1, p2] = [succeeded(A), succeeded(A)];
    t.store.examples.add(p1.id);
    t.store.examples.add(p2.id);
    expect(t.store.predictions.delete(p2.id)).toBe(true);
    expect(summary(A)).toEqual([[p1.id, 0, true]]);
    expect((t.store.db.prepare('SELECT COUNT(*) AS n FROM examples WHERE prediction_id = ?').get(p2.id) as { n: number }).n).toBe(0);
  });

  it('a prediction that does not exist cannot be an example', () => {
    expect(() => t.store.examples.add('nosuchprediction0000000000')).toThrow(/does not exist/);
    expect((t.store.db.prepare('SELECT COUNT(*) AS n FROM examples').get() as { n: number }).n).toBe(0);
  });

  it('survive a reopen of the file', () => {
    const [p1, p2] = [succeeded(A), succeeded(A)];
    t.store.examples.add(p1.id);
    t.store.examples.add(p2.id, { isDefault: true });
    t.reopen();
    expect(summary(A)).toEqual([
      [p1.id, 0, false],
      [p2.id, 1, true],
    ]);
  });
});
