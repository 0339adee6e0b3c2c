/**
 * Does a model fit this machine? A pure function over the hardware report and what the model needs
 * (a local version's `cog.yaml` `build.gpu`, or the hardware SKU a Replicate model runs on).
 */
import type { DockerGpuSupport, Fit, Gpu, HardwareReport, HardwareRequirement } from '../../../shared/hardware';
import { cudaMismatchSentence, imageCuda } from './cuda';
import { formatGB, memoryFits } from './match';
import { BUILTIN_SKUS, findSku, parseSku, type SkuTable } from './skus';

/**
 * From a version's `run.cog.config` (Version.cogConfig): `build.gpu: true` needs a GPU of any size, with the
 * CUDA version of `build.cuda` (else of `CUDA_VERSION` in the image's environment `env`, when given).
 */
export function requirementFromCogConfig(cogConfig: Record<string, unknown> | null | undefined, env?: readonly string[] | null): HardwareRequirement {
  if (!cogConfig || typeof cogConfig !== 'object') return { source: 'cog-config', sku: null, gpu: null, gpuCount: 0, gpuMemoryGB: null };
  const build = (cogConfig as { build?: unknown }).build;
  const gpu = build && typeof build === 'object' ? (build as { gpu?: unknown }).gpu : undefined;
  // cog.yaml without `gpu` means false (Cog's default).
  if (gpu !== true) return { source: 'cog-config', sku: null, gpu: false, gpuCount: 0, gpuMemoryGB: null };
  const cuda = imageCuda(cogConfig, env);
  return { source: 'cog-config', sku: null, gpu: true, gpuCount: 1, gpuMemoryGB: null, ...(cuda ? { cuda } : {}) };
}

/** From a Replicate hardware SKU (`gpu-a40-large`, `gpu-2x-l40s`, `cpu`); unknown `gpu-*` names are read as well as they can be. */
export function requirementFromSku(sku: string, table: SkuTable = BUILTIN_SKUS): HardwareRequirement {
  const known = findSku(sku, table);
  const s = known ?? (/^\s*(gpu|cpu)/i.test(sku) ? parseSku(sku) : null);
  if (!s) return { source: 'sku', sku, gpu: null, gpuCount: 0, gpuMemoryGB: null };
  if (!s.gpu) return { source: 'sku', sku: s.sku, gpu: false, gpuCount: 0, gpuMemoryGB: null };
  return { source: 'sku', sku: s.sku, gpu: true, gpuCount: s.gpuCount, gpuMemoryGB: s.gpuMemoryGB };
}

/**
 * Whether a model runs here: on GPU, needs a GPU this machine cannot give (none, too small, too few, or
 * Docker cannot hand it over), CPU only, or unknown. With `docker`, a GPU Docker is known not to pass to
 * containers does not count: nothing claims GPU while it would run on the CPU.
 */
export function checkFit(report: HardwareReport, req: HardwareRequirement, docker?: DockerGpuSupport | null): Fit {
  const base = { requiredGB: req.gpuMemoryGB, requiredCount: req.gpuCount };
  if (req.gpu === null) {
    const why = req.source === 'sku' ? `its hardware "${req.sku}" is not one Cogdesk knows` : 'its image has no cog.yaml label';
    return { kind: 'unknown', reason: null, ...base, sentence: `Cannot tell whether it needs a GPU: ${why}.` };
  }
  if (!req.gpu) {
    return { kind: 'cpu', reason: null, ...base, sentence: `CPU only: it runs here on the CPU${req.sku ? ` (Replicate runs it on ${req.sku})` : ''}.` };
  }

  const count = Math.max(1, req.gpuCount);
  const need = needs(req, count);
  const gpus = report.gpus;
  if (gpus.length === 0) {
    const why = report.reason ?? 'no NVIDIA GPU was found';
    return { kind: 'needs_gpu', reason: 'no_gpu', ...base, sentence: `Needs ${need}; this machine has none (${why}).` };
  }

  const eligible = req.gpuMemoryGB === null ? gpus : gpus.filter((g) => memoryFits(g.memoryTotalMiB, req.gpuMemoryGB!));
  if (eligible.length < count) {
    if (gpus.length >= count || eligible.length === 0) {
      const largest = [...gpus].sort((a, b) => (b.memoryTotalMiB ?? -1) - (a.memoryTotalMiB ?? -1))[0]!;
      const has = largest.memoryTotalMiB === null ? `the memory of ${largest.name} is unknown` : `the largest here is ${largest.name} with ${formatGB(largest.memoryTotalMiB)}`;
      return { kind: 'needs_gpu', reason: 'not_enough_memory', ...base, sentence: `Needs ${need}; ${has}.` };
    }
    return { kind: 'needs_gpu', reason: 'not_enough_gpus', ...base, sentence: `Needs ${need}; this machine has ${describeGpus(gpus)}.` };
  }

  const use = eligible.slice(0, req.gpuMemoryGB === null ? eligible.length : count);
  const on = describeGpus(use);
  const cuda = cudaMismatchSentence(req.cuda, report.driverCuda);
  if (cuda) return { kind: 'needs_gpu', reason: 'cuda_too_old', ...base, sentence: cuda };
  const dockerSays = docker ? dockerVerdict(docker) : null;
  if (dockerSays && !dockerSays.ok) {
    return {
      kind: 'needs_gpu',
      reason: 'docker_cannot_use_gpu',
      ...base,
      sentence: `Needs ${need}: this machine has ${on}, but Docker cannot give it to containers (${dockerSays.why}).`,
    };
  }
  return { kind: 'gpu', reason: null, ...base, sentence: `Runs here on GPU: ${on}.` };
}

function needs(req: HardwareRequirement, count: number): string {
  const of = req.sku ? ` (${req.sku})` : '';
  if (req.gpuMemoryGB === null) return `${count > 1 ? `${count} NVIDIA GPUs` : 'an NVIDIA GPU'}${of}`;
  if (count > 1) return `${count} GPUs with at least ${req.gpuMemoryGB} GB each${of}`;
  return `a GPU with at least ${req.gpuMemoryGB} GB${of}`;
}

function describeGpus(gpus: Gpu[]): string {
  const byName = new Map<string, Gpu[]>();
  for (const g of gpus) byName.set(g.name, [...(byName.get(g.name) ?? []), g]);
  return [...byName.entries()]
    .map(([name, list]) => {
      const mem = list[0]!.memoryTotalMiB;
      return `${list.length > 1 ? `${list.length} × ` : ''}${name}${mem !== null ? ` (${formatGB(mem)})` : ''}`;
    })
    .join(', ');
}

/** A probe is the proof; without one, only a known refusal ("no") counts against the GPU. */
function dockerVerdict(d: DockerGpuSupport): { ok: boolean; why: string } {
  if (d.probe) return { ok: d.probe.ok, why: d.probe.error?.message ?? d.missing ?? 'the test container saw no GPU' };
  if (!d.reachable) return { ok: false, why: d.error?.message ?? 'Docker is not running' };
  if (d.gpus === 'no') return { ok: false, why: d.missing ?? 'Docker has no GPU support' };
  return { ok: true, why: '' };
}
