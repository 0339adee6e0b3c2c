/**
 * Asking Docker for NVIDIA GPUs: the HostConfig pieces that request them (the nvidia device driver, or
 * CDI), and the engine's refusal to start such a container turned into an error a person can act on.
 * docker/containers.ts starts models with these; docker-gpu.ts probes and checks with them. Imports
 * nothing from either, so neither imports the other through here.
 */
import type Docker from 'dockerode';
import { CogdeskError } from '../../../shared/errors';
import { rawMessage } from '../docker/docker-errors';

export const TOOLKIT_INSTALL_URL = 'https://docs.nvidia.com/datacenter/cloud-native/container-toolkit/latest/install-guide.html';
export const TOOLKIT_MISSING = 'NVIDIA Container Toolkit missing';
/** The steps after installing the toolkit's package, as NVIDIA's guide gives them. */
export const TOOLKIT_FIX =
  `Install the NVIDIA Container Toolkit (${TOOLKIT_INSTALL_URL}), then run ` +
  '`sudo nvidia-ctk runtime configure --runtime=docker` and `sudo systemctl restart docker`.';
export const CDI_SPEC_FIX = 'Generate the CDI spec: `sudo nvidia-ctk cdi generate --output=/etc/cdi/nvidia.yaml` (NVIDIA Container Toolkit 1.14 or newer).';
export const DOCKER_DESKTOP_FIX =
  "Use Docker Desktop's WSL 2 engine on Windows with NVIDIA's Windows driver installed (it passes GPUs to containers); Docker Desktop on macOS cannot use NVIDIA GPUs.";

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
