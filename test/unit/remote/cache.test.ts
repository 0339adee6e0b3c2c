/** The catalog cache (store/catalog.ts, migration 2): models as the API sent them, documents, full-text search. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../../src/main/core/store';
import { CatalogCache, ftsQuery, mergeModel, type ApiModel } from '../../../src/main/core/store/catalog';
import { MIGRATIONS } from '../../../src/main/core/store/migrations';
import { recorded } from '../../fakes/replicate-api';

let dir: string;
let store: Store;
let cache: CatalogCache;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cogdesk-catalog-cache-'));
  store = openStore(join(dir, 'cogdesk.db'));
  cache = new CatalogCache(store.db);
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const sdxl = () => recorded<ApiModel>('models.get.stability-ai-sdxl.2024-10.json');
const listPage = () => recorded<{ results: ApiModel[] }>('models.list.page1.trimmed.json').results;
const llama = () => recorded<{ results: ApiModel[] }>('models.search.llama.trimmed.json').results;

describe('migration 2', () => {
  it('adds the catalog tables and an FTS5 index, after migration 1, without touching it', () => {
    expect(MIGRATIONS.length).toBeGreaterThanOrEqual(2);
    expect(store.db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    const names = (store.db.prepare("SELECT name FROM sqlite_master WHERE name LIKE 'catalog%'").all() as Array<{ name: string }>).map((r) => r.name);
    expect(names).toEqual(expect.arrayContaining(['catalog_models', 'catalog_documents', 'catalog_models_fts']));
    expect(MIGRATIONS[0]).not.toMatch(/catalog/);
  });

  it('a database left at migration 1 gets migration 2 and keeps its rows', () => {
    const file = join(dir, 'old.db');
    const old = openStore(file);
    const p = old.predictions.create({ modelId: 'm', versionId: 'v', input: { a: 1 }, source: 'cli' });
    old.db.exec('DROP TABLE catalog_models_fts; DROP TABLE catalog_documents; DROP TABLE catalog_models;');
    old.db.pragma('user_version = 1');
    old.close();
    const reopened = openStore(file);
    try {
      expect(reopened.db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
      expect(reopened.predictions.get(p.id)?.input).toEqual({ a: 1 });
      new CatalogCache(reopened.db).putModels([sdxl()], '2026-01-01T00:00:00.000Z', { complete: true });
    } finally {
      reopened.close();
    }
  });
});

describe('CatalogCache', () => {
  it('keeps a model as the API sent it, with when it was fetched', () => {
    cache.putModels([sdxl()], '2026-01-01T00:00:00.000Z', { complete: true });
    const hit = cache.getModel('stability-ai/sdxl');
    expect(hit?.fetchedAt).toBe('2026-01-01T00:00:00.000Z');
    expect(hit?.body).toEqual(sdxl());
    expect(cache.getModel('nobody/nothing')).toBeNull();
  });

  it('a partial answer (search: empty schema, no default example) never blanks what a full one cached', () => {
    cache.putModels([sdxl()], '2026-01-01T00:00:00.000Z', { complete: true });
    const fromSearch = { ...sdxl(), default_example: null, run_count: 99, latest_version: { ...(sdxl().latest_version as object), openapi_schema: {} } } as ApiModel;
    cache.putModels([fromSearch], '2026-01-02T00:00:00.000Z', { complete: false });
    const body = cache.getModel('stability-ai/sdxl')!.body;
    expect(body.run_count).toBe(99);
    expect(body.default_example).toEqual(sdxl().default_example);
    expect(body.latest_version?.openapi_schema).toEqual(sdxl().latest_version?.openapi_schema);
    // A complete answer is the truth, nulls included.
    cache.putModels([{ ...sdxl(), default_example: null }], '2026-01-03T00:00:00.000Z', { complete: true });
    expect(cache.getModel('stability-ai/sdxl')!.body.default_example).toBeNull();
  });

  it('mergeModel takes a new latest version whole (schema included)', () => {
    const old = sdxl();
    const next = { ...old, latest_version: { id: 'f'.repeat(64), created_at: '2026-01-01T00:00:00Z', openapi_schema: {} } } as ApiModel;
    expect(mergeModel(old, next, false).latest_version).toEqual(next.latest_version);
  });

  it('searches names, owners, descriptions, READMEs and tags, by word prefix, best first', () => {
    cache.putModels([sdxl(), ...listPage(), ...llama()], '2026-01-01T00:00:00.000Z', { complete: false });
    expect(cache.searchModels('llama')).toEqual(expect.arrayContaining(['meta/meta-llama-3-8b', 'meta/meta-llama-3-70b-instruct']));
    expect(cache.searchModels('llama')).not.toContain('stability-ai/sdxl');
    expect(cache.searchModels('interi')).toEqual(['catio-apps/controlnet-interior-design']); // a prefix of "interior"
    expect(cache.searchModels('stability-ai/sdxl')[0]).toBe('stability-ai/sdxl');
    expect(cache.searchModels('Élégant unicorns')).toEqual([]);

    cache.putDocument('readme:stability-ai/sdxl', '# SDXL\nMakes pictures of unicorns and astronauts.', '2026-01-01T00:00:00.000Z');
    expect(cache.searchModels('unicorns')).toEqual(['stability-ai/sdxl']);
    cache.setSearchMetadata('catio-apps/controlnet-interior-design', ['architecture', 'rooms'], 'Redecorates a photographed room.');
    expect(cache.searchModels('architecture')).toEqual(['catio-apps/controlnet-interior-design']);
    expect(cache.searchModels('redecorates')).toEqual(['catio-apps/controlnet-interior-design']);
    // Words that are not all in one model: any of them, rather than nothing.
    expect(cache.searchModels('unicorns architecture')).toEqual(expect.arrayContaining(['stability-ai/sdxl', 'catio-apps/controlnet-interior-design']));
  });

  it('a re-fetched model is indexed once, with its new words', () => {
    cache.putModels([sdxl()], '2026-01-01T00:00:00.000Z', { complete: true });
    cache.putModels([{ ...sdxl(), description: 'Paints watercolours' }], '2026-01-02T00:00:00.000Z', { complete: true });
    expect(cache.searchModels('watercolours')).toEqual(['stability-ai/sdxl']);
    expect(cache.searchModels('beautiful')).toEqual([]);
    expect((store.db.prepare('SELECT COUNT(*) AS n FROM catalog_models_fts').get() as { n: number }).n).toBe(1);
  });

  it('turns any text into a safe FTS query (no syntax errors from quotes, stars or operators)', () => {
    expect(ftsQuery('upscale faces')).toBe('"upscale"* "faces"*');
    expect(ftsQuery('a OR b', true)).toBe('"a"* OR "or"* OR "b"*');
    expect(ftsQuery('"; DROP TABLE x; --')).toBe('"drop"* "table"* "x"*');
    expect(ftsQuery('*** ')).toBeNull();
    cache.putModels([sdxl()], '2026-01-01T00:00:00.000Z', { complete: true });
    for (const q of ['"', 'NEAR(', 'sdxl*', 'a AND', '^x', ':', '']) expect(() => cache.searchModels(q)).not.toThrow();
  });

  it('documents: JSON with when fetched; null records a known absence', () => {
    cache.putDocument('readme:fixtures/echo', null, '2026-01-01T00:00:00.000Z');
    expect(cache.getDocument('readme:fixtures/echo')).toEqual({ body: null, fetchedAt: '2026-01-01T00:00:00.000Z' });
    cache.putDocument('hardware', [{ sku: 'cpu', name: 'CPU' }], '2026-01-02T00:00:00.000Z');
    expect(cache.getDocument('hardware')).toEqual({ body: [{ sku: 'cpu', name: 'CPU' }], fetchedAt: '2026-01-02T00:00:00.000Z' });
    expect(cache.getDocument('nothing')).toBeNull();
  });

  it('lists cached models newest version first', () => {
    cache.putModels([sdxl(), ...listPage()], '2026-01-01T00:00:00.000Z', { complete: false });
    // sdxl's latest version is from 2024-05; the listed models' from 2023-11-16 13:51 and 10:50.
    expect(cache.listModels(10)).toEqual(['stability-ai/sdxl', 'catio-apps/controlnet-interior-design', 'catio-apps/ip_adapter-face-controlnet-realistic_vision']);
    expect(cache.listModels(1, 1)).toEqual(['catio-apps/controlnet-interior-design']);
  });
});
