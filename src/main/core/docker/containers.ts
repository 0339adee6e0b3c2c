import type Docker from 'dockerode';
import { createServer } from 'node:net';
import { CogdeskError } from '../../../shared/errors';
import { classifyGpuStartError, gpuDeviceRequests, type GpuSelection } from '../hardware/gpu-request';

/** Labels on every container Cogdesk starts, so a later run can find it again. */
export const LABELS = {
  managed: 'cogdesk.managed',
  version: 'cogdesk.version',
  home: 'cogdesk.home',
  pid: 'cogdesk.pid',
  port: 'cogdesk.port',
} as const;

/** A folder of this machine, seen by the container at `target` (read-only when asked). */
export interface BindMount {
  source: string;
  target: string;
  readOnly: boolean;
}

export interface StartOptions {
  image: string;
  versionId: string;
  /** Identifies the data folder, so two Cogdesk homes never touch each other's containers. */
  homeId: string;
  hostNetwork: boolean;
  env?: Record<string, string>;
  /** Extra hosts, such as `host.docker.internal:host-gateway` for webhooks. */
  extraHosts?: string[];
  /** GPUs for a model built with `gpu: true`: all or chosen ones, through the nvidia driver or CDI. */
  gpus?: { selection: GpuSelection; method: 'nvidia' | 'cdi' };
  /** Bind mounts, such as the version's managed weights (read-only at their targets). */
  mounts?: BindMount[];
}

export interface StartedContainer {
  id: string;
  baseUrl: string;
}

const SHM_SIZE = 6 * 1024 * 1024 * 1024;

/** Starts a Cog image the way `cog predict` does: port 5000 on 127.0.0.1 at a random host port. */
export async function startCogContainer(docker: Docker, o: StartOptions): Promise<StartedContainer> {
  const hostPort = o.hostNetwork ? await freePort() : 0;
  const env = { ...o.env, ...(o.hostNetwork ? { PORT: String(hostPort) } : {}) };
  const container = await docker.createContainer({
    Image: o.image,
    Env: Object.entries(env).map(([k, v]) => `${k}=${v}`),
    ExposedPorts: o.hostNetwork ? undefined : { '5000/tcp': {} },
    Labels: {
      [LABELS.managed]: 'true',
      [LABELS.version]: o.versionId,
      [LABELS.home]: o.homeId,
      [LABELS.pid]: String(process.pid),
      ...(o.hostNetwork ? { [LABELS.port]: String(hostPort) } : {}),
    },
    HostConfig: {
      NetworkMode: o.hostNetwork ? 'host' : undefined,
      PortBindings: o.hostNetwork ? undefined : { '5000/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }] },
      ShmSize: SHM_SIZE,
      Privileged: false,
      ExtraHosts: o.hostNetwork ? undefined : o.extraHosts,
      ...(o.mounts?.length ? { Mounts: o.mounts.map((m) => ({ Type: 'bind' as const, Source: m.source, Target: m.target, ReadOnly: m.readOnly })) } : {}),
      ...(o.gpus ? gpuDeviceRequests(o.gpus.selection, o.gpus.method) : {}),
    },
  });
  try {
    await container.start();
    return { id: container.id, baseUrl: await containerUrl(docker, container.id) };
  } catch (e) {
    await container.remove({ force: true }).catch(() => undefined);
    // "could not select device driver", "nvidia-container-cli: initialization error": say what is missing.
    throw (o.gpus && classifyGpuStartError(e)) || e;
  }
}

/** Where a started container's Cog server answers, from its published port (or host-network label). */
export async function containerUrl(docker: Docker, id: string): Promise<string> {
  const info = await docker.getContainer(id).inspect();
  if (info.HostConfig.NetworkMode === 'host') {
    const port = info.Config.Labels?.[LABELS.port] ?? '5000';
    return `http://127.0.0.1:${port}`;
  }
  const binding = info.NetworkSettings.Ports?.['5000/tcp']?.[0];
  if (!binding?.HostPort) {
    throw new CogdeskError({
      code: 'container_failed',
      message: `Container ${id.slice(0, 12)} has no published port 5000 (state: ${info.State.Status})`,
      hint: 'It may have exited at once: look at its logs.',
    });
  }
  return `http://127.0.0.1:${binding.HostPort}`;
}

/** The last lines a container printed (stdout and stderr), for error messages. */
export async function containerLogs(docker: Docker, id: string, tail = 200): Promise<string> {
  try {
    const buf = (await docker.getContainer(id).logs({ stdout: true, stderr: true, tail, follow: false })) as Buffer;
    return demuxLogs(buf);
  } catch {
    return '';
  }
}

/** Docker multiplexes stdout/stderr frames (8-byte headers) when the container has no TTY. */
export function demuxLogs(buf: Buffer): string {
  const parts: Buffer[] = [];
  let i = 0;
  while (i + 8 <= buf.length && (buf[i] === 1 || buf[i] === 2 || buf[i] === 0) && buf[i + 1] === 0) {
    const size = buf.readUInt32BE(i + 4);
    parts.push(buf.subarray(i + 8, i + 8 + size));
    i += 8 + size;
  }
  if (i === 0) return buf.toString('utf8');
  return Buffer.concat(parts).toString('utf8');
}

export async function containerState(docker: Docker, id: string): Promise<{ running: boolean; exitCode: number; oomKilled: boolean } | null> {
  try {
    const info = await docker.getContainer(id).inspect();
    return { running: info.State.Running, exitCode: info.State.ExitCode, oomKilled: info.State.OOMKilled };
  } catch {
    return null;
  }
}

/** Stops and removes a container; gone already is fine. */
export async function removeContainer(docker: Docker, id: string): Promise<void> {
  const c = docker.getContainer(id);
  await c.stop({ t: 2 }).catch(() => undefined);
  await c.remove({ force: true }).catch(() => undefined);
}

export interface ManagedContainer {
  id: string;
  versionId: string;
  pid: number;
  running: boolean;
}

/** Containers a Cogdesk with this home started (this run or an earlier one). */
export async function listManagedContainers(docker: Docker, homeId: string): Promise<ManagedContainer[]> {
  const list = await docker.listContainers({
    all: true,
    filters: { label: [`${LABELS.managed}=true`, `${LABELS.home}=${homeId}`] },
  });
  return list.map((c) => ({
    id: c.Id,
    versionId: c.Labels[LABELS.version] ?? '',
    pid: Number(c.Labels[LABELS.pid] ?? 0),
    running: c.State === 'running',
  }));
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** The host pids of a container's processes (Docker's top); empty when it cannot tell. */
export async function containerPids(docker: Docker, containerId: string): Promise<Set<number>> {
  try {
    const top = (await docker.getContainer(containerId).top()) as { Titles?: string[]; Processes?: string[][] };
    const col = top.Titles?.indexOf('PID') ?? -1;
    if (col < 0) return new Set();
    return new Set((top.Processes ?? []).map((p) => Number(p[col])).filter((n) => Number.isInteger(n)));
  } catch {
    return new Set();
  }
}
