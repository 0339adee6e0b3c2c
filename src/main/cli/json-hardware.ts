/**
 * What `cogdesk hardware --json` prints: the hardware overview in snake_case, field by field (explicit, typed
 * mappings, so a renamed domain field fails the type check rather than the scripts), timestamps in the one
 * format of every `--json` (json-time.ts). Replicate's only hardware shape is /v1/hardware's `{name, sku}`:
 * the matching SKU is `match.sku`, spelled as Replicate's API spells it.
 */
import type { ErrorInfo, FieldError } from '../../shared/errors';
import type {
  ContainerGpuCheck,
  DockerGpuSupport,
  DriverCuda,
  Gpu,
  GpuGroup,
  GpuProbeResult,
  HardwareOverview,
  HardwareReport,
  NvidiaSmiReport,
  OtherGpu,
  SkuMatch,
} from '../../shared/hardware';
import { iso } from './json-time';

export interface CliError {
  code: ErrorInfo['code'];
  message: string;
  hint?: string;
  fields?: Array<{ field: string; code: FieldError['code']; message: string }>;
  details?: string;
}

/** An error as every `--json` of the CLI writes one (the fields ErrorInfo has, absent ones left out). */
export function cliError(e: ErrorInfo): CliError {
  return {
    code: e.code,
    message: e.message,
    ...(e.hint !== undefined ? { hint: e.hint } : {}),
    ...(e.fields ? { fields: e.fields.map((f) => ({ field: f.field, code: f.code, message: f.message })) } : {}),
    ...(e.details !== undefined ? { details: e.details } : {}),
  };
}

const gpu = (g: Gpu) => ({
  index: g.index,
  uuid: g.uuid,
  name: g.name,
  memory_total_mib: g.memoryTotalMiB,
  memory_used_mib: g.memoryUsedMiB,
  driver_version: g.driverVersion,
  compute_capability: g.computeCapability,
  pci_bus_id: g.pciBusId,
});

const nvidiaSmi = (n: NvidiaSmiReport) => ({
  status: n.status,
  path: n.path,
  message: n.message,
  hint: n.hint,
  details: n.details,
  compute_cap_note: n.computeCapNote,
});

const otherGpu = (o: OtherGpu) => ({ vendor: o.vendor, model: o.model, vram_mib: o.vramMiB, bus: o.bus });

const driverCuda = (d: DriverCuda) => ({ version: d.version, driver: d.driver, source: d.source });

const report = (h: HardwareReport) => ({
  platform: h.platform,
  wsl: h.wsl,
  cpu: h.cpu ? { brand: h.cpu.brand, cores: h.cpu.cores, physical_cores: h.cpu.physicalCores } : null,
  memory_bytes: h.memoryBytes,
  gpus: h.gpus.map(gpu),
  nvidia_smi: nvidiaSmi(h.nvidiaSmi),
  other_gpus: h.otherGpus.map(otherGpu),
  cpu_only: h.cpuOnly,
  reason: h.reason,
  hint: h.hint,
  detected_at: iso(h.detectedAt),
  driver_cuda: h.driverCuda ? driverCuda(h.driverCuda) : null,
});

const group = (g: GpuGroup) => ({ name: g.name, family: g.family, count: g.count, memory_mib: g.memoryMiB, laptop: g.laptop, indices: g.indices });

const match = (m: SkuMatch) => ({
  kind: m.kind,
  sku: m.sku,
  alternatives: m.alternatives,
  nearest: m.nearest,
  groups: m.groups.map(group),
  sentence: m.sentence,
});

const check = (c: ContainerGpuCheck) => ({ gpu: c.gpu, via: c.via, devices: c.devices, details: c.details });

const probe = (p: GpuProbeResult) => ({
  ok: p.ok,
  image: p.image,
  method: p.method,
  check: p.check ? check(p.check) : null,
  error: p.error ? cliError(p.error) : null,
  conclusive: p.conclusive,
});

const docker = (d: DockerGpuSupport) => ({
  reachable: d.reachable,
  error: d.error ? cliError(d.error) : null,
  server_version: d.serverVersion,
  runtimes: d.runtimes,
  nvidia_runtime: d.nvidiaRuntime,
  cdi_spec_dirs: d.cdiSpecDirs,
  cdi: d.cdi,
  docker_desktop: d.dockerDesktop,
  podman: d.podman,
  method: d.method,
  gpus: d.gpus,
  missing: d.missing,
  hint: d.hint,
  probe: d.probe ? probe(d.probe) : null,
});

export function cliHardware(v: HardwareOverview) {
  return {
    hardware: report(v.hardware),
    match: match(v.match),
    docker: docker(v.docker),
    missing: v.missing.map((m) => ({ what: m.what, message: m.message, hint: m.hint })),
  };
}

export type CliHardware = ReturnType<typeof cliHardware>;
