/**
 * Docker's GPU support on the real test engine (Debian docker.io 20.10, no NVIDIA Container Toolkit):
 * GET /info's hints, a real container start with a GPU request that the engine refuses, the probe, and the
 * in-container check (the GPU faked only by a /dev/nvidia0 node or the nvidia-smi stand-in mounted in).
 */
import type Docker from 'dockerode';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CogdeskError } from '../../../src/shared/errors';
import { LABELS } from '../../../src/main/core/docker/containers';
import {
  checkContainerGpu,
  dockerGpuSupport,
  probeDockerGpu,
  runCheckContainer,
} from '../../../src/main/core/hardware/docker-gpu';
import { TOOLKIT_INSTALL_URL, TOOLKIT_MISSING, classifyGpuStartError, gpuDeviceRequests } from '../../../src/main/core/hardware/gpu-request';
import { docker } from '../../helpers/core';
import { fixtureImage } from '../../helpers/fixtures';

const STANDINS = resolve(dirname(fileURLToPath(import.meta.url)), '../../fixtures/nvidia-smi');
const ECHO = fixtureImage('echo');
const IMAGE_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
const testLabels = { [LABELS.managed]: 'true', [LABELS.pid]: String(process.pid), 'cogdesk.test': 'hardware' };

const started: Docker.Container[] = [];
async function startEcho(options: Partial<Docker.ContainerCreateOptions> = {}): Promise<Docker.Container> {
  const c = await docker.createContainer({ Image: ECHO, Labels: testLabels, ...options });
  started.push(c);
  await c.start();
  return c;
}
const probeContainers = () => docker.listContainers({ all: true, filters: { label: ['cogdesk.probe=gpu', `${LABELS.pid}=${process.pid}`] } });

beforeAll(async () => {
  await docker.getImage(ECHO).inspect().catch(async () => {
    await new Promise<void>((res, rej) => docker.pull(ECHO, (e: unknown, s: NodeJS.ReadableStream) => (e ? rej(e) : docker.modem.followProgress(s, (err) => (err ? rej(err) : res())))));
  });
});

afterEach(async () => {
  for (const c of started.splice(0)) await c.remove({ force: true }).catch(() => undefined);
});

describe('GET /info of this engine', () => {
  it('has no nvidia runtime: "NVIDIA Container Toolkit missing", with the fix', async () => {
    const info = (await docker.info()) as { Runtimes?: Record<string, unknown> };
    expect(Object.keys(info.Runtimes ?? {})).not.toContain('nvidia');

    const s = await dockerGpuSupport(docker);
    expect(s).toMatchObject({ reachable: true, error: null, nvidiaRuntime: false, cdi: false, method: 'nvidia', gpus: 'no', missing: TOOLKIT_MISSING, probe: null });
    expect(s.serverVersion).toMatch(/^20\.10\./);
    expect(s.runtimes).toContain('runc');
    expect(s.hint).toContain(TOOLKIT_INSTALL_URL);
    expect(s.hint).toContain('sudo nvidia-ctk runtime configure --runtime=docker');
  });

  it('an engine that is not there is reported, not thrown', async () => {
    const { default: Dockerode } = await import('dockerode');
    const s = await dockerGpuSupport(new Dockerode({ socketPath: '/nonexistent/docker.sock' }));
    expect(s.reachable).toBe(false);
    expect(s.error?.code).toBe('docker_unavailable');
    expect(s.missing).toMatch(/Docker is not running/);
  });
});

describe('a real container start with a GPU request', () => {
  async function startRefused(hostConfig: Docker.HostConfig): Promise<unknown> {
    const c = await docker.createContainer({ Image: ECHO, Labels: testLabels, HostConfig: hostConfig });
    started.push(c);
    try {
      await c.start();
    } catch (e) {
      return e;
    }
    throw new Error('the engine started a GPU container: this test expects an engine without GPU support');
  }

  it('all GPUs (Driver "nvidia", Count -1): "could not select device driver", classified', async () => {
    const e = await startRefused(gpuDeviceRequests('all'));
    const c = classifyGpuStartError(e);
    expect(c).toBeInstanceOf(CogdeskError);
    expect(c!.code).toBe('container_failed');
    expect(c!.message).toBe(`Docker cannot give containers a GPU: ${TOOLKIT_MISSING}`);
    expect(c!.hint).toContain(TOOLKIT_INSTALL_URL);
    expect(c!.details).toBe('could not select device driver "nvidia" with capabilities: [[gpu]]');
  });

  it('chosen GPUs by uuid (DeviceIDs, Count 0): the same refusal', async () => {
    const e = await startRefused(gpuDeviceRequests({ uuids: ['GPU-8c9f276c-4397-4c9a-9807-a0e7dd9608fb'] }));
    expect(classifyGpuStartError(e)?.details).toBe('could not select device driver "nvidia" with capabilities: [[gpu]]');
  });

  it('CDI on an engine without CDI', async () => {
    const e = await startRefused(gpuDeviceRequests('all', 'cdi'));
    const c = classifyGpuStartError(e)!;
    expect(c.message).toBe('This Docker engine cannot use CDI devices');
    expect(c.details).toBe('could not select device driver "cdi" with capabilities: []');
  });
});

describe('probeDockerGpu', () => {
  it("reports the engine's refusal, classified, and leaves no container", async () => {
    const p = await probeDockerGpu(docker, ECHO);
    expect(p).toMatchObject({ ok: false, image: ECHO, method: 'nvidia', check: null, conclusive: true });
    expect(p.error).toMatchObject({ code: 'container_failed', message: `Docker cannot give containers a GPU: ${TOOLKIT_MISSING}` });
    expect(await probeContainers()).toEqual([]);
  });

  it('an image that is not here is no verdict on GPUs', async () => {
    const p = await probeDockerGpu(docker, '127.0.0.1:5100/fixtures/not-here:latest');
    expect(p).toMatchObject({ ok: false, conclusive: false });
    expect(p.error?.code).toBe('image_not_found');
  });

  it('dockerGpuSupport with a probe: the proof replaces the hint', async () => {
    const s = await dockerGpuSupport(docker, { probeImage: ECHO });
    expect(s.gpus).toBe('no');
    expect(s.probe?.conclusive).toBe(true);
    expect(s.missing).toBe(`Docker cannot give containers a GPU: ${TOOLKIT_MISSING}`);
    expect(await probeContainers()).toEqual([]);
  });

  it("the probe's container sees a GPU through nvidia-smi -L (the stand-in mounted in place of the toolkit's)", async () => {
    const p = await runCheckContainer(docker, ECHO, {
      method: 'nvidia',
      hostConfig: { Binds: [`${STANDINS}:/opt/nvidia-smi:ro`] },
      env: [`PATH=/opt/nvidia-smi/l40s-2x:${IMAGE_PATH}`],
    });
    expect(p).toMatchObject({ ok: true, conclusive: true, error: null });
    expect(p.check).toMatchObject({ gpu: true, via: 'nvidia-smi' });
    expect(p.check?.devices).toEqual([
      'GPU 0: NVIDIA L40S (UUID: GPU-9ecfa8bf-6fe7-4d54-8877-86b6c820e10e)',
      'GPU 1: NVIDIA L40S (UUID: GPU-8a917d9e-d6ae-4e6d-8eb6-7f708e218f62)',
    ]);
    expect(await probeContainers()).toEqual([]);
  });

  it("the probe's container without a GPU: started, but sees none", async () => {
    const p = await runCheckContainer(docker, ECHO, { method: 'nvidia', hostConfig: {} });
    expect(p).toMatchObject({ ok: false, conclusive: true, check: { gpu: false, via: 'none' } });
    expect(p.error?.message).toBe('Docker started the container, but it sees no GPU');
  });
});

describe('checkContainerGpu in a running container', () => {
  it('a plain container has no GPU: it never claims one', async () => {
    const c = await startEcho();
    const r = await checkContainerGpu(docker, c.id);
    expect(r.gpu).toBe(false);
    expect(r.via).toBe('none');
    expect(r.devices).toEqual([]);
    expect(r.details).toMatch(/nvidia-smi/);
    expect(r.details).toContain('no /dev/nvidia<N> device');
  });

  it('/dev/nvidia0 without nvidia-smi in the image', async () => {
    const c = await startEcho({ HostConfig: { Devices: [{ PathOnHost: '/dev/null', PathInContainer: '/dev/nvidia0', CgroupPermissions: 'rwm' }] } });
    const r = await checkContainerGpu(docker, c.id);
    expect(r).toMatchObject({ gpu: true, via: 'dev-nvidia', devices: ['/dev/nvidia0'] });
  });

  it('nvidia-smi -L lists the GPUs', async () => {
    const c = await startEcho({ Env: [`PATH=/opt/nvidia-smi/h100:${IMAGE_PATH}`, 'COG_FIXTURE_PREDICTOR=echo'], HostConfig: { Binds: [`${STANDINS}:/opt/nvidia-smi:ro`] } });
    const r = await checkContainerGpu(docker, c.id);
    expect(r).toMatchObject({ gpu: true, via: 'nvidia-smi', devices: ['GPU 0: NVIDIA H100 80GB HBM3 (UUID: GPU-8c9f276c-4397-4c9a-9807-a0e7dd9608fb)'] });
  });

  it('a failing nvidia-smi in the container is no GPU', async () => {
    const c = await startEcho({ Env: [`PATH=/opt/nvidia-smi/no-driver:${IMAGE_PATH}`, 'COG_FIXTURE_PREDICTOR=echo'], HostConfig: { Binds: [`${STANDINS}:/opt/nvidia-smi:ro`] } });
    const r = await checkContainerGpu(docker, c.id);
    expect(r).toMatchObject({ gpu: false, via: 'none' });
    expect(r.details).toContain("couldn't communicate with the NVIDIA driver");
  });

  it('a container that is gone is an error a person can read', async () => {
    await expect(checkContainerGpu(docker, '0000000000000000000000000000000000000000000000000000000000000000')).rejects.toBeInstanceOf(CogdeskError);
  });
});
