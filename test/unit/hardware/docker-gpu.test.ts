/** Docker's GPU requests, the hints of GET /info, and the engine's exact refusals turned into errors. */
import { describe, expect, it } from 'vitest';
import { CogdeskError } from '../../../src/shared/errors';
import { gpuSupportFromInfo } from '../../../src/main/core/hardware/docker-gpu';
import { TOOLKIT_INSTALL_URL, TOOLKIT_MISSING, classifyGpuStartError, gpuDeviceRequests } from '../../../src/main/core/hardware/gpu-request';

/** An error as dockerode gives it for the engine's 500 answer. */
const engineError = (message: string) =>
  Object.assign(new Error(`(HTTP code 500) server error - ${message} `), { statusCode: 500, reason: 'server error', json: { message } });

describe('gpuDeviceRequests', () => {
  it('all GPUs: Count -1 with the nvidia driver, as Cog sends', () => {
    expect(gpuDeviceRequests()).toEqual({ DeviceRequests: [{ Driver: 'nvidia', Count: -1, Capabilities: [['gpu']] }] });
  });

  it('chosen GPUs by uuid: DeviceIDs with Count 0 (both set is an error)', () => {
    expect(gpuDeviceRequests({ uuids: ['GPU-a', 'GPU-b', 'GPU-a'] })).toEqual({
      DeviceRequests: [{ Driver: 'nvidia', Count: 0, DeviceIDs: ['GPU-a', 'GPU-b'], Capabilities: [['gpu']] }],
    });
  });

  it('CDI where the engine offers CDI and no nvidia runtime', () => {
    expect(gpuDeviceRequests('all', 'cdi')).toEqual({ DeviceRequests: [{ Driver: 'cdi', DeviceIDs: ['nvidia.com/gpu=all'] }] });
    expect(gpuDeviceRequests({ uuids: ['GPU-a'] }, 'cdi')).toEqual({ DeviceRequests: [{ Driver: 'cdi', DeviceIDs: ['nvidia.com/gpu=GPU-a'] }] });
  });

  it('refuses an empty choice', () => {
    expect(() => gpuDeviceRequests({ uuids: [' '] })).toThrow(CogdeskError);
  });
});

describe('gpuSupportFromInfo', () => {
  // GET /info of the Debian docker.io 20.10 engine the tests run on (trimmed to what is read).
  const debian = {
    ServerVersion: '20.10.24+dfsg1',
    OperatingSystem: 'Debian GNU/Linux 12 (bookworm)',
    KernelVersion: '6.1.0-18-amd64',
    Runtimes: { 'io.containerd.runc.v2': { path: 'runc' }, 'io.containerd.runtime.v1.linux': { path: 'runc' }, runc: { path: 'runc' } },
    DefaultRuntime: 'runc',
  };

  it('no nvidia runtime, no CDI: the NVIDIA Container Toolkit is missing, with the fix', () => {
    const s = gpuSupportFromInfo(debian);
    expect(s).toMatchObject({ reachable: true, nvidiaRuntime: false, cdi: false, cdiSpecDirs: [], method: 'nvidia', gpus: 'no', missing: TOOLKIT_MISSING });
    expect(s.hint).toContain(TOOLKIT_INSTALL_URL);
    expect(s.hint).toContain('sudo nvidia-ctk runtime configure --runtime=docker');
    expect(s.runtimes).toEqual(['io.containerd.runc.v2', 'io.containerd.runtime.v1.linux', 'runc']);
  });

  it('the nvidia runtime: likely, asked for with the nvidia driver', () => {
    const s = gpuSupportFromInfo({ ...debian, Runtimes: { ...debian.Runtimes, nvidia: { path: 'nvidia-container-runtime' } } });
    expect(s).toMatchObject({ nvidiaRuntime: true, method: 'nvidia', gpus: 'likely', missing: null });
  });

  it('CDI on and no nvidia runtime: asked for with CDI', () => {
    const s = gpuSupportFromInfo({ ...debian, ServerVersion: '27.3.1', CDISpecDirs: ['/etc/cdi', '/var/run/cdi'] });
    expect(s).toMatchObject({ cdi: true, method: 'cdi', gpus: 'unknown', missing: null });
    expect(s.hint).toContain('nvidia-ctk cdi generate');
    expect(gpuSupportFromInfo({ ...debian, CDISpecDirs: [] }).cdi).toBe(false);
  });

  it('Docker Desktop: WSL 2 may pass GPUs; macOS cannot', () => {
    const wsl = gpuSupportFromInfo({ OperatingSystem: 'Docker Desktop', KernelVersion: '5.15.153.1-microsoft-standard-WSL2', Runtimes: { runc: {} } });
    expect(wsl).toMatchObject({ dockerDesktop: true, gpus: 'unknown', missing: null });
    const mac = gpuSupportFromInfo({ OperatingSystem: 'Docker Desktop', KernelVersion: '6.10.14-linuxkit', Runtimes: { runc: {} } });
    expect(mac).toMatchObject({ dockerDesktop: true, gpus: 'no' });
    expect(mac.missing).toContain('cannot pass NVIDIA GPUs');
  });

  it("Podman: DeviceRequests are ignored, so CDI", () => {
    const s = gpuSupportFromInfo({ Runtimes: { crun: {} } }, { Version: '5.2.2', Components: [{ Name: 'Podman Engine' }] });
    expect(s).toMatchObject({ podman: true, method: 'cdi', gpus: 'unknown' });
  });
});

describe('classifyGpuStartError', () => {
  it.each([
    // docker run --gpus all, on an engine without the toolkit (this test engine's own words)
    ['could not select device driver "" with capabilities: [[gpu]]', /NVIDIA Container Toolkit missing/, /nvidia-ctk runtime configure/],
    // what Cog (and Cogdesk) send: Driver "nvidia"
    ['could not select device driver "nvidia" with capabilities: [[gpu]]', /NVIDIA Container Toolkit missing/, /install-guide/],
    // Driver "cdi" on an engine without CDI (Docker 20.10's answer)
    ['could not select device driver "cdi" with capabilities: []', /cannot use CDI/, /nvidia-ctk cdi generate/],
    [
      "failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: error running hook #0: error running hook: exit status 1, stdout: , stderr: Auto-detected mode as 'legacy'\nnvidia-container-cli: initialization error: load library failed: libnvidia-ml.so.1: cannot open shared object file: no such file or directory: unknown",
      /installed but found no working NVIDIA driver/,
      /nvidia-smi/,
    ],
    [
      "failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: error running hook #0: error running hook: exit status 1, stdout: , stderr: Auto-detected mode as 'legacy'\nnvidia-container-cli: initialization error: nvml error: driver/library version mismatch: unknown",
      /old one is still loaded/,
      /Reboot/,
    ],
    [
      "failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: error running hook #0: error running hook: exit status 1, stdout: , stderr: Auto-detected mode as 'legacy'\nnvidia-container-cli: requirement error: unsatisfied condition: cuda>=12.1, please update your driver to a newer version, or use an earlier cuda container: unknown",
      /needs CUDA 12\.1 or newer/,
      /Update the NVIDIA driver/,
    ],
    [
      "failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: error running hook #0: error running hook: exit status 1, stdout: , stderr: Auto-detected mode as 'legacy'\nnvidia-container-cli: device error: GPU-5b3a1f0e-0000-0000-0000-000000000000: unknown device: unknown",
      /not on this machine/,
      /cogdesk hardware/,
    ],
    ['failed to inject CDI devices: unresolvable CDI devices nvidia.com/gpu=all', /no CDI spec/, /nvidia-ctk cdi generate/],
  ])('%s', (msg, message, hint) => {
    const e = classifyGpuStartError(engineError(msg));
    expect(e).toBeInstanceOf(CogdeskError);
    expect(e!.code).toBe('container_failed');
    expect(e!.message).toMatch(message);
    expect(e!.hint).toMatch(hint);
    expect(e!.details).toBe(msg);
  });

  it('on Docker Desktop, points at its WSL 2 engine instead of the Linux toolkit', () => {
    const e = classifyGpuStartError(engineError('could not select device driver "nvidia" with capabilities: [[gpu]]'), { dockerDesktop: true })!;
    expect(e.hint).toMatch(/WSL 2/);
  });

  it('leaves errors that are not about GPUs alone', () => {
    expect(classifyGpuStartError(engineError('No such image: nope:latest'))).toBeNull();
    expect(classifyGpuStartError(Object.assign(new Error('connect ENOENT /var/run/docker.sock'), { code: 'ENOENT' }))).toBeNull();
    expect(classifyGpuStartError(new CogdeskError({ code: 'internal', message: 'x' }))).toBeNull();
  });

  it('sees through a CogdeskError that kept the engine message in details', () => {
    const wrapped = new CogdeskError({ code: 'internal', message: 'Docker failed', details: 'could not select device driver "nvidia" with capabilities: [[gpu]]' });
    expect(classifyGpuStartError(wrapped)?.message).toMatch(/NVIDIA Container Toolkit missing/);
  });
});
