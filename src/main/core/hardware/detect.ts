/**
 * The hardware report: NVIDIA GPUs from nvidia-smi (asked directly, asynchronously, with a timeout), CPU
 * and memory from systeminformation, and other adapters from systeminformation only where nvidia-smi is
 * absent (its graphics() runs nvidia-smi synchronously, without a timeout). Never throws: no GPU, no
 * driver, a hanging or failing nvidia-smi give a CPU-only report that says why.
 */
import { readFileSync } from 'node:fs';
import si from 'systeminformation';
import type { HardwareReport, OtherGpu } from '../../../shared/hardware';
import { queryDriverCuda } from './cuda';
import { DEFAULT_TIMEOUT_MS, queryNvidiaGpus, type QueryOptions } from './nvidia-smi';

export interface DetectOptions extends QueryOptions {
  /** Ask systeminformation for CPU, memory and other adapters (default true). */
  systemInfo?: boolean;
}

export async function detectHardware(o: DetectOptions = {}): Promise<HardwareReport> {
  const platform = o.platform ?? process.platform;
  const timeoutMs = o.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const useSi = o.systemInfo ?? true;

  const [nvidia, cpu, mem] = await Promise.all([
    queryNvidiaGpus({ ...o, platform }),
    useSi ? withTimeout(si.cpu(), timeoutMs) : Promise.resolve(null),
    useSi ? withTimeout(si.mem(), timeoutMs) : Promise.resolve(null),
  ]);

  const smiPath = nvidia.report.path;
  const driverCuda =
    nvidia.gpus.length && smiPath ? await queryDriverCuda(smiPath, nvidia.gpus[0]!.driverVersion, timeoutMs, o.env ?? process.env) : null;

  let otherGpus: OtherGpu[] = [];
  // Only where the search found no nvidia-smi: systeminformation would run a present (maybe hanging) one
  // synchronously, with no timeout.
  const noneToRun = (nvidia.report.status === 'not_found' || nvidia.report.status === 'unsupported_platform') && nvidia.report.path === null;
  if (useSi && noneToRun) {
    const graphics = await withTimeout(si.graphics(), timeoutMs);
    otherGpus = (graphics?.controllers ?? []).map((c) => ({
      vendor: c.vendor || 'unknown',
      model: c.model || 'unknown adapter',
      vramMiB: typeof c.vram === 'number' && c.vram > 0 ? c.vram : null,
      bus: c.bus || c.busAddress || null,
    }));
  }

  let reason = nvidia.gpus.length === 0 ? nvidia.report.message : null;
  const unseen = otherGpus.find((g) => /nvidia/i.test(g.vendor) || /nvidia/i.test(g.model));
  if (reason && unseen) reason = `${reason} (the system lists an NVIDIA adapter: ${unseen.model})`;

  return {
    platform,
    wsl: platform === 'linux' && isWsl(o.env ?? process.env),
    cpu: cpu ? { brand: [cpu.manufacturer, cpu.brand].filter(Boolean).join(' ').trim() || 'unknown CPU', cores: cpu.cores, physicalCores: cpu.physicalCores } : null,
    memoryBytes: mem?.total ?? null,
    gpus: nvidia.gpus,
    nvidiaSmi: nvidia.report,
    otherGpus,
    cpuOnly: nvidia.gpus.length === 0,
    reason,
    hint: nvidia.gpus.length === 0 ? nvidia.report.hint : null,
    detectedAt: new Date().toISOString(),
    driverCuda,
  };
}

function isWsl(env: NodeJS.ProcessEnv): boolean {
  if (env.WSL_DISTRO_NAME || env.WSL_INTEROP) return true;
  try {
    return /microsoft|wsl/i.test(readFileSync('/proc/version', 'utf8'));
  } catch {
    return false;
  }
}

/** The value, or null when it fails or takes longer than `ms`. */
async function withTimeout<T>(p: Promise<T>, ms: number): Promise<T | null> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), ms);
  });
  try {
    return await Promise.race([p.catch(() => null), late]);
  } finally {
    clearTimeout(timer);
  }
}
