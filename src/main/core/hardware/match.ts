/**
 * Local GPUs to Replicate's SKUs: the exact SKU when the family and count match (eight A100 80GB ->
 * `gpu-a100-large-8x`), else honestly "no exact match" and the nearest SKU by GPU memory.
 */
import type { Gpu, GpuGroup, HardwareSku, SkuMatch } from '../../../shared/hardware';
import { BUILTIN_SKUS, FAMILY_RANK, describeSku, type SkuTable } from './skus';

/**
 * Memory of a GPU counts as the SKU's when it has at least this share of it: nvidia-smi prints 15109 MiB
 * for a "16 GB" T4 on older drivers and 46068 MiB for a "48 GB" A40 or L40S.
 */
export const MEMORY_TOLERANCE = 0.9;

export interface GpuFamily {
  /** The family Replicate's SKUs name (`T4`, `A40`, `L40S`, `A100 80GB`, `A100 40GB`, `H100`, `H200`), else null. */
  family: string | null;
  laptop: boolean;
}

/**
 * The family of a GPU from nvidia-smi's name (with or without the `NVIDIA ` prefix older drivers leave
 * out; PCIe, SXM, HBM3 and NVL variants alike) and, for the A100, its memory.
 */
export function gpuFamily(name: string, memoryMiB: number | null = null): GpuFamily {
  const n = name
    .toUpperCase()
    .replace(/^\s*NVIDIA\s+/, '')
    .replace(/^TESLA\s+/, '')
    .trim();
  const laptop = /\bLAPTOP\b|\bMOBILE\b|MAX-Q/.test(n);
  if (laptop) return { family: null, laptop };
  // A GH200 is not an H200, an RTX A4000 is not an A40, a T400 is not a T4, an L40 is not an L40S.
  if (/(^|[\s-])T4($|[\s-])/.test(n)) return { family: 'T4', laptop };
  if (/(^|[\s-])A40($|[\s-])/.test(n)) return { family: 'A40', laptop };
  if (/(^|[\s-])L40S($|[\s-])/.test(n)) return { family: 'L40S', laptop };
  if (/(^|[\s-])A100($|[\s-])/.test(n)) {
    const big = /80\s*GB/.test(n) || (!/40\s*GB/.test(n) && memoryMiB !== null && memoryMiB >= 70 * 1024);
    return { family: big ? 'A100 80GB' : 'A100 40GB', laptop };
  }
  if (/(^|[\s-])H100($|[\s-])/.test(n)) return { family: 'H100', laptop };
  if (/(^|[\s-])H200($|[\s-])/.test(n)) return { family: 'H200', laptop };
  return { family: null, laptop };
}

/** GPUs grouped by kind (family, else name), in the order they first appear. */
export function groupGpus(gpus: readonly Gpu[]): GpuGroup[] {
  const groups = new Map<string, GpuGroup>();
  for (const g of gpus) {
    const f = gpuFamily(g.name, g.memoryTotalMiB);
    const key = f.family ?? `name:${g.name}`;
    const group = groups.get(key);
    if (!group) {
      groups.set(key, { name: g.name, family: f.family, count: 1, memoryMiB: g.memoryTotalMiB, laptop: f.laptop, indices: [g.index] });
    } else {
      group.count++;
      group.indices.push(g.index);
      group.memoryMiB = group.memoryMiB === null || g.memoryTotalMiB === null ? null : Math.min(group.memoryMiB, g.memoryTotalMiB);
    }
  }
  return [...groups.values()];
}

/** Whether `memoryMiB` holds what a SKU's `gb` per GPU holds, with MEMORY_TOLERANCE. */
export function memoryFits(memoryMiB: number | null, gb: number): boolean {
  return memoryMiB !== null && memoryMiB >= gb * 1024 * MEMORY_TOLERANCE;
}

export function formatGB(mib: number): string {
  return `${Math.round(mib / 1024)} GB`;
}

export interface HostInfo {
  cpus?: number | null;
  memoryBytes?: number | null;
}

/** Maps the local GPUs to the Replicate SKU they match. */
export function matchSku(gpus: readonly Gpu[], table: SkuTable = BUILTIN_SKUS, host: HostInfo = {}): SkuMatch {
  const groups = groupGpus(gpus);
  if (groups.length === 0) {
    const cpu = table.find((s) => s.sku === 'cpu') ?? table.find((s) => !s.gpu) ?? null;
    return {
      kind: 'cpu',
      sku: cpu?.sku ?? null,
      alternatives: [],
      nearest: null,
      groups,
      sentence: cpu ? `No NVIDIA GPU: this machine runs models on the CPU, like Replicate's ${cpu.sku}.` : 'No NVIDIA GPU: this machine runs models on the CPU.',
    };
  }
  if (groups.length === 1) return { ...matchGroup(groups[0]!, table, host), groups };

  const parts = groups.map((g) => ({ g, m: matchGroup(g, table, host) }));
  const described = groups.map(describeGroup).join(', ');
  const exact = parts.find((p) => p.m.kind === 'exact');
  const best = exact ?? [...parts].sort((a, b) => (b.g.memoryMiB ?? 0) - (a.g.memoryMiB ?? 0))[0]!;
  const bestSku = best.m.sku ?? best.m.nearest;
  const tail = bestSku
    ? best.m.kind === 'exact'
      ? ` On their own, the ${best.g.count > 1 ? `${best.g.count} × ${best.g.name}` : best.g.name} match ${bestSku}.`
      : ` On its own, the ${best.g.name} is nearest to ${bestSku}.`
    : '';
  return {
    kind: 'mixed',
    sku: null,
    alternatives: [],
    nearest: bestSku,
    groups,
    sentence: `Mixed GPUs: ${described}. No Replicate SKU mixes GPU kinds.${tail}`,
  };
}

function describeGroup(g: GpuGroup): string {
  const mem = g.memoryMiB !== null ? ` (${formatGB(g.memoryMiB)}${g.count > 1 ? ' each' : ''})` : '';
  return `${g.count} × ${g.name}${mem}`;
}

function matchGroup(g: GpuGroup, table: SkuTable, host: HostInfo): Omit<SkuMatch, 'groups'> {
  const described = describeGroup(g) + (g.laptop ? ', a laptop GPU' : '');
  const gpuSkus = table.filter((s) => s.gpu !== null && s.gpuCount > 0);

  if (g.family) {
    const exact = gpuSkus.filter((s) => s.gpu === g.family && s.gpuCount === g.count);
    if (exact.length > 0) {
      const ordered = orderByHost(exact, host);
      const [first, ...rest] = ordered;
      const also = rest.length > 0 ? ` (also ${rest.map((s) => s.sku).join(', ')})` : '';
      return { kind: 'exact', sku: first!.sku, alternatives: rest.map((s) => s.sku), nearest: null, sentence: `${described}: matches Replicate's ${first!.sku}${also}.` };
    }
  }

  const nearest = nearestSku(g, gpuSkus);
  if (!nearest) {
    return {
      kind: 'none',
      sku: null,
      alternatives: [],
      nearest: null,
      sentence: `${described}: no exact match on Replicate, and its memory is unknown, so no nearest SKU either.`,
    };
  }
  const why = memoryFits(g.memoryMiB, nearest.gpuMemoryGB!)
    ? 'nearest by GPU memory'
    : `no Replicate SKU fits in ${formatGB(g.memoryMiB!)}; the smallest is`;
  const using = nearest.gpuCount < g.count ? `, using ${nearest.gpuCount} of the ${g.count} GPUs` : '';
  return {
    kind: 'nearest',
    sku: null,
    alternatives: [],
    nearest: nearest.sku,
    sentence: `${described}: no exact match on Replicate; ${why} ${describeSku(nearest)}${using}.`,
  };
}

/** SKUs whose CPUs and RAM this host has, biggest first; then the rest. */
function orderByHost(skus: HardwareSku[], host: HostInfo): HardwareSku[] {
  const ramGB = host.memoryBytes ? host.memoryBytes / 1e9 : null;
  const fits = (s: HardwareSku) =>
    (s.cpus === null || host.cpus == null || host.cpus >= s.cpus) && (s.ramGB === null || ramGB === null || ramGB >= s.ramGB * MEMORY_TOLERANCE);
  const size = (s: HardwareSku) => (s.cpus ?? 0) * 1000 + (s.ramGB ?? 0);
  return [...skus].sort((a, b) => Number(fits(b)) - Number(fits(a)) || size(b) - size(a));
}

/**
 * The nearest SKU by GPU memory: among SKUs with at most as many GPUs, the ones whose GPU memory this GPU
 * holds; of those the same family first, then the most memory, then the most GPUs, then the newest family.
 * When none fits, the SKU with the least GPU memory (so the sentence can say what is short).
 */
function nearestSku(g: GpuGroup, gpuSkus: HardwareSku[]): HardwareSku | null {
  if (g.memoryMiB === null) return null;
  const known = gpuSkus.filter((s) => s.gpuMemoryGB !== null);
  const fitting = known.filter((s) => s.gpuCount <= g.count && memoryFits(g.memoryMiB, s.gpuMemoryGB!));
  const rank = (s: HardwareSku) => FAMILY_RANK.indexOf(s.gpu ?? '');
  if (fitting.length > 0) {
    return fitting.sort(
      (a, b) =>
        Number(b.gpu === g.family) - Number(a.gpu === g.family) ||
        b.gpuMemoryGB! - a.gpuMemoryGB! ||
        b.gpuCount - a.gpuCount ||
        rank(b) - rank(a),
    )[0]!;
  }
  const singles = known.filter((s) => s.gpuCount === 1);
  return singles.sort((a, b) => a.gpuMemoryGB! - b.gpuMemoryGB! || rank(a) - rank(b))[0] ?? null;
}
