/**
 * `cogdesk model NAME` for a local model, over a real SQLite store: --json has no camelCase key and writes
 * its timestamps in the one format of every --json (whatever the image's label said); the versions table
 * shows this machine's time and says so.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { printLocalModel } from '../../../src/main/cli/local-model';
import { camelCaseKeys } from '../../helpers/json-keys';
import { useTempStore } from '../../helpers/store';

const t = useTempStore();
const savedTz = process.env.TZ;
afterEach(() => {
  vi.restoreAllMocks();
  if (savedTz === undefined) delete process.env.TZ;
  else process.env.TZ = savedTz;
});

const schema = {
  openapi: '3.0.2',
  components: { schemas: { Input: { type: 'object', required: ['text'], properties: { text: { type: 'string', title: 'Text', maxLength: 10 } } }, Output: { type: 'string' } } },
};
const MODEL = { id: '127.0.0.1:5100/fixtures/echo', owner: 'fixtures', name: 'echo', repository: '127.0.0.1:5100/fixtures/echo' };
const version = (hex: string, createdAt: string) => ({
  id: hex.repeat(64),
  modelId: MODEL.id,
  imageRef: `${MODEL.id}@sha256:${hex.repeat(64)}`,
  imageId: `sha256:${hex.repeat(64)}`,
  cogVersion: '0.15.5',
  openapiSchema: schema,
  cogConfig: null,
  legacyLabels: false,
  sizeBytes: 1000,
  createdAt,
});

/** What printLocalModel prints on stdout. */
async function printed(ref: string, o: { json?: boolean }): Promise<string> {
  let out = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((out += String(chunk)), true));
  expect(await printLocalModel(t.store, ref, o)).toBe(true);
  vi.restoreAllMocks();
  return out;
}

describe('cogdesk model NAME, a local model', () => {
  it('--json: snake_case, timestamps in ISO 8601 UTC with milliseconds', async () => {
    // Image labels carry RFC 3339 with nanoseconds or an offset; --json writes them all one way.
    t.store.library.register(MODEL, version('a', '2026-12-05T20:00:00.123456789Z'));
    t.store.library.register(MODEL, version('b', '2026-12-06T01:30:00+05:30'));
    const json = JSON.parse(await printed('echo', { json: true })) as { versions: Array<{ created_at: string }>; version: { created_at: string } };
    expect(json.versions.map((v) => v.created_at).sort()).toEqual(['2026-12-05T20:00:00.000Z', '2026-12-05T20:00:00.123Z']);
    expect(camelCaseKeys(json)).toEqual([]);
  });

  it("the versions table is in this machine's time, and says so", async () => {
    process.env.TZ = 'Asia/Kolkata';
    t.store.library.register(MODEL, version('a', '2026-12-05T20:00:00.000Z'));
    t.store.library.register(MODEL, version('b', '2026-12-05T21:00:00.000Z'));
    const text = await printed('echo', {});
    expect(text).toMatch(/^Versions \(2, local time\):$/m);
    expect(text).toMatch(/^ {2}aaaaaaaaaaaa {2}2026-12-06 01:30:00 {2}/m);
  });
});
