import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Model, Version } from '../../../src/shared/domain';
import { openStore, type Store } from '../../../src/main/core/store';

let dir: string;
let file: string;
let store: Store;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cogdesk-store-'));
  file = join(dir, 'cogdesk.db');
  store = openStore(file);
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

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
    const v = store.library.register(model(ECHO), version(hex('a'), ECHO, { createdAt: '2026-01-02T03:04:05.000Z' }));
    expect(v).toEqual({ ...version(hex('a'), ECHO), createdAt: '2026-01-02T03:04:05.000Z' });
    expect(store.library.getVersion(hex('a'))).toEqual(v);

    const models = store.library.listModels();
    expect(models).toHaveLength(1);
    expect(models[0]).toMatchObject({ id: ECHO, owner: 'fixtures', name: 'echo', repository: ECHO, latestVersionId: hex('a'), versionCount: 1 });
    expect(Number.isNaN(Date.parse(models[0].createdAt))).toBe(false);
    expect(store.library.getModel(ECHO)).toEqual(models[0]);
  });

  it('keeps null cogConfig, legacy labels and a missing size as they are', () => {
    const v = store.library.register(model('legacy/model'), version(hex('b'), 'legacy/model', { cogConfig: null, legacyLabels: true, sizeBytes: null, cogVersion: null }));
    expect(v.cogConfig).toBeNull();
    expect(v.legacyLabels).toBe(true);
    expect(v.sizeBytes).toBeNull();
    expect(v.cogVersion).toBeNull();
  });

  it('survives a reopen of the file', () => {
    const v = store.library.register(model(ECHO), version(hex('a'), ECHO));
    store.close();
    store = openStore(file);
    expect(store.library.getVersion(hex('a'))).toEqual(v);
    expect(store.library.getModel(ECHO)?.versionCount).toBe(1);
  });

  it('registering the same version again updates it in place (no second version)', () => {
    store.library.register(model(ECHO), version(hex('a'), ECHO, { createdAt: '2026-01-01T00:00:00.000Z' }));
    const updated = store.library.register(
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
    expect(store.library.listVersions(ECHO)).toHaveLength(1);
    const m = store.library.getModel(ECHO)!;
    expect(m.versionCount).toBe(1);
    expect(m.repository).toBe('registry.example/fixtures/echo');
    expect(store.library.listModels()).toHaveLength(1);
  });

  it('a newer version becomes the latest; versions list newest first', () => {
    store.library.register(model(ECHO), version(hex('a'), ECHO, { createdAt: '2026-01-01T00:00:00.000Z' }));
    store.library.register(model(ECHO), version(hex('b'), ECHO, { createdAt: '2026-02-01T00:00:00.000Z' }));
    store.library.register(model(ECHO), version(hex('c'), ECHO, { createdAt: '2025-12-01T00:00:00.000Z' }));
    const m = store.library.getModel(ECHO)!;
    expect(m.versionCount).toBe(3);
    expect(m.latestVersionId).toBe(hex('b'));
    expect(store.library.listVersions(ECHO).map((v) => v.id)).toEqual([hex('b'), hex('a'), hex('c')]);
    expect(store.library.listVersions('no/such-model')).toEqual([]);
  });

  it('unknown ids read as null', () => {
    expect(store.library.getModel('nobody/nothing')).toBeNull();
    expect(store.library.getVersion(hex('f'))).toBeNull();
    expect(store.library.findModel('nothing')).toBeNull();
    expect(store.library.findVersionByImage('nothing:latest')).toBeNull();
  });

  describe('findModel', () => {
    beforeEach(() => {
      store.library.register(model(ECHO), version(hex('a'), ECHO));
      store.library.register(model('acme/stream'), version(hex('b'), 'acme/stream'));
    });

    it('finds by the full id', () => {
      expect(store.library.findModel(ECHO)?.id).toBe(ECHO);
      expect(store.library.findModel('acme/stream')?.id).toBe('acme/stream');
    });

    it('finds by a name that ends the id at a slash', () => {
      expect(store.library.findModel('fixtures/echo')?.id).toBe(ECHO);
      expect(store.library.findModel('echo')?.id).toBe(ECHO);
      expect(store.library.findModel('stream')?.id).toBe('acme/stream');
    });

    it('does not match part of a path segment', () => {
      expect(store.library.findModel('cho')).toBeNull();
      expect(store.library.findModel('xtures/echo')).toBeNull();
      expect(store.library.findModel('fixtures')).toBeNull();
    });

    it('an ambiguous name finds nothing rather than a guess', () => {
      store.library.register(model('other/echo'), version(hex('c'), 'other/echo'));
      expect(store.library.findModel('echo')).toBeNull();
      // The longer suffix is still unambiguous, and full ids still work.
      expect(store.library.findModel('fixtures/echo')?.id).toBe(ECHO);
      expect(store.library.findModel('other/echo')?.id).toBe('other/echo');
    });

    it('takes the name literally: LIKE wildcards in it match nothing', () => {
      // "A name that ends its id": `ech_` and `%` end no model id here.
      expect(store.library.findModel('ech_')).toBeNull();
      expect(store.library.findModel('fixtures/%')).toBeNull();
      store.library.register(model('solo/x'), version(hex('d'), 'solo/x'));
      expect(store.library.findModel('%o')).toBeNull();
    });
  });

  describe('findVersionByImage', () => {
    it('finds a version by the reference it was recorded as, or by its image id', () => {
      store.library.register(model(ECHO), version(hex('a'), ECHO, { imageRef: `${ECHO}:latest`, imageId: `sha256:${hex('1')}` }));
      store.library.register(model('acme/stream'), version(hex('b'), 'acme/stream', { imageRef: 'acme/stream:v2', imageId: `sha256:${hex('2')}` }));
      expect(store.library.findVersionByImage(`${ECHO}:latest`)?.id).toBe(hex('a'));
      expect(store.library.findVersionByImage(`sha256:${hex('2')}`)?.id).toBe(hex('b'));
      expect(store.library.findVersionByImage('acme/stream:v2')?.id).toBe(hex('b'));
      expect(store.library.findVersionByImage('acme/stream:v3')).toBeNull();
    });

    it('answers the newest version when several share a reference', () => {
      store.library.register(model(ECHO), version(hex('a'), ECHO, { createdAt: '2026-01-01T00:00:00.000Z' }));
      store.library.register(model(ECHO), version(hex('b'), ECHO, { createdAt: '2026-03-01T00:00:00.000Z' }));
      store.library.register(model(ECHO), version(hex('c'), ECHO, { createdAt: '2026-02-01T00:00:00.000Z' }));
      expect(store.library.findVersionByImage(`${ECHO}:latest`)?.id).toBe(hex('b'));
    });
  });
});
