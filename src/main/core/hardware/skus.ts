/**
 * Replicate's hardware SKUs: the built-in table (from Replicate's pricing pages, see
 * reference/hardware.md), both spellings of multi-GPU names, and a merge of `GET /v1/hardware`'s
 * `[{name, sku}]`, which is the authority at run time.
 */
import type { HardwareSku } from '../../../shared/hardware';

export type SkuTable = readonly HardwareSku[];

/** GB of memory per GPU of each family Replicate offers (or has offered). */
export const FAMILY_MEMORY_GB: Readonly<Record<string, number>> = {
  T4: 16,
  A40: 48,
  L40S: 48,
  'A100 40GB': 40,
  'A100 80GB': 80,
  H100: 80,
  H200: 141,
};

/** Newer families last: used to break ties between SKUs with GPUs of the same memory. */
export const FAMILY_RANK: readonly string[] = ['T4', 'A40', 'L40S', 'A100 40GB', 'A100 80GB', 'H100', 'H200'];

function sku(
  id: string,
  name: string,
  gpu: string | null,
  gpuCount: number,
  cpus: number | null = null,
  ramGB: number | null = null,
): HardwareSku {
  return {
    sku: id,
    name,
    gpu,
    gpuCount,
    gpuMemoryGB: gpu ? (FAMILY_MEMORY_GB[gpu] ?? null) : null,
    cpus,
    ramGB,
    aliases: otherSpellings(id),
    source: 'builtin',
  };
}

function multi(base: string, name: string, gpu: string, first?: { cpus: number; ramGB: number }): HardwareSku[] {
  return [2, 4, 8].map((n) => sku(`${base}-${n}x`, `${n}x ${name}`, gpu, n, n === 2 ? (first?.cpus ?? null) : null, n === 2 ? (first?.ramGB ?? null) : null));
}

export const BUILTIN_SKUS: SkuTable = Object.freeze([
  sku('cpu-small', 'CPU (small)', null, 0, 1, 2),
  sku('cpu', 'CPU', null, 0, 4, 8),
  sku('gpu-t4', 'Nvidia T4 GPU', 'T4', 1, 4, 16),
  sku('gpu-a40-small', 'Nvidia A40 GPU', 'A40', 1, 4, 16),
  sku('gpu-a40-large', 'Nvidia A40 (Large) GPU', 'A40', 1, 10, 72),
  ...multi('gpu-a40-large', 'Nvidia A40 (Large) GPU', 'A40'),
  sku('gpu-l40s', 'Nvidia L40S GPU', 'L40S', 1, 10, 65),
  ...multi('gpu-l40s', 'Nvidia L40S GPU', 'L40S', { cpus: 20, ramGB: 144 }),
  sku('gpu-a100-large', 'Nvidia A100 (80GB) GPU', 'A100 80GB', 1, 10, 144),
  ...multi('gpu-a100-large', 'Nvidia A100 (80GB) GPU', 'A100 80GB'),
  sku('gpu-h100', 'Nvidia H100 GPU', 'H100', 1, 13, 72),
  ...multi('gpu-h100', 'Nvidia H100 GPU', 'H100'),
]);

/** One spelling for comparing: lower case, and `gpu-2x-l40s` written as `gpu-l40s-2x`. */
export function normalizeSku(s: string): string {
  const v = s.trim().toLowerCase();
  const m = /^gpu-(\d+)x-(.+)$/.exec(v);
  return m ? `gpu-${m[2]}-${m[1]}x` : v;
}

/** The other spelling of a multi-GPU SKU (`gpu-l40s-2x` <-> `gpu-2x-l40s`); none for single-GPU ones. */
export function otherSpellings(s: string): string[] {
  const canonical = normalizeSku(s);
  const m = /^gpu-(.+)-(\d+)x$/.exec(canonical);
  if (!m) return canonical === s ? [] : [canonical];
  const front = `gpu-${m[2]}x-${m[1]}`;
  return [canonical, front].filter((x) => x !== s);
}

/** The SKU for any spelling of its name, or null. */
export function findSku(name: string, table: SkuTable = BUILTIN_SKUS): HardwareSku | null {
  const key = normalizeSku(name);
  return table.find((e) => normalizeSku(e.sku) === key || e.aliases.some((a) => normalizeSku(a) === key)) ?? null;
}

/**
 * What a SKU name (and Replicate's display name, when there is one) says by itself: for SKUs the table does
 * not know yet (`gpu-h200`, `gpu-2x-h200`). Family from the name, count from `-Nx`/`Nx-` or "2x ...",
 * memory from "(80GB)" or the family.
 */
export function parseSku(id: string, name = ''): HardwareSku {
  const canonical = normalizeSku(id);
  if (canonical.startsWith('cpu')) {
    return { sku: id, name: name || id, gpu: null, gpuCount: 0, gpuMemoryGB: null, cpus: null, ramGB: null, aliases: otherSpellings(id), source: 'api' };
  }
  const m = /^gpu-(.+?)(?:-(\d+)x)?$/.exec(canonical);
  const body = m?.[1] ?? canonical;
  const countFromName = /^\s*(\d+)\s*x\b/i.exec(name);
  const count = m?.[2] ? Number(m[2]) : countFromName ? Number(countFromName[1]) : 1;
  const memFromName = /\((\d+)\s*GB\)/i.exec(name);
  const token = body.replace(/-(small|medium|large|xlarge)$/, '');
  let gpu = token.toUpperCase();
  if (gpu === 'A100') {
    const gb = memFromName ? Number(memFromName[1]) : /large/.test(body) ? 80 : 40;
    gpu = `A100 ${gb}GB`;
  }
  const gpuMemoryGB = memFromName ? Number(memFromName[1]) : (FAMILY_MEMORY_GB[gpu] ?? null);
  return { sku: id, name: name || id, gpu, gpuCount: count, gpuMemoryGB, cpus: null, ramGB: null, aliases: otherSpellings(id), source: 'api' };
}

/**
 * Merges `GET /v1/hardware`'s list into a table: known SKUs take the API's spelling and name (the other
 * spelling stays an alias); unknown ones are added from what their names say. SKUs the list does not
 * mention stay, marked 'builtin'. Returns a new table.
 */
export function mergeHardwareList(list: ReadonlyArray<{ name: string; sku: string }>, table: SkuTable = BUILTIN_SKUS): HardwareSku[] {
  const out = table.map((e) => ({ ...e, aliases: [...e.aliases] }));
  for (const item of list) {
    if (!item || typeof item.sku !== 'string' || !item.sku.trim()) continue;
    const id = item.sku.trim();
    const name = typeof item.name === 'string' && item.name.trim() ? item.name.trim() : id;
    const key = normalizeSku(id);
    const i = out.findIndex((e) => normalizeSku(e.sku) === key);
    if (i >= 0) {
      const e = out[i]!;
      const aliases = new Set([...e.aliases, e.sku, ...otherSpellings(id)]);
      aliases.delete(id);
      out[i] = { ...e, sku: id, name, aliases: [...aliases], source: 'api' };
    } else {
      out.push(parseSku(id, name));
    }
  }
  return out;
}

/** "1 × T4, 16 GB" for a person. */
export function describeSku(s: HardwareSku): string {
  if (!s.gpu) return `${s.sku} (CPU only${s.cpus ? `, ${s.cpus} CPU${s.cpus > 1 ? 's' : ''}` : ''}${s.ramGB ? `, ${s.ramGB} GB RAM` : ''})`;
  const mem = s.gpuMemoryGB ? `, ${s.gpuMemoryGB} GB${s.gpuCount > 1 ? ' each' : ''}` : '';
  return `${s.sku} (${s.gpuCount} × ${s.gpu}${mem})`;
}
