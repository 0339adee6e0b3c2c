import { beforeEach, describe, expect, it } from 'vitest';
import type { Model, Version } from '../../../src/shared/domain';
import { useTempStore } from '../../helpers/store';

const t = useTempStore();

const hex = (c: string) => c.repeat(64);

function model(id: string): Pick<Model, 'id' | 'owner' | 'name' | 'repository'> {
  const parts = id.split('/');
  return { id, owner: parts.length > 1 ? parts[parts.length - 2] : null, name: parts[parts.length - 1], repository: id };
}

function version(id: string, modelId: string, extra: Partial<Version> = {}): Omit<Version, 'createdAt'> & { createdAt?: string } {
  return {
    id,
    modelId,
    imageRef: `${modelId}:latest`,
    imageId: `sha256:${hex('9')}`,
    cogVersion: '0.15.5',
    openapiSchema: { openapi: '3.0.2', components: { schemas: { Input: { properties: { text: { type: 'string' } } } } } },
    cogConfig: { build: { python_version: '3.11' }, predict: 'predict.py:Predictor' },
    legacyLabels: false,
    sizeBytes: 104_000_000,
    ...extra,
  };
}

const ECHO = '127.0.0.1:5100/fixtures/echo';

describe('library: models and versions', () => {
  it('registers a model with a version; every field reads back as written', () => {
    const v = t.store.library.register(model(ECHO), version(hex('a'), ECHO, { createdAt: '2026-01-02T03:04:05.000Z' }));
    expect(v).toEqual({ ...version(hex('a'), ECHO), createdAt: '2026-01-02T03:04:05.000Z' });
    expect(t.store.library.getVersion(hex('a'))).toEqual(v);

    const models = t.store.library.listModels();
    expect(models).toHaveLength(1);
    expect(models[0]).toMatchObject({ id: ECHO, owner: 'fixtures', name: 'echo', repository: ECHO, latestVersionId: hex('a'), versionCount: 1 });
    expect(Number.isNaN(Date.parse(models[0].createdAt))).toBe(false);
    expect(t.store.library.getModel(ECHO)).toEqual(models[0]);
  });

  it('keeps null cogConfig, legacy labels and a missing size as they are', () => {
    const v = t.store.library.register(model('legacy/model'), version(hex('b'), 'legacy/model', { cogConfig: null, legacyLabels: true, sizeBytes: null, cogVersion: null }));
    expect(v.cogConfig).toBeNull();
    expect(v.legacyLabels).toBe(true);
    expect(v.sizeBytes).toBeNull();
    expect(v.cogVersion).toBeNull();
  });

  it('survives a reopen of the file', () => {
    const v = t.store.library.register(model(ECHO), version(hex('a'), ECHO));
    t.reopen();
    expect(t.store.library.getVersion(hex('a'))).toEqual(v);
    expect(t.store.library.getModel(ECHO)?.versionCount).toBe(1);
  });

  it('registering the same version again updates it in place (no second version)', () => {
    t.store.library.register(model(ECHO), version(hex('a'), ECHO, { createdAt: '2026-01-01T00:00:00.000Z' }));
    const updated = t.store.library.register(
      { ...model(ECHO), repository: 'registry.example/fixtures/echo' },
      version(hex('a'), ECHO, {
        imageRef: `${ECHO}@sha256:${hex('a')}`,
        imageId: `sha256:${hex('8')}`,
        openapiSchema: { changed: true },
        cogConfig: null,
        legacyLabels: true,
        sizeBytes: 5,
        createdAt: '2030-01-01T00:00:00.000Z',
      }),
    );
    expect(updated).toMatchObject({
      id: hex('a'),
      imageRef: `${ECHO}@sha256:${hex('a')}`,
      imageId: `sha256:${hex('8')}`,
      openapiSchema: { changed: true },
      cogConfig: null,
      legacyLabels: true,
      sizeBytes: 5,
      // created_at is when it was first recorded
      createdAt: '2026-01-01T00:00:00.000Z',
    });
    expect(t.store.library.listVersions(ECHO)).toHaveLength(1);
    const m = t.store.library.getModel(ECHO)!;
    expect(m.versionCount).toBe(1);
    expect(m.repository).toBe('registry.example/fixtures/echo');
    expect(t.store.library.listModels()).toHaveLength(1);
  });

  it('a newer version becomes the latest; versions list newest first', () => {
    t.store.library.register(model(ECHO), version(hex('a'), ECHO, { createdAt: '2026-01-01T00:00:00.000Z' }));
    t.store.library.register(model(ECHO), version(hex('b'), ECHO, { createdAt: '2026-02-01T00:00:00.000Z' }));
    t.store.library.register(model(ECHO), version(hex('c'), ECHO, { createdAt: '2025-12-01T00:00:00.000Z' }));
    const m = t.store.library.getModel(ECHO)!;
    expect(m.versionCount).toBe(3);
    expect(m.latestVersionId).toBe(hex('b'));
    expect(t.store.library.listVersions(ECHO).map((v) => v.id)).toEqual([hex('b'), hex('a'), hex('c')]);
    expect(t.store.library.listVersions('no/such-model')).toEqual([]);
  });

  it('unknown ids read as null', () => {
    expect(t.store.library.getModel('nobody/nothing')).toBeNull();
    expect(t.store.library.getVersion(hex('f'))).toBeNull();
    expect(t.store.library.findModel('nothing')).toBeNull();
    expect(t.store.library.findVersionByImage('nothing:latest')).toBeNull();
  });

  describe('findModel', () => {
    beforeEach(() => {
      t.store.library.register(model(ECHO), version(hex('a'), ECHO));
      t.store.library.register(model('acme/stream'), version(hex('b'), 'acme/stream'));
    });

    it('finds by the full id', () => {
      expect(t.store.library.findModel(ECHO)?.id).toBe(ECHO);
      expect(t.store.library.findModel('acme/stream')?.id).toBe('acme/stream');
    });

    it('finds by a name that ends the id at a slash', () => {
      expect(t.store.library.findModel('fixtures/echo')?.id).toBe(ECHO);
      expect(t.store.library.findModel('echo')?.id).toBe(ECHO);
      expect(t.store.library.findModel('stream')?.id).toBe('acme/stream');
    });

    it('does not match part of a path segment', () => {
      expect(t.store.library.findModel('cho')).toBeNull();
      expect(t.store.library.findModel('xtures/echo')).toBeNull();
      expect(t.store.library.findModel('fixtures')).toBeNull();
    });

    it('an ambiguous name finds nothing rather than a guess', () => {
      t.store.library.register(model('other/echo'), version(hex('c'), 'other/echo'));
      expect(t.store.library.findModel('echo')).toBeNull();
      // The longer suffix is still unambiguous, and full ids still work.
      expect(t.store.library.findModel('fixtures/echo')?.id).toBe(ECHO);
      expect(t.store.library.findModel('other/echo')?.id).toBe('other/echo');
    });

    it('takes the name literally: LIKE wildcards in it match nothing', () => {
      // "A name that ends its id": `ech_` and `%` end no model id here.
      expect(t.store.library.findModel('ech_')).toBeNull();
      expect(t.store.library.findModel('fixtures/%')).toBeNull();
      t.store.library.register(model('solo/x'), version(hex('d'), 'solo/x'));
      expect(t.store.library.findModel('%o')).toBeNull();
    });
  });

  describe('findVersionByImage', () => {
    it('finds a version by the reference it was recorded as, or by its image id', () => {
      t.store.library.register(model(ECHO), version(hex('a'), ECHO, { imageRef: `${ECHO}:latest`, imageId: `sha256:${hex('1')}` }));
      t.store.library.register(model('acme/stream'), version(hex('b'), 'acme/stream', { imageRef: 'acme/stream:v2', imageId: `sha256:${hex('2')}` }));
      expect(t.store.library.findVersionByImage(`${ECHO}:latest`)?.id).toBe(hex('a'));
      expect(t.store.library.findVersionByImage(`sha256:${hex('2')}`)?.id).toBe(hex('b'));
      expect(t.store.library.findVersionByImage('acme/stream:v2')?.id).toBe(hex('b'));
      expect(t.store.library.findVersionByImage('acme/stream:v3')).toBeNull();
    });

    it('answers the newest version when several share a reference', () => {
      t.store.library.register(model(ECHO), version(hex('a'), ECHO, { createdAt: '2026-01-01T00:00:00.000Z' }));
      t.store.library.register(model(ECHO), version(hex('b'), ECHO, { createdAt: '2026-03-01T00:00:00.000Z' }));
      t.store.library.register(model(ECHO), version(hex('c'), ECHO, { createdAt: '2026-02-01T00:00:00.000Z' }));
      expect(t.store.library.findVersionByImage(`${ECHO}:latest`)?.id).toBe(hex('b'));
    });
  });
});
