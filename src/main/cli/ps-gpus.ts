/**
 * The GPU part of `cogdesk ps`: per GPU its memory, utilization and temperature (nvidia-smi), and what each
 * warm container of this data folder holds on it (nvidia-smi's processes mapped to the container's own, by
 * Docker's top, as the engine's GPU room measures them). Loaded by `ps` only (`await import`). Machines
 * where nvidia-smi is absent or sees no GPU get no GPUs and no message: `cogdesk hardware` says why.
 */
import type Docker from 'dockerode';
import type { GpuLive } from '../../shared/hardware';
import { queryLiveGpus } from '../core/hardware/gpu-live';
import { containerPids } from '../core/docker/containers';

/** A GPU in `ps --json`, with what one container holds on it. */
export interface PsGpu {
  index: number;
  uuid: string;
  name: string;
  /** MiB this container's processes hold on this GPU. */
  held_mib: number;
  memory_used_mib: number | null;
  memory_total_mib: number | null;
  /** Percent; null where nvidia-smi cannot say (MIG instances). */
  utilization_percent: number | null;
  temperature_c: number | null;
}

/** The live GPUs, and per container id the MiB it holds on each GPU (by uuid). */
export interface PsGpuUse {
  gpus: Array<Omit<GpuLive, 'models'>>;
  held: Map<string, Map<string, number>>;
}


/** What the running containers (ids) hold on the GPUs now. Never throws. */
export async function gpuUse(dockerOf: () => Promise<Docker>, runningIds: string[]): Promise<PsGpuUse> {
  const live = await queryLiveGpus();
  const held = new Map<string, Map<string, number>>();
  if (!live.gpus.length) return { gpus: [], held };
  // Docker only on a machine with GPUs to map: a ps through a running Cogdesk needs none otherwise.
  const docker = await dockerOf();
  const pidsOf = await Promise.all(runningIds.map((id) => containerPids(docker, id)));
  runningIds.forEach((id, i) => {
    const per = new Map<string, number>();
    for (const p of live.processes) if (pidsOf[i]!.has(p.pid) && p.memoryMiB) per.set(p.gpuUuid, (per.get(p.gpuUuid) ?? 0) + p.memoryMiB);
    if (per.size) held.set(id, per);
  });
  return { gpus: live.gpus, held };
}

/** The GPUs one container holds memory on, for `ps --json`. */
export function gpusOf(use: PsGpuUse, containerId: string): PsGpu[] {
  const per = use.held.get(containerId);
  if (!per) return [];
  return use.gpus
    .filter((g) => per.has(g.uuid))
    .map((g) => ({
      index: g.index,
      uuid: g.uuid,
      name: g.name,
      held_mib: per.get(g.uuid)!,
      memory_used_mib: g.memoryUsedMiB,
      memory_total_mib: g.memoryTotalMiB,
      utilization_percent: g.utilization,
      temperature_c: g.temperatureC,
    }));
}

const mib = (n: number | null) => (n === null ? '?' : n >= 1024 ? `${(n / 1024).toFixed(1)} GiB` : `${n} MiB`);

/**
 * The lines under the containers table: a line per GPU, then a line per warm model on it with what it holds.
 * `label` names a container (its model); '' when there are no GPUs.
 */
export function formatGpuUse(use: PsGpuUse, label: (containerId: string) => string): string {
  if (!use.gpus.length) return '';
  const lines: string[] = [];
  for (const g of use.gpus) {
    const memory = `${mib(g.memoryUsedMiB)} / ${mib(g.memoryTotalMiB)} used`;
    const util = g.utilization === null ? 'utilization -' : `${g.utilization}% utilization`;
    const temp = g.temperatureC === null ? '-' : `${g.temperatureC} °C`;
    lines.push(`GPU ${g.index}  ${g.name}  ${memory}  ${util}  ${temp}`);
    for (const [id, per] of use.held) {
      const n = per.get(g.uuid);
      if (n) lines.push(`  ${label(id)} (${id.slice(0, 12)})  ${mib(n)}`);
    }
  }
  return lines.join('\n');
}
