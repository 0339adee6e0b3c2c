/**
 * Cloud predictions in the history (migration 8): kept with Replicate's id, web link, model and version
 * (no local version needed), one record per Replicate id, filtered by where they ran, never taken for a
 * local one by the runner's recovery, followed until synced (also after a restart), gone with their record.
 */
import { describe, expect, it } from 'vitest';
import { useTempStore } from '../../helpers/store';

const t = useTempStore();
const REMOTE_VERSION = '39ed52f2a78e934b3ba6e2a89f5b1c712de7dfea535525255b1aa35c5565e08b';

const cloud = (id = 'vgcm4plb7tgzlyznry5d5jkgvu', model = 'stability-ai/sdxl') =>
  t.store.predictions.createRemote({
    remote: { id, webUrl: `https://replicate.com/p/${id}`, model, version: REMOTE_VERSION },
    versionId: REMOTE_VERSION,
    status: 'starting',
    input: { prompt: 'a corgi' },
    source: 'cli',
    createdAt: '2026-12-06T05:00:00.000Z',
    streamUrl: `https://stream.replicate.com/v1/files/${id}`,
  });
const local = () => t.store.predictions.create({ modelId: 'acme/echo', versionId: 'a'.repeat(64), input: { text: 'hi' }, source: 'cli' });

describe('cloud predictions in the history', () => {
  it('are kept under their Replicate id, marked as run there, without a local version', () => {
    const p = cloud();
    expect(p).toMatchObject({
      id: 'vgcm4plb7tgzlyznry5d5jkgvu',
      modelId: 'stability-ai/sdxl',
      versionId: REMOTE_VERSION,
      status: 'starting',
      runOn: 'replicate',
      remote: { id: 'vgcm4plb7tgzlyznry5d5jkgvu', webUrl: 'https://replicate.com/p/vgcm4plb7tgzlyznry5d5jkgvu', model: 'stability-ai/sdxl', version: REMOTE_VERSION },
      createdAt: '2026-12-06T05:00:00.000Z',
    });
    expect(t.store.library.getVersion(REMOTE_VERSION)).toBeNull();
    expect(local()).toMatchObject({ runOn: 'local', remote: null });
  });

  it('one record per Replicate id: keeping it again answers the first', () => {
    const first = cloud();
    t.store.predictions.update(first.id, { status: 'succeeded' });
    expect(cloud()).toMatchObject({ id: first.id, status: 'succeeded' });
    expect(t.store.predictions.list()).toHaveLength(1);
    expect(t.store.predictions.getByRemoteId(first.id)!.id).toBe(first.id);
  });

  it('the list filters by where they ran (also with a search), newest first', () => {
    const a = cloud('aaaaaaaaaaaaaaaaaaaaaaaaaa');
    const b = local();
    const c = cloud('cccccccccccccccccccccccccc');
    const ids = (q: Parameters<typeof t.store.predictions.list>[0]) => t.store.predictions.list(q).map((p) => p.id);
    expect(ids({})).toEqual([c.id, b.id, a.id]);
    expect(ids({ runOn: 'replicate' })).toEqual([c.id, a.id]);
    expect(ids({ runOn: 'local' })).toEqual([b.id]);
    expect(ids({ runOn: 'replicate', query: 'corgi' })).toEqual([c.id, a.id]);
    expect(ids({ runOn: 'local', query: 'corgi' })).toEqual([]);
  });

  it('the runner never sees them as its unfinished ones; they are followed until synced, also after a restart', () => {
    const p = cloud();
    const l = local();
    expect(t.store.predictions.unfinished().map((u) => u.prediction.id)).toEqual([l.id]);
    t.reopen();
    expect(t.store.predictions.remoteUnsynced()).toEqual([{ prediction: expect.objectContaining({ id: p.id }), streamUrl: `https://stream.replicate.com/v1/files/${p.id}` }]);
    t.store.predictions.update(p.id, { status: 'succeeded' });
    t.store.predictions.markRemoteSynced(p.id);
    expect(t.store.predictions.remoteUnsynced()).toEqual([]);
  });

  it('a local prediction with the same id makes the cloud one take a fresh id; deleting a record deletes its Replicate row', () => {
    const l = local();
    const p = cloud(l.id);
    expect(p.id).not.toBe(l.id);
    expect(p.remote!.id).toBe(l.id);
    expect(t.store.predictions.delete(p.id)).toBe(true);
    expect(t.store.predictions.getByRemoteId(l.id)).toBeNull();
    expect(t.store.db.prepare('SELECT COUNT(*) AS n FROM remote_predictions').get()).toEqual({ n: 0 });
  });
});
