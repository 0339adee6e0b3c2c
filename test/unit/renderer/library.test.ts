/**
 * The Library's table, pure (src/renderer/src/lib/library.ts): a row per model with its size, the weights
 * kept for its versions, last use, warmth and Cog server generation; filtering, sorting, and which models a
 * clean-up of N days deletes and the disk that frees (kept weights included); kept weights added up per
 * version (a version may have several, one per environment or GPU request) and in all, and their lines.
 */
import { describe, expect, it } from 'vitest';
import type { DiskUsage, EngineStatus, KeptWeightsInfo, Model, Version } from '../../../src/shared/domain';
import {
  bytesFreed,
  filterRows,
  keptByVersion,
  keptLine,
  keptSummary,
  keptTotal,
  libraryRows,
  serverGeneration,
  sortRows,
  unusedFor,
} from '../../../src/renderer/src/lib/library';

const NOW = Date.parse('2026-06-30T12:00:00Z');
const daysAgo = (n: number) => new Date(NOW - n * 86_400_000).toISOString();

function model(id: string, addedDaysAgo: number): Model {
  return { id, owner: id.split('/')[0], name: id.split('/')[1], repository: `r8.im/${id}`, createdAt: daysAgo(addedDaysAgo), latestVersionId: `${id}-v1`, versionCount: 1 };
}
function version(modelId: string, id: string, cogVersion: string | null, sizeBytes: number | null, cogConfig: Record<string, unknown> | null = null): Version {
  return { id, modelId, imageRef: `r8.im/${modelId}@sha256:${id}`, imageId: 'sha256:x', cogVersion, openapiSchema: {}, cogConfig, legacyLabels: false, sizeBytes, createdAt: daysAgo(1) };
}

const models = [model('acme/old', 90), model('acme/fresh', 90), model('acme/never', 60), model('acme/new', 2), model('zed/warm', 90)];
const versions: Record<string, Version[]> = {
  'acme/old': [version('acme/old', 'o1', '0.15.5', 3_000_000_000)],
  'acme/fresh': [version('acme/fresh', 'f2', '0.17.1', 1_000), version('acme/fresh', 'f1', '0.16.3', 500)],
  'acme/never': [version('acme/never', 'n1', '0.16.8', 2_000_000_000, { build: { cog_runtime: true } })],
  'acme/new': [version('acme/new', 'w1', null, null)],
  'zed/warm': [version('zed/warm', 'z1', '0.22.0', 7)],
};
const disk: DiskUsage = {
  dataDir: '/d',
  databaseBytes: 0,
  outputsBytes: 0,
  inputsBytes: 0,
  imagesBytes: 0,
  weightsBytes: 0,
  models: [{ modelId: 'acme/old', imagesBytes: 2_900_000_000, outputsBytes: 10, predictions: 3 }],
};
const status: EngineStatus = {
  docker: { ok: true, version: '27', apiVersion: '1.47' },
  dataDir: '/d',
  warmContainers: [{ versionId: 'z1', containerId: 'c', url: 'http://127.0.0.1:1', busy: false, queued: 0, runsOn: 'cpu' }],
};
const lastUsed = { 'acme/old': daysAgo(40), 'acme/fresh': daysAgo(3), 'zed/warm': daysAgo(100) };
// Kept weights: two versions of acme/fresh, one of acme/old; a version no longer listed counts nowhere.
const kept = { f1: 4_000_000, f2: 6_000_000, o1: 100_000_000, gone: 1 };
const rows = libraryRows(models, versions, disk, status, lastUsed, kept);
const ids = (list: { model: Model }[]) => list.map((r) => r.model.id);

describe('the Library table', () => {
  it('names the Cog server an image runs from its labels: coglet from 0.17, cog-runtime when cog.yaml asks, else Python', () => {
    expect(serverGeneration({ cogVersion: '0.15.5', cogConfig: null })).toBe('Python');
    expect(serverGeneration({ cogVersion: '0.16.8', cogConfig: { build: { cog_runtime: true } } })).toBe('cog-runtime (Go)');
    expect(serverGeneration({ cogVersion: '0.17.0', cogConfig: { build: { cog_runtime: true } } })).toBe('coglet (Rust)');
    expect(serverGeneration({ cogVersion: 'v0.22.0', cogConfig: null })).toBe('coglet (Rust)');
    expect(serverGeneration({ cogVersion: null, cogConfig: null })).toBeNull();
    expect(serverGeneration({ cogVersion: 'dev', cogConfig: null })).toBeNull();
    // A newer Cog building with an older SDK runs the Python server, as the core tells it (server-kind.ts).
    expect(serverGeneration({ cogVersion: '0.17.2', cogConfig: { build: { sdk_version: '0.16.9' } } })).toBe('Python');
    expect(serverGeneration({ cogVersion: '0.17.2', cogConfig: { build: { sdk_version: '0.17.0' } } })).toBe('coglet (Rust)');
  });

  it('a row per model: size from the disk count (else the versions added up), last use, warm, the latest version\'s server', () => {
    const by = Object.fromEntries(rows.map((r) => [r.model.id, r]));
    expect(by['acme/old'].sizeBytes).toBe(2_900_000_000);
    expect(by['acme/fresh'].sizeBytes).toBe(1_500);
    expect(by['acme/new'].sizeBytes).toBeNull();
    expect(by['acme/fresh'].server).toBe('coglet (Rust)');
    expect(by['acme/never'].server).toBe('cog-runtime (Go)');
    expect(by['acme/never'].lastUsed).toBeNull();
    expect(by['zed/warm'].warm).toBe(true);
    expect(by['acme/old'].warm).toBe(false);
  });

  it('a model\'s kept weights are its versions\' added up; none kept is null, not zero', () => {
    const by = Object.fromEntries(rows.map((r) => [r.model.id, r]));
    expect(by['acme/fresh'].keptBytes).toBe(10_000_000);
    expect(by['acme/old'].keptBytes).toBe(100_000_000);
    expect(by['acme/never'].keptBytes).toBeNull();
    expect(libraryRows(models, versions, disk, status, lastUsed).every((r) => r.keptBytes === null)).toBe(true);
  });

  it('filters by every word of the text, in the name or the repository, ignoring case', () => {
    expect(ids(filterRows(rows, 'ACME  ne'))).toEqual(['acme/never', 'acme/new']);
    expect(ids(filterRows(rows, 'r8.im/zed'))).toEqual(['zed/warm']);
    expect(filterRows(rows, '  ')).toHaveLength(5);
  });

  it('sorts by any column, both ways, ties by name; never-used and unknown sizes last when descending', () => {
    expect(ids(sortRows(rows, 'lastUsed', 'desc'))).toEqual(['acme/fresh', 'acme/old', 'zed/warm', 'acme/never', 'acme/new']);
    expect(ids(sortRows(rows, 'size', 'desc'))).toEqual(['acme/old', 'acme/never', 'acme/fresh', 'zed/warm', 'acme/new']);
    expect(ids(sortRows(rows, 'name', 'asc'))).toEqual(['acme/fresh', 'acme/never', 'acme/new', 'acme/old', 'zed/warm']);
    expect(ids(sortRows(rows, 'kept', 'desc'))).toEqual(['acme/old', 'acme/fresh', 'acme/never', 'acme/new', 'zed/warm']);
    expect(ids(sortRows(rows, 'kept', 'asc'))).toEqual(['acme/never', 'acme/new', 'zed/warm', 'acme/fresh', 'acme/old']);
    expect(ids(sortRows(rows, 'versions', 'desc'))[0]).toBe('acme/fresh');
    expect(ids(sortRows(rows, 'warm', 'desc'))[0]).toBe('zed/warm');
  });

  it('a clean-up of N days takes models last used before then, or never used and added before then; never a warm one', () => {
    expect(ids(unusedFor(rows, 30, NOW))).toEqual(['acme/old', 'acme/never']);
    // Their images and the weights kept for them (deleting a version removes those too).
    expect(bytesFreed(unusedFor(rows, 30, NOW))).toBe(4_900_000_000 + 100_000_000);
    expect(ids(unusedFor(rows, 50, NOW))).toEqual(['acme/never']);
    expect(ids(unusedFor(rows, 0, NOW))).toEqual(['acme/old', 'acme/fresh', 'acme/never', 'acme/new']);
    expect(unusedFor(rows, 365, NOW)).toEqual([]);
  });
});

const at = '2026-06-30T12:00:00.000Z';
const list: KeptWeightsInfo[] = [
  { versionId: 'v1', kind: 'kept', bytes: 4_200_000, setupMs: 3000, createdAt: at },
  { versionId: 'v2', kind: 'kept', bytes: 1_000_000_000, setupMs: 190_000, createdAt: at },
  { versionId: 'v1', kind: 'kept', bytes: 800_000, setupMs: 2000, createdAt: at },
];

describe('kept weights as the window shows them', () => {
  it('adds up per version and in all', () => {
    expect(keptByVersion(list)).toEqual({ v1: 5_000_000, v2: 1_000_000_000 });
    expect(keptTotal(list)).toEqual({ bytes: 1_005_000_000, versions: 2 });
    expect(keptByVersion([])).toEqual({});
    expect(keptTotal([])).toEqual({ bytes: 0, versions: 0 });
  });

  it('managed weights count for each version that mounts them, and once in the total when two versions share one', () => {
    const managed = (versionId: string): KeptWeightsInfo => ({ versionId, kind: 'managed', bytes: 4_000_000, setupMs: 0, createdAt: at, name: 'model', digest: 'sha256:c067' });
    const both = [...list, managed('v3'), managed('v4')];
    expect(keptByVersion(both)).toMatchObject({ v3: 4_000_000, v4: 4_000_000 });
    expect(keptTotal(both)).toEqual({ bytes: 1_009_000_000, versions: 4 });
    expect(keptSummary(both)).toBe('1.0 GB kept for 4 versions.');
  });

  it('a version reads "weights kept: 4.2 MB"; Settings the total, or that nothing is kept', () => {
    expect(keptLine(4_200_000)).toBe('weights kept: 4.2 MB');
    expect(keptLine(4_200_000_000)).toBe('weights kept: 4.2 GB');
    expect(keptSummary(list)).toBe('1.0 GB kept for 2 versions.');
    expect(keptSummary(list.slice(0, 1))).toBe('4.2 MB kept for 1 version.');
    expect(keptSummary([])).toBe('No weights are kept now.');
  });
});
