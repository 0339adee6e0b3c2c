/**
 * The GPUs as they are now, from nvidia-smi: free memory, utilization and temperature per GPU, the
 * processes on them with the memory each holds (`--query-compute-apps`), and MIG instances (`-L`), which
 * count as GPUs of their own. Never throws: no nvidia-smi, or one that fails, gives no GPUs and why.
 */
import type { GpuLive, GpuUsage } from '../../../shared/hardware';
import { DEFAULT_TIMEOUT_MS, findNvidiaSmi, runNvidiaSmi, smiValue, type QueryOptions } from './nvidia-smi';

export const LIVE_GPU_ARGS = ['--query-gpu=index,uuid,name,memory.total,memory.used,memory.free,utilization.gpu,temperature.gpu', '--format=csv,noheader,nounits'];
export const COMPUTE_APPS_ARGS = ['--query-compute-apps=pid,gpu_uuid,used_memory', '--format=csv,noheader,nounits'];

/** A process on a GPU: its host pid, the GPU's uuid, the memory it holds (MiB; null where the driver cannot say, e.g. WDDM). */
export interface GpuProcess {
  pid: number;
  gpuUuid: string;
  memoryMiB: number | null;
}

export interface LiveGpus {
  /** Whole GPUs, then the MIG instances of GPUs that have them (those GPUs themselves are left out: their instances are what a container gets). */
  gpus: Array<Omit<GpuLive, 'models'>>;
  processes: GpuProcess[];
  /** Why there are no GPUs, else null. */
  message: string | null;
}

const num = (raw: string | undefined): number | null => {
  const v = smiValue(raw);
  if (v === null) return null;
  const n = Number(v.replace(/\s*(MiB|%|C)$/i, ''));
  return Number.isFinite(n) ? n : null;
};

/** Parses LIVE_GPU_ARGS output (a name may hold commas: it is what lies between uuid and the last five fields). */
export function parseLiveGpus(stdout: string): Array<Omit<GpuLive, 'models'>> {
  const out: Array<Omit<GpuLive, 'models'>> = [];
  for (const line of stdout.split(/\r?\n/)) {
    const f = line.split(',');
    if (f.length < 8 || !/^\s*\d+\s*$/.test(f[0]!)) continue;
    const t = f.slice(f.length - 5);
    out.push({
      index: Number(f[0]!.trim()),
      uuid: smiValue(f[1]) ?? `GPU-index-${f[0]!.trim()}`,
      name: smiValue(f.slice(2, f.length - 5).join(',')) ?? 'Unknown NVIDIA GPU',
      memoryTotalMiB: num(t[0]),
      memoryUsedMiB: num(t[1]),
      memoryFreeMiB: num(t[2]),
      utilization: num(t[3]),
      temperatureC: num(t[4]),
    });
  }
  return out;
}

/** Parses COMPUTE_APPS_ARGS output: `12345, GPU-..., 20480` a line. */
export function parseComputeApps(stdout: string): GpuProcess[] {
  const out: GpuProcess[] = [];
  for (const line of stdout.split(/\r?\n/)) {
    const f = line.split(',').map((s) => s.trim());
    if (f.length !== 3 || !/^\d+$/.test(f[0]!) || !smiValue(f[1])) continue;
    out.push({ pid: Number(f[0]), gpuUuid: f[1]!, memoryMiB: num(f[2]) });
  }
  return out;
}

/** MIG instances from `nvidia-smi -L`: `  MIG 3g.20gb     Device  0: (UUID: MIG-...)` under their GPU's line. */
export function parseMigDevices(stdout: string): Array<{ parent: number; profile: string; uuid: string; memoryMiB: number | null }> {
  const out: Array<{ parent: number; profile: string; uuid: string; memoryMiB: number | null }> = [];
  let parent = -1;
  for (const raw of stdout.split(/\r?\n/)) {
    const gpu = /^GPU (\d+):/.exec(raw.trim());
    if (gpu) parent = Number(gpu[1]);
    const mig = /^\s*MIG\s+(\S+)\s+Device\s+\d+:\s*\(UUID:\s*(MIG-[^)\s]+)\)/.exec(raw);
    if (mig && parent >= 0) {
      // The profile names the instance's memory: `3g.20gb` has about 20 GB.
      const gb = /\.(\d+)gb$/i.exec(mig[1]!);
      out.push({ parent, profile: mig[1]!, uuid: mig[2]!, memoryMiB: gb ? Number(gb[1]) * 1024 : null });
    }
  }
  return out;
}

/** Asks nvidia-smi for the GPUs now (three short calls). */
export async function queryLiveGpus(o: QueryOptions = {}): Promise<LiveGpus> {
  const env = o.env ?? process.env;
  const timeoutMs = o.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const path = o.nvidiaSmi ?? (env.COGDESK_NVIDIA_SMI?.trim() || findNvidiaSmi({ platform: o.platform, env, wslPath: o.wslPath }).path);
  if (!path) return { gpus: [], processes: [], message: 'nvidia-smi was not found: no NVIDIA driver is installed' };
  const [gpus, apps, list] = await Promise.all([runNvidiaSmi(path, LIVE_GPU_ARGS, timeoutMs, env), runNvidiaSmi(path, COMPUTE_APPS_ARGS, timeoutMs, env), runNvidiaSmi(path, ['-L'], timeoutMs, env)]);
  if (!gpus.ok) return { gpus: [], processes: [], message: `nvidia-smi failed: ${(gpus.output.trim() || gpus.error).split(/\r?\n/)[0]}` };
  const whole = parseLiveGpus(gpus.stdout);
  const processes = apps.ok ? parseComputeApps(apps.stdout) : [];
  const mig = list.ok ? parseMigDevices(list.stdout) : [];
  const result: LiveGpus['gpus'] = [];
  for (const g of whole) {
    const instances = mig.filter((m) => m.parent === g.index);
    if (!instances.length) {
      result.push(g);
      continue;
    }
    for (const m of instances) {
      const held = processes.filter((p) => p.gpuUuid === m.uuid).reduce((s, p) => s + (p.memoryMiB ?? 0), 0);
      result.push({
        index: g.index,
        uuid: m.uuid,
        name: `${g.name} MIG ${m.profile}`,
        memoryTotalMiB: m.memoryMiB,
        memoryUsedMiB: held,
        memoryFreeMiB: m.memoryMiB === null ? null : Math.max(0, m.memoryMiB - held),
        utilization: null,
        temperatureC: g.temperatureC,
        migParent: g.index,
      });
    }
  }
  return { gpus: result, processes, message: result.length ? null : 'nvidia-smi found no NVIDIA GPU' };
}

/** The live use with no warm models to name (no engine here). */
export async function gpuUsageWithoutModels(o: QueryOptions = {}): Promise<GpuUsage> {
  const live = await queryLiveGpus(o);
  return { gpus: live.gpus.map((g) => ({ ...g, models: [] })), message: live.message, at: new Date().toISOString() };
}
