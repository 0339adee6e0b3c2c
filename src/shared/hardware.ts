/**
 * Hardware, in Replicate's words: the local NVIDIA GPUs, the hardware SKU they match, whether a model fits
 * here, and whether Docker can hand GPUs to containers. Plain data only: these values cross IPC and `--json`.
 */
import type { ErrorInfo } from './errors';

/** One NVIDIA GPU as nvidia-smi reports it; fields nvidia-smi prints as `[N/A]` are null. */
export interface Gpu {
  /** nvidia-smi's index: it can change at each boot (use `uuid` to pick a GPU). */
  index: number;
  /** `GPU-...`, stable across boots. */
  uuid: string | null;
  /** As nvidia-smi prints it, e.g. `NVIDIA H100 80GB HBM3`, `Tesla T4`. */
  name: string;
  memoryTotalMiB: number | null;
  memoryUsedMiB: number | null;
  driverVersion: string | null;
  /** e.g. `9.0`; null where the driver cannot say (older than about 510) or it was not asked. */
  computeCapability: string | null;
  /** e.g. `00000000:18:00.0`. */
  pciBusId: string | null;
}

/** What came of asking nvidia-smi. */
export type NvidiaSmiStatus =
  | 'ok'
  /** No nvidia-smi on this machine (no NVIDIA driver installed). */
  | 'not_found'
  /** nvidia-smi is there but cannot talk to the driver. */
  | 'no_driver'
  /** The driver works but sees no GPU. */
  | 'no_devices'
  /** The driver was updated and the old one is still loaded. */
  | 'driver_mismatch'
  /** nvidia-smi did not answer in time (and was killed). */
  | 'timeout'
  /** Anything else: it could not be run, or it failed or printed what we do not understand. */
  | 'failed'
  /** A platform with no NVIDIA driver at all (macOS). */
  | 'unsupported_platform';

export interface NvidiaSmiReport {
  status: NvidiaSmiStatus;
  /** The binary that was run (or would have been), null when none was found. */
  path: string | null;
  /** Why there are no GPUs, for a person; null when status is 'ok'. */
  message: string | null;
  /** What to do about it. */
  hint: string | null;
  /** What nvidia-smi printed, when it failed. */
  details: string | null;
  /** Why compute capabilities are missing (the separate `compute_cap` query failed), else null. */
  computeCapNote: string | null;
}

/** A graphics adapter systeminformation found that nvidia-smi does not report (other vendors). */
export interface OtherGpu {
  vendor: string;
  model: string;
  vramMiB: number | null;
  bus: string | null;
}

export interface HardwareReport {
  /** `process.platform` of the machine the engine runs on. */
  platform: string;
  /** Linux under WSL 2. */
  wsl: boolean;
  cpu: { brand: string; cores: number; physicalCores: number } | null;
  memoryBytes: number | null;
  /** The NVIDIA GPUs, in nvidia-smi's order. */
  gpus: Gpu[];
  nvidiaSmi: NvidiaSmiReport;
  /** Other adapters (Intel, AMD, Apple, or NVIDIA cards nvidia-smi could not report); Cogdesk cannot run models on them. */
  otherGpus: OtherGpu[];
  /** True when there is no NVIDIA GPU to run models on: they run on the CPU. */
  cpuOnly: boolean;
  /** Why this machine is CPU-only, null when it has GPUs. */
  reason: string | null;
  hint: string | null;
  detectedAt: string;
  /** The highest CUDA version the driver supports; null or absent when there is no GPU or it cannot be told. */
  driverCuda?: DriverCuda | null;
}

/** The highest CUDA version an NVIDIA driver supports, and where that was read. */
export interface DriverCuda {
  /** `major.minor`, e.g. `12.2`. */
  version: string;
  /** The driver version, e.g. `535.104.05`. */
  driver: string | null;
  /** nvidia-smi: the "CUDA Version" of its header; driver-table: NVIDIA's minimum-driver table for the driver version. */
  source: 'nvidia-smi' | 'driver-table';
}

/** One of Replicate's hardware SKUs (`GET /v1/hardware` gives `[{name, sku}]`; the rest is from the pricing pages). */
export interface HardwareSku {
  /** The SKU as Replicate's API spells it, e.g. `gpu-l40s-2x`. */
  sku: string;
  /** Replicate's display name, e.g. `Nvidia L40S GPU`. */
  name: string;
  /** The GPU family (`T4`, `A40`, `L40S`, `A100 80GB`, `H100`, ...); null for CPU SKUs. */
  gpu: string | null;
  gpuCount: number;
  /** Memory of each GPU, in GB as Replicate states it; null when not known. */
  gpuMemoryGB: number | null;
  cpus: number | null;
  ramGB: number | null;
  /** Other spellings of the same SKU (`gpu-2x-l40s` for `gpu-l40s-2x`). */
  aliases: string[];
  /** 'builtin' from the table in the code; 'api' once `GET /v1/hardware` listed it. */
  source: 'builtin' | 'api';
}

/** Local GPUs of one kind. */
export interface GpuGroup {
  name: string;
  /** The family Replicate's SKUs use (`A100 80GB`, `L40S`, ...); null for GPUs with no Replicate twin. */
  family: string | null;
  count: number;
  /** Memory of each GPU (the smallest of the group), null when nvidia-smi could not say. */
  memoryMiB: number | null;
  laptop: boolean;
  indices: number[];
}

export interface SkuMatch {
  /**
   * exact: the GPUs are exactly a Replicate SKU's; nearest: no SKU has these GPUs, `nearest` is the closest
   * by GPU memory; mixed: GPUs of different kinds; cpu: no NVIDIA GPU; none: no SKU to compare with.
   */
  kind: 'exact' | 'nearest' | 'mixed' | 'cpu' | 'none';
  /** The matching SKU (kind 'exact', or 'cpu'); null otherwise. */
  sku: string | null;
  /** Other SKUs with the same GPUs (e.g. `gpu-a40-small` next to `gpu-a40-large`). */
  alternatives: string[];
  /** The closest SKU when there is no exact match (by GPU memory); null when there is an exact one. */
  nearest: string | null;
  groups: GpuGroup[];
  sentence: string;
}

/** What a model needs: from a local version's `cog.yaml` (`build.gpu`) or a Replicate hardware SKU. */
export interface HardwareRequirement {
  source: 'cog-config' | 'sku';
  /** The SKU, when the requirement came from one. */
  sku: string | null;
  /** Whether it needs a GPU; null when that cannot be told (no cog.yaml label, an unknown SKU). */
  gpu: boolean | null;
  gpuCount: number;
  /** Memory each GPU needs, in GB; null when not known (a local version only says "gpu: true"). */
  gpuMemoryGB: number | null;
  /** The CUDA version the image was built for (`major.minor`: `build.cuda`, or the base image's CUDA_VERSION); absent when unknown. */
  cuda?: string;
}

export type FitKind = 'gpu' | 'needs_gpu' | 'cpu' | 'unknown';

export interface Fit {
  /** gpu: runs here on GPU; needs_gpu: needs a GPU this machine cannot give; cpu: CPU only; unknown: cannot tell. */
  kind: FitKind;
  /** cuda_too_old: the image needs a newer CUDA than the driver supports (update the driver). */
  reason: 'no_gpu' | 'not_enough_memory' | 'not_enough_gpus' | 'docker_cannot_use_gpu' | 'cuda_too_old' | null;
  requiredGB: number | null;
  requiredCount: number;
  sentence: string;
}

/** What proved (or disproved) that a container sees a GPU. */
export interface ContainerGpuCheck {
  gpu: boolean;
  /** nvidia-smi: `nvidia-smi -L` listed GPUs; dev-nvidia: /dev/nvidia<N> exists; none: neither. */
  via: 'nvidia-smi' | 'dev-nvidia' | 'none';
  /** `nvidia-smi -L` lines (`GPU 0: NVIDIA H100 80GB HBM3 (UUID: GPU-...)`) or device paths. */
  devices: string[];
  /** What the check printed, for a person when it is not what was expected. */
  details: string;
}

export interface GpuProbeResult {
  ok: boolean;
  image: string;
  method: 'nvidia' | 'cdi';
  check: ContainerGpuCheck | null;
  /** Why the container could not get a GPU (the engine's refusal, classified), or why the probe could not run. */
  error: ErrorInfo | null;
  /** False when the probe failed for a reason that says nothing about GPUs (the image is not here, Docker stopped). */
  conclusive: boolean;
}

export interface DockerGpuSupport {
  /** Whether the engine answered `GET /info`. */
  reachable: boolean;
  /** Why it could not be asked (Docker not running), else null. */
  error: ErrorInfo | null;
  serverVersion: string | null;
  runtimes: string[];
  nvidiaRuntime: boolean;
  cdiSpecDirs: string[];
  cdi: boolean;
  dockerDesktop: boolean;
  podman: boolean;
  /** How Cogdesk asks for GPUs on this engine: the nvidia device driver, or CDI. */
  method: 'nvidia' | 'cdi';
  /**
   * Whether GPUs reach containers: 'yes' (a probe container saw one), 'likely' (the nvidia runtime is
   * configured), 'unknown' (only a probe can tell: CDI, Docker Desktop, Podman), 'no' (a probe saw none, or
   * nothing on this engine can pass a GPU).
   */
  gpus: 'yes' | 'likely' | 'unknown' | 'no';
  /** What is missing, e.g. "NVIDIA Container Toolkit missing"; null when nothing is known to be. */
  missing: string | null;
  hint: string | null;
  /** The proof, when a probe was asked for. */
  probe: GpuProbeResult | null;
}

/** Everything `cogdesk hardware` shows. */
export interface HardwareOverview {
  hardware: HardwareReport;
  match: SkuMatch;
  docker: DockerGpuSupport;
  /** What stands between this machine and running models on its GPUs. */
  missing: Array<{ what: string; message: string; hint: string | null }>;
}

/** A GPU (or a MIG instance) as it is now: memory, load, heat, and what Cogdesk's warm models hold on it. */
export interface GpuLive {
  index: number;
  /** `GPU-...`, or `MIG-...` for a MIG instance. */
  uuid: string;
  name: string;
  memoryTotalMiB: number | null;
  memoryUsedMiB: number | null;
  memoryFreeMiB: number | null;
  /** Percent; null where nvidia-smi cannot say (MIG instances, some drivers). */
  utilization: number | null;
  /** Degrees Celsius; null where nvidia-smi cannot say. */
  temperatureC: number | null;
  /** For a MIG instance: the index of the GPU it is part of. */
  migParent?: number;
  /** The warm models on this GPU and the memory each holds (MiB; measured from nvidia-smi's processes). */
  models: Array<{ versionId: string; modelId: string | null; containerId: string; memoryMiB: number; busy: boolean }>;
}

/** The live GPU use: what the Hardware page and `cogdesk ps` show. */
export interface GpuUsage {
  gpus: GpuLive[];
  /** Why there is nothing to show (no nvidia-smi, no GPU), else null. */
  message: string | null;
  at: string;
}
