/**
 * The Library as one table, pure: a row per local model (versions, image size, the weights kept for its
 * versions, last used, warm or cold, the Cog server generation its latest version runs), sorted, filtered,
 * and the models not used for N days with the disk their deletion frees. Kept weights (what a version's setup
 * downloaded, kept for its next cold start) added up per version and in all, as the Library, a model's page
 * and Settings show them.
 */
import type { DiskUsage, EngineStatus, KeptWeightsInfo, Model, Version } from '../../../shared/domain';
import { formatBytes } from './format';
import { COG_SERVER_NAMES, serverOfVersion } from '../../../shared/cog-server';

export interface LibraryRow {
  model: Model;
  versions: Version[];
  /** The images' bytes (Docker's count, each image once), else the versions' sizes added up; null when unknown. */
  sizeBytes: number | null;
  /** What setup downloaded and Cogdesk kept, its versions' added up; null when none is kept. */
  keptBytes: number | null;
  /** When its newest prediction was made; null when it never ran here. */
  lastUsed: string | null;
  warm: boolean;
  /** The Cog server its latest version runs, when the version's labels tell. */
  server: string | null;
}

export type SortKey = 'name' | 'versions' | 'size' | 'kept' | 'lastUsed' | 'warm' | 'server';
export type SortDir = 'asc' | 'desc';

/**
 * Which Cog server an image runs, named as a person reads it: the rule of src/shared/cog-server.ts (the
 * core's), so `build.sdk_version` below 0.17 under a newer Cog is the Python server here too. Null when the
 * labels do not tell.
 */
export function serverGeneration(version: Pick<Version, 'cogVersion' | 'cogConfig'>): string | null {
  const server = serverOfVersion(version);
  return server ? COG_SERVER_NAMES[server] : null;
}

export function libraryRows(
  models: Model[],
  versions: Record<string, Version[]>,
  disk: DiskUsage | null,
  status: EngineStatus | null,
  lastUsed: Record<string, string | null>,
  /** Kept weights' bytes by version id (keptByVersion). */
  kept: Record<string, number> = {},
): LibraryRow[] {
  const warmIds = new Set(status?.warmContainers.map((w) => w.versionId) ?? []);
  return models.map((model) => {
    const list = versions[model.id] ?? [];
    const known = list.map((v) => v.sizeBytes).filter((n): n is number => typeof n === 'number');
    const fromDisk = disk?.models.find((d) => d.modelId === model.id)?.imagesBytes;
    const keptOf = list.map((v) => kept[v.id]).filter((n): n is number => typeof n === 'number');
    return {
      model,
      versions: list,
      sizeBytes: fromDisk ?? (known.length ? known.reduce((a, b) => a + b, 0) : null),
      keptBytes: keptOf.length ? keptOf.reduce((a, b) => a + b, 0) : null,
      lastUsed: lastUsed[model.id] ?? null,
      warm: list.some((v) => warmIds.has(v.id)),
      server: list[0] ? serverGeneration(list[0]) : null,
    };
  });
}

/** Rows whose model id or image repository holds every word of `text` (ignoring case). */
export function filterRows(rows: LibraryRow[], text: string): LibraryRow[] {
  const words = text.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return rows;
  return rows.filter((r) => {
    const hay = `${r.model.id} ${r.model.repository}`.toLowerCase();
    return words.every((w) => hay.includes(w));
  });
}

const time = (iso: string | null) => (iso ? Date.parse(iso) : -Infinity);

function value(r: LibraryRow, key: SortKey): number | string {
  switch (key) {
    case 'name':
      return r.model.id.toLowerCase();
    case 'versions':
      return r.versions.length;
    case 'size':
      return r.sizeBytes ?? -1;
    case 'kept':
      return r.keptBytes ?? -1;
    case 'lastUsed':
      return time(r.lastUsed);
    case 'warm':
      return r.warm ? 1 : 0;
    case 'server':
      return r.server ?? '';
  }
}

/** Sorted by one column; ties by name, always A to Z. */
export function sortRows(rows: LibraryRow[], key: SortKey, dir: SortDir): LibraryRow[] {
  const sign = dir === 'asc' ? 1 : -1;
  return [...rows].sort((a, b) => {
    const x = value(a, key);
    const y = value(b, key);
    const c = x < y ? -1 : x > y ? 1 : 0;
    return c !== 0 ? c * sign : a.model.id.localeCompare(b.model.id);
  });
}

/**
 * The models not used for `days` days: their newest prediction is older, or they never ran and were added
 * before then. Warm models are left out (they are in use now).
 */
export function unusedFor(rows: LibraryRow[], days: number, now = Date.now()): LibraryRow[] {
  const line = now - days * 86_400_000;
  return rows.filter((r) => !r.warm && (r.lastUsed ? Date.parse(r.lastUsed) : Date.parse(r.model.createdAt)) < line);
}

/**
 * The disk deleting these rows' versions frees: their images (at most: layers other images share stay) and
 * the weights kept for them (deleting a version removes those too).
 */
export function bytesFreed(rows: LibraryRow[]): number {
  return rows.reduce((sum, r) => sum + (r.sizeBytes ?? 0) + (r.keptBytes ?? 0), 0);
}

/** Bytes kept per version id (a version may have several: one per environment or GPU request). */
export function keptByVersion(list: KeptWeightsInfo[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of list) out[k.versionId] = (out[k.versionId] ?? 0) + k.bytes;
  return out;
}

/** All that is kept: the bytes (a managed weight two versions share is on disk once) and how many versions they belong to. */
export function keptTotal(list: KeptWeightsInfo[]): { bytes: number; versions: number } {
  const once = new Map<string, number>();
  list.forEach((k, i) => once.set(k.kind === 'managed' && k.digest ? `managed:${k.digest}` : `#${i}`, k.bytes));
  return { bytes: [...once.values()].reduce((a, b) => a + b, 0), versions: Object.keys(keptByVersion(list)).length };
}

/** A version's line: "weights kept: 4.2 MB". */
export function keptLine(bytes: number): string {
  return `weights kept: ${formatBytes(bytes)}`;
}

/** Settings' one line of the total: "4.2 MB kept for 1 version" or that nothing is kept. */
export function keptSummary(list: KeptWeightsInfo[]): string {
  const { bytes, versions } = keptTotal(list);
  if (versions === 0) return 'No weights are kept now.';
  return `${formatBytes(bytes)} kept for ${versions} version${versions === 1 ? '' : 's'}.`;
}
