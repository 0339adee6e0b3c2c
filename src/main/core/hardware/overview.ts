/**
 * Everything about this machine's GPUs in one value: the report, the SKU they match, Docker's GPU support,
 * and what is missing to run models on them. What `cogdesk hardware` prints and the window will show.
 */
import type Docker from 'dockerode';
import type { DockerGpuSupport, HardwareOverview, HardwareReport, NvidiaSmiStatus } from '../../../shared/hardware';
import { detectHardware, type DetectOptions } from './detect';
import { dockerGpuSupport, unknownGpuSupport } from './docker-gpu';
import { matchSku } from './match';
import { BUILTIN_SKUS, type SkuTable } from './skus';

export interface OverviewOptions extends DetectOptions {
  /** The engine to ask about GPU support; null or absent gives a "not checked" Docker part. */
  docker?: Docker | null;
  /** A local image to prove GPU support with (a probe container); without it, only /info's hints. */
  probeImage?: string;
  skus?: SkuTable;
}

const WHAT: Record<NvidiaSmiStatus, string> = {
  ok: 'NVIDIA GPU',
  not_found: 'NVIDIA driver',
  no_driver: 'NVIDIA driver',
  driver_mismatch: 'NVIDIA driver',
  no_devices: 'NVIDIA GPU',
  timeout: 'nvidia-smi',
  failed: 'nvidia-smi',
  unsupported_platform: 'NVIDIA GPU',
};

export async function hardwareOverview(o: OverviewOptions = {}): Promise<HardwareOverview> {
  const [hardware, docker] = await Promise.all([
    detectHardware(o),
    o.docker ? dockerGpuSupport(o.docker, { probeImage: o.probeImage }) : Promise.resolve(unknownGpuSupport()),
  ]);
  const match = matchSku(hardware.gpus, o.skus ?? BUILTIN_SKUS, { cpus: hardware.cpu?.cores, memoryBytes: hardware.memoryBytes });
  return { hardware, match, docker, missing: missingParts(hardware, docker) };
}

/** What stands between this machine and running models on its GPUs, most basic first. */
export function missingParts(hardware: HardwareReport, docker: DockerGpuSupport): HardwareOverview['missing'] {
  const missing: HardwareOverview['missing'] = [];
  if (hardware.cpuOnly) {
    missing.push({ what: WHAT[hardware.nvidiaSmi.status], message: hardware.reason ?? 'No NVIDIA GPU was found', hint: hardware.hint });
  }
  if (!docker.reachable && docker.error) {
    missing.push({ what: 'Docker', message: docker.error.message, hint: docker.error.hint ?? null });
  } else if (docker.gpus === 'no' && docker.missing) {
    missing.push({ what: 'Docker GPU support', message: docker.missing, hint: docker.hint });
  }
  return missing;
}

