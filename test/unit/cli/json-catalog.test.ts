/**
 * The catalog's `--json` (json-catalog.ts) gives back Replicate's own JSON: Replicate's recorded answers, read
 * into the catalog's types (core/remote/shapes.ts) and printed, are the objects Replicate sent (timestamps in
 * the one format of every --json), with the fields the official clients require, and no camelCase key.
 */
import { describe, expect, it } from 'vitest';
import { remoteModel, cliAccount, cliCollection, cliSearch } from '../../../src/main/cli/json-catalog';
import { toAccount, toCollection, toModel, list } from '../../../src/main/core/remote/shapes';
import type { RemoteModel, SearchResults } from '../../../src/shared/catalog';
import { recorded } from '../../fakes/replicate-api';
import { checkClientFields } from '../../integration/api-server/client-fields';
import { camelCaseKeys } from '../../helpers/json-keys';

type Obj = Record<string, unknown>;
const ISO_MS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const ms = (at: unknown) => (typeof at === 'string' ? new Date(at).toISOString() : at);
const MODEL_FIELDS = ['url', 'owner', 'name', 'description', 'visibility', 'github_url', 'paper_url', 'license_url', 'cover_image_url', 'run_count'];

const rawModels = (): Obj[] => [
  recorded('models.get.stability-ai-sdxl.2024-10.json'),
  recorded('models.get.meta-llama-2-70b-chat.json'),
  recorded('models.get.mattt-empty.json'),
  ...recorded<{ results: Obj[] }>('models.list.page1.trimmed.json').results,
];

const cached = <T>(data: T) => ({ data, fromCache: true, fetchedAt: '2026-12-06T05:17:33.123456+00:00', notice: 'offline' });

describe('catalog --json: Replicate in, Replicate out', () => {
  it("a model is the object Replicate sent: its fields, its latest version, its default example's", () => {
    for (const raw of rawModels()) {
      const out = remoteModel(toModel(raw)!) as unknown as Obj;
      const where = `${String(raw.owner)}/${String(raw.name)}`;
      for (const k of MODEL_FIELDS) expect(out[k], `${where} ${k}`).toEqual(raw[k] ?? null);
      // Older answers have no is_official; the JavaScript client needs it.
      expect(out.is_official, where).toBe(raw.is_official ?? false);
      expect(out.created_at, where).toBe(ms(raw.created_at) ?? null);
      const latest = raw.latest_version as Obj | null;
      if (latest) expect(out.latest_version, where).toEqual({ id: latest.id, created_at: ms(latest.created_at), cog_version: latest.cog_version ?? '', openapi_schema: latest.openapi_schema ?? {} });
      const example = raw.default_example as Obj | null;
      if (example) expect(out.default_example, where).toMatchObject({ id: example.id, status: example.status, input: example.input, output: example.output, created_at: ms(example.created_at) });
      // What the official clients require of a model (the example is a prediction without its urls here).
      expect(checkClientFields('Model', { ...out, default_example: null }), where).toEqual([]);
      expect(camelCaseKeys(out), where).toEqual([]);
    }
  });

  it('search, a collection and the account: Replicate shapes in a snake_case cache note, one timestamp format', () => {
    const models = list(recorded('models.search.llama.trimmed.json'), toModel) as RemoteModel[];
    const results: SearchResults = { query: 'llama', source: 'models', models: models.map((model) => ({ model, tags: ['llm'], generatedDescription: 'chat', score: 1.5 })), collections: [], pages: [{ name: 'Guide', href: '/docs' }] };
    const search = cliSearch(cached(results));
    expect(search).toMatchObject({ from_cache: true, fetched_at: '2026-12-06T05:17:33.123Z', notice: 'offline', data: { query: 'llama', source: 'models' } });
    expect(search.data.models[0]).toEqual({ model: remoteModel(models[0]!), metadata: { tags: ['llm'], generated_description: 'chat', score: 1.5 } });

    const rawCollection = recorded('collections.get.text-to-image.trimmed.json');
    const collection = cliCollection(cached(toCollection(rawCollection, list(rawCollection.models, toModel) as RemoteModel[])!));
    expect(checkClientFields('Collection', { ...collection.data, models: collection.data.models.map((m) => ({ ...m, default_example: null })) })).toEqual([]);

    const rawAccount = recorded('account.get.js-fixture.json');
    const account = cliAccount(cached(toAccount(rawAccount)!), { present: true, source: 'REPLICATE_API_TOKEN' });
    expect(account.data).toEqual({ avatar_url: null, ...rawAccount });
    expect(account.token).toEqual({ present: true, source: 'REPLICATE_API_TOKEN' });

    for (const json of [search, collection, account]) {
      expect(camelCaseKeys(json)).toEqual([]);
      const times = JSON.stringify(json).match(/"(created_at|started_at|completed_at|fetched_at)":"[^"]*"/g) ?? [];
      for (const t of times) expect(t.split('":"')[1]!.slice(0, -1)).toMatch(ISO_MS);
    }
  });
});
