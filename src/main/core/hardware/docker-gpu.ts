/**
 * Docker and NVIDIA GPUs: what `GET /info` hints, a probe container that proves a GPU reaches containers,
 * and a check inside a running container, so that nothing claims GPU while it runs on the CPU. The
 * HostConfig pieces that ask for GPUs and the engine's refusals as errors are in gpu-request.ts (re-exported
 * here).
 */
import type Docker from 'dockerode';
import { CogdeskError, type ErrorInfo } from '../../../shared/errors';
import type { ContainerGpuCheck, DockerGpuSupport, GpuProbeResult } from '../../../shared/hardware';
import { LABELS, demuxLogs } from '../docker/containers';
import { dockerErrorToCogdesk } from '../docker/docker-errors';
import { dockerTarget } from '../docker/connection';
import {
  CDI_SPEC_FIX,
  classifyGpuStartError,
  DOCKER_DESKTOP_FIX,
  gpuDeviceRequests,
  TOOLKIT_FIX,
  TOOLKIT_INSTALL_URL,
  TOOLKIT_MISSING,
  type GpuErrorContext,
  type GpuSelection,
} from './gpu-request';
import { parseGpuList } from './nvidia-smi';

/** The parts of `GET /info` (and `GET /version`) that say something about GPUs. */
export interface EngineInfo {
  ServerVersion?: string;
  OperatingSystem?: string;
  KernelVersion?: string;
  Runtimes?: Record<string, unknown> | null;
  DefaultRuntime?: string;
  CDISpecDirs?: string[] | null;
}
export interface EngineVersion {
  Version?: string;
  Components?: Array<{ Name?: string }> | null;
}

/** What the engine's info hints about GPUs. Hints only: the proof is a container that sees one (probeDockerGpu). */
export function gpuSupportFromInfo(info: EngineInfo, version?: EngineVersion | null): DockerGpuSupport {
  const runtimes = Object.keys(info.Runtimes ?? {});
  const nvidiaRuntime = runtimes.some((r) => r === 'nvidia' || r.startsWith('nvidia'));
  const cdiSpecDirs = Array.isArray(info.CDISpecDirs) ? info.CDISpecDirs.filter((d) => typeof d === 'string') : [];
  const cdi = cdiSpecDirs.length > 0;
  const dockerDesktop = /docker desktop/i.test(info.OperatingSystem ?? '');
  const podman = (version?.Components ?? []).some((c) => /podman/i.test(c.Name ?? '')) || /podman/i.test(info.OperatingSystem ?? '');
  const wsl = /microsoft|wsl/i.test(info.KernelVersion ?? '');
  const base = {
    reachable: true,
    error: null,
    serverVersion: info.ServerVersion ?? version?.Version ?? null,
    runtimes,
    nvidiaRuntime,
    cdiSpecDirs,
    cdi,
    dockerDesktop,
    podman,
    probe: null,
  };
  if (podman) {
    // Podman's Docker-compatible API ignores DeviceRequests of the nvidia driver: there a GPU needs CDI.
    return { ...base, method: 'cdi', gpus: 'unknown', missing: null, hint: `Podman passes GPUs through CDI only. ${CDI_SPEC_FIX}` };
  }
  if (nvidiaRuntime) return { ...base, method: 'nvidia', gpus: 'likely', missing: null, hint: null };
  if (cdi) {
    return { ...base, method: 'cdi', gpus: 'unknown', missing: null, hint: `Docker has CDI on but no nvidia runtime; GPUs work once a CDI spec for them exists. ${CDI_SPEC_FIX}` };
  }
  if (dockerDesktop && wsl) {
    return { ...base, method: 'nvidia', gpus: 'unknown', missing: null, hint: 'Docker Desktop passes NVIDIA GPUs through WSL 2 when the Windows NVIDIA driver is installed; probe to be sure.' };
  }
  if (dockerDesktop) {
    return { ...base, method: 'nvidia', gpus: 'no', missing: 'Docker Desktop on this system cannot pass NVIDIA GPUs to containers', hint: DOCKER_DESKTOP_FIX };
  }
  return { ...base, method: 'nvidia', gpus: 'no', missing: TOOLKIT_MISSING, hint: TOOLKIT_FIX };
}

// ---- inside a container ----

interface ExecResult {
  exitCode: number | null;
  output: string;
  timedOut: boolean;
}

async function execIn(docker: Docker, containerId: string, cmd: string[], timeoutMs: number): Promise<ExecResult> {
  const exec = await docker.getContainer(containerId).exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true, Tty: false });
  const stream = await exec.start({ hijack: true, stdin: false });
  const chunks: Buffer[] = [];
  const finished = await new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => {
      stream.destroy();
      resolve(false);
    }, timeoutMs);
    stream.on('data', (c: Buffer) => chunks.push(Buffer.from(c)));
    const done = () => {
      clearTimeout(timer);
      resolve(true);
    };
    stream.on('end', done);
    stream.on('close', done);
    stream.on('error', done);
  });
  const output = demuxLogs(Buffer.concat(chunks));
  if (!finished) return { exitCode: null, output, timedOut: true };
  // The output can end a moment before the engine records the exit code.
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const info = await exec.inspect();
    if (!info.Running || Date.now() > deadline) return { exitCode: info.Running ? null : info.ExitCode, output, timedOut: info.Running };
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * Whether a running container sees an NVIDIA GPU: `nvidia-smi -L` lists one, or else a /dev/nvidia<N>
 * device exists. Use it after starting a GPU model: a container that sees none runs on the CPU.
 */
export async function checkContainerGpu(docker: Docker, containerId: string, o: { timeoutMs?: number } = {}): Promise<ContainerGpuCheck> {
  const timeoutMs = o.timeoutMs ?? 15_000;
  try {
    const smi = await execIn(docker, containerId, ['nvidia-smi', '-L'], timeoutMs);
    const listed = smi.exitCode === 0 ? parseGpuList(smi.output) : [];
    if (listed.length > 0) return { gpu: true, via: 'nvidia-smi', devices: listed.map((g) => g.line), details: smi.output.trim() };

    const dev = await execIn(docker, containerId, ['sh', '-c', 'for d in /dev/nvidia[0-9]*; do [ -e "$d" ] && echo "$d"; done; true'], timeoutMs);
    const devices = dev.output.split(/\r?\n/).map((l) => l.trim()).filter((l) => /^\/dev\/nvidia\d+$/.test(l));
    if (devices.length > 0) return { gpu: true, via: 'dev-nvidia', devices, details: smi.output.trim() };

    const said = smi.timedOut ? `nvidia-smi -L did not answer within ${timeoutMs} ms` : smi.output.trim() || `nvidia-smi -L exited with ${smi.exitCode}`;
    return { gpu: false, via: 'none', devices: [], details: `${said}; no /dev/nvidia<N> device in the container` };
  } catch (e) {
    throw dockerErrorToCogdesk(e, { action: 'checking the container for a GPU', target: dockerTarget(docker) });
  }
}

export interface ProbeOptions {
  /** How to ask for GPUs (default: 'nvidia', as Cog does). */
  method?: 'nvidia' | 'cdi';
  selection?: GpuSelection;
  timeoutMs?: number;
  /** Engine facts that shape the error message. */
  context?: GpuErrorContext;
}

/**
 * Proves whether a GPU reaches containers: starts a container from a local image (any Cog image: it needs a
 * shell and `sleep`) with a GPU request, runs checkContainerGpu in it, and removes it. The engine's refusal
 * comes back classified in `error`; the probe never throws.
 */
export async function probeDockerGpu(docker: Docker, image: string, o: ProbeOptions = {}): Promise<GpuProbeResult> {
  const method = o.method ?? 'nvidia';
  let hostConfig: Docker.HostConfig;
  try {
    hostConfig = gpuDeviceRequests(o.selection ?? 'all', method);
  } catch (e) {
    return { ok: false, image, method, check: null, error: toInfo(e), conclusive: false };
  }
  return runCheckContainer(docker, image, { hostConfig, method, timeoutMs: o.timeoutMs, context: o.context });
}

export interface CheckContainerOptions {
  hostConfig: Docker.HostConfig;
  method: 'nvidia' | 'cdi';
  env?: string[];
  timeoutMs?: number;
  context?: GpuErrorContext;
}

/**
 * The probe's container: started from `image` with `hostConfig` (the GPU request, plus whatever a special
 * set-up needs), checked with checkContainerGpu, always removed. Exported for tests.
 */
export async function runCheckContainer(docker: Docker, image: string, o: CheckContainerOptions): Promise<GpuProbeResult> {
  const result = (r: Partial<GpuProbeResult>): GpuProbeResult => ({ ok: false, image, method: o.method, check: null, error: null, conclusive: false, ...r });
  let container: Docker.Container | null = null;
  try {
    container = await docker.createContainer({
      Image: image,
      Entrypoint: ['/bin/sh', '-c'],
      Cmd: ['sleep 600'],
      Env: o.env,
      Labels: { [LABELS.managed]: 'true', [LABELS.pid]: String(process.pid), 'cogdesk.probe': 'gpu' },
      NetworkDisabled: true,
      HostConfig: { ...o.hostConfig, Privileged: false, AutoRemove: false },
    });
    try {
      await container.start();
    } catch (e) {
      const gpu = classifyGpuStartError(e, o.context);
      if (gpu) return result({ error: gpu.toInfo(), conclusive: true });
      return result({ error: dockerErrorToCogdesk(e, { action: 'starting the GPU probe container', ref: image, target: dockerTarget(docker) }).toInfo() });
    }
    const check = await checkContainerGpu(docker, container.id, { timeoutMs: o.timeoutMs });
    if (check.gpu) return result({ ok: true, check, conclusive: true });
    return result({
      check,
      conclusive: true,
      error: {
        code: 'container_failed',
        message: 'Docker started the container, but it sees no GPU',
        hint: `Check the NVIDIA Container Toolkit's set-up: ${TOOLKIT_INSTALL_URL}`,
        details: check.details,
      },
    });
  } catch (e) {
    return result({ error: dockerErrorToCogdesk(e, { action: 'running the GPU probe container', ref: image, target: dockerTarget(docker) }).toInfo() });
  } finally {
    if (container) await container.remove({ force: true }).catch(() => undefined);
  }
}

function toInfo(e: unknown): ErrorInfo {
  return e instanceof CogdeskError ? e.toInfo() : { code: 'internal', message: e instanceof Error ? e.message : String(e) };
}

// ---- the engine as a whole ----

/** Docker's GPU support when the engine was not asked (or did not answer): nothing known. */
export function unknownGpuSupport(): DockerGpuSupport {
  return {
    reachable: false,
    error: null,
    serverVersion: null,
    runtimes: [],
    nvidiaRuntime: false,
    cdiSpecDirs: [],
    cdi: false,
    dockerDesktop: false,
    podman: false,
    method: 'nvidia',
    gpus: 'unknown',
    missing: null,
    hint: null,
    probe: null,
  };
}

export interface SupportOptions {
  /** A local image to prove GPU support with (probeDockerGpu); without it, only the hints of /info. */
  probeImage?: string;
  timeoutMs?: number;
}

/** Docker's GPU support: the hints of `GET /info`, and the proof of a probe container when asked. Never throws. */
export async function dockerGpuSupport(docker: Docker, o: SupportOptions = {}): Promise<DockerGpuSupport> {
  const signal = AbortSignal.timeout(o.timeoutMs ?? 5_000);
  let info: EngineInfo;
  let version: EngineVersion | null;
  try {
    // dockerode takes an abortSignal here; its types do not say so.
    const d = docker as unknown as Record<'info' | 'version', (opts: { abortSignal: AbortSignal }) => Promise<unknown>>;
    info = (await d.info({ abortSignal: signal })) as EngineInfo;
    version = (await d.version({ abortSignal: signal }).catch(() => null)) as EngineVersion | null;
  } catch (e) {
    const err = dockerErrorToCogdesk(e, { action: 'asking Docker about GPU support', target: dockerTarget(docker) });
    return { ...unknownGpuSupport(), error: err.toInfo(), missing: err.message, hint: err.hint ?? null };
  }
  const support = gpuSupportFromInfo(info, version);
  if (!o.probeImage) return support;
  const probe = await probeDockerGpu(docker, o.probeImage, { method: support.method, context: { dockerDesktop: support.dockerDesktop } });
  support.probe = probe;
  if (probe.ok) return { ...support, gpus: 'yes', missing: null, hint: null };
  if (probe.conclusive) return { ...support, gpus: 'no', missing: probe.error?.message ?? support.missing, hint: probe.error?.hint ?? support.hint };
  return support;
}
