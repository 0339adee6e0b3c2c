/**
 * Docker and NVIDIA GPUs: what `GET /info` hints, the HostConfig pieces that ask for GPUs (the nvidia device
 * driver, or CDI), the engine's refusals turned into errors a person can act on, a probe container that
 * proves a GPU reaches containers, and a check inside a running container, so that nothing claims GPU
 * while it runs on the CPU.
 */
import type Docker from 'dockerode';
import { CogdeskError, type ErrorInfo } from '../../../shared/errors';
import type { ContainerGpuCheck, DockerGpuSupport, GpuProbeResult } from '../../../shared/hardware';
import { LABELS, demuxLogs } from '../docker/containers';
import { dockerErrorToCogdesk, rawMessage } from '../docker/docker-errors';
import { dockerTarget } from '../docker/connection';
import { parseGpuList } from './nvidia-smi';

export const TOOLKIT_INSTALL_URL = 'https://docs.nvidia.com/datacenter/cloud-native/container-toolkit/latest/install-guide.html';
export const TOOLKIT_MISSING = 'NVIDIA Container Toolkit missing';
/** The steps after installing the toolkit's package, as NVIDIA's guide gives them. */
export const TOOLKIT_FIX =
  `Install the NVIDIA Container Toolkit (${TOOLKIT_INSTALL_URL}), then run ` +
  '`sudo nvidia-ctk runtime configure --runtime=docker` and `sudo systemctl restart docker`.';
export const CDI_SPEC_FIX = 'Generate the CDI spec: `sudo nvidia-ctk cdi generate --output=/etc/cdi/nvidia.yaml` (NVIDIA Container Toolkit 1.14 or newer).';
const DOCKER_DESKTOP_FIX =
  "Use Docker Desktop's WSL 2 engine on Windows with NVIDIA's Windows driver installed (it passes GPUs to containers); Docker Desktop on macOS cannot use NVIDIA GPUs.";

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

/** Which GPUs a container gets: all of them, or the ones with these uuids (`GPU-...`, stable across boots). */
export type GpuSelection = 'all' | { uuids: string[] };

/**
 * The HostConfig pieces that ask for GPUs, to spread into `HostConfig`. 'nvidia' is what Cog sends
 * (`--gpus all` with Driver "nvidia"): Count -1 for all, or DeviceIDs with Count 0 (both set is an error).
 * 'cdi' is `--device nvidia.com/gpu=all` (or `=GPU-...`), for engines with CDI and no nvidia runtime.
 */
export function gpuDeviceRequests(selection: GpuSelection = 'all', method: 'nvidia' | 'cdi' = 'nvidia'): { DeviceRequests: Docker.DeviceRequest[] } {
  const uuids = selection === 'all' ? null : [...new Set(selection.uuids.map((u) => u.trim()).filter(Boolean))];
  if (uuids && uuids.length === 0) {
    throw new CogdeskError({ code: 'bad_request', message: 'No GPU was chosen', hint: 'Pick at least one GPU by its uuid (see `cogdesk hardware`), or use all.' });
  }
  if (method === 'cdi') {
    return { DeviceRequests: [{ Driver: 'cdi', DeviceIDs: uuids ? uuids.map((u) => `nvidia.com/gpu=${u}`) : ['nvidia.com/gpu=all'] }] };
  }
  return {
    DeviceRequests: [uuids ? { Driver: 'nvidia', Count: 0, DeviceIDs: uuids, Capabilities: [['gpu']] } : { Driver: 'nvidia', Count: -1, Capabilities: [['gpu']] }],
  };
}

export interface GpuErrorContext {
  dockerDesktop?: boolean;
  platform?: NodeJS.Platform;
}

/**
 * The engine's refusal to start a container with a GPU, as a CogdeskError that says what is missing and
 * how to get it; null when the error is not about GPUs (let dockerErrorToCogdesk take it).
 */
export function classifyGpuStartError(e: unknown, ctx: GpuErrorContext = {}): CogdeskError | null {
  if (e instanceof CogdeskError) return e.details ? classifyGpuStartError(new Error(e.details), ctx) : null;
  const msg = rawMessage(e);
  const make = (message: string, hint: string) => new CogdeskError({ code: 'container_failed', message, hint, details: msg }, { cause: e });
  const platform = ctx.platform ?? process.platform;

  const driver = /could not select device driver "([^"]*)" with capabilities/i.exec(msg);
  if (driver) {
    if (driver[1] === 'cdi') {
      return make(
        'This Docker engine cannot use CDI devices',
        `CDI needs Docker 25 or newer with CDI on (\`"features": {"cdi": true}\` in /etc/docker/daemon.json before Docker 28). ${CDI_SPEC_FIX} Or install the nvidia runtime: ${TOOLKIT_FIX}`,
      );
    }
    if (ctx.dockerDesktop || platform === 'darwin') {
      return make(`Docker cannot give containers a GPU: ${TOOLKIT_MISSING.replace('missing', 'not available')} in Docker Desktop`, DOCKER_DESKTOP_FIX);
    }
    return make(`Docker cannot give containers a GPU: ${TOOLKIT_MISSING}`, TOOLKIT_FIX);
  }
  if (/unresolvable CDI devices/i.test(msg)) {
    return make('Docker has no CDI spec for NVIDIA GPUs', CDI_SPEC_FIX);
  }
  if (/driver\/library version mismatch/i.test(msg)) {
    return make('The NVIDIA driver was updated but the old one is still loaded', 'Reboot to load the new driver, then try again.');
  }
  const cuda = /unsatisfied condition: cuda\s*>=\s*([\d.]+)/i.exec(msg);
  if (cuda) {
    return make(`This model needs CUDA ${cuda[1]} or newer, which the installed NVIDIA driver does not support`, 'Update the NVIDIA driver (https://www.nvidia.com/Download/index.aspx), reboot, and try again.');
  }
  if (/nvidia-container-cli: initialization error/i.test(msg) && /load library failed|libnvidia-ml|driver not loaded|nvml error/i.test(msg)) {
    return make(
      'The NVIDIA Container Toolkit is installed but found no working NVIDIA driver',
      'Install the NVIDIA driver and reboot; `nvidia-smi` on the host must work before containers can use the GPU.',
    );
  }
  if (/nvidia-container-cli: device error/i.test(msg) || (/unknown device/i.test(msg) && /nvidia/i.test(msg))) {
    return make('A GPU that was asked for is not on this machine', 'Check the GPUs and their uuids with `cogdesk hardware`, then pick one of those.');
  }
  if (/nvidia-container-cli|nvidia-container-runtime|nvidia-container-toolkit/i.test(msg)) {
    return make('The NVIDIA Container Toolkit could not give the container a GPU', `Check that \`nvidia-smi\` works on the host and reinstall the toolkit if needed: ${TOOLKIT_INSTALL_URL}`);
  }
  return null;
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
