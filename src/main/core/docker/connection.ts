import Docker from 'dockerode';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { CogdeskError } from '../../../shared/errors';
import { dockerUnavailable } from './docker-errors';

export { dockerErrorToCogdesk, dockerUnavailable, startDockerHint, type DockerErrorContext } from './docker-errors';

export interface DockerInfo {
  version: string;
  apiVersion: string;
  os: string;
}

const PING_TIMEOUT_MS = 3000;
const targets = new WeakMap<Docker, string>();

/**
 * A dockerode client for `opts.host`, else `DOCKER_HOST`, else the current Docker context, else the
 * platform's default socket. Hosts: `unix:///path`, `npipe:////./pipe/name`, `tcp://host:port`
 * (TLS when DOCKER_TLS_VERIFY=1 or port 2376), `ssh://user@host`. Connects lazily: call checkDocker.
 */
export function connectDocker(opts: { host?: string } = {}): Docker {
  const host = opts.host?.trim() || process.env.DOCKER_HOST?.trim() || contextHost() || defaultHost();
  const { options, target } = dockerOptions(host);
  let docker: Docker;
  try {
    docker = new Docker(options);
  } catch (e) {
    // docker-modem reads DOCKER_HOST and DOCKER_CERT_PATH itself and throws on bad values.
    throw new CogdeskError(
      {
        code: 'bad_request',
        message: `Could not set up the Docker client for ${target}: ${e instanceof Error ? e.message : String(e)}`,
        hint: 'Check the DOCKER_HOST, DOCKER_CERT_PATH and DOCKER_TLS_VERIFY environment variables.',
      },
      { cause: e },
    );
  }
  targets.set(docker, target);
  return docker;
}

/** Where a client talks to: the socket path or `tcp://host:port`. */
export function dockerTarget(docker: Docker): string {
  const known = targets.get(docker);
  if (known) return known;
  const m = docker.modem as { socketPath?: unknown; host?: string; port?: string | number; protocol?: string };
  if (typeof m.socketPath === 'string') return m.socketPath;
  if (m.host) return `${m.protocol === 'https' ? 'https' : 'tcp'}://${m.host}${m.port ? `:${m.port}` : ''}`;
  return defaultHost().replace(/^(unix|npipe):\/\//, '');
}

/** Pings the engine (3 s) and reads its version; throws CogdeskError('docker_unavailable') when unreachable. */
export async function checkDocker(docker: Docker, opts: { timeoutMs?: number } = {}): Promise<DockerInfo> {
  const target = dockerTarget(docker);
  const signal = AbortSignal.timeout(opts.timeoutMs ?? PING_TIMEOUT_MS);
  try {
    // dockerode takes an abortSignal here; its types do not say so.
    const withSignal = docker as unknown as Record<'ping' | 'version', (o: { abortSignal: AbortSignal }) => Promise<unknown>>;
    await withSignal.ping({ abortSignal: signal });
    const v = (await withSignal.version({ abortSignal: signal })) as { Version?: string; ApiVersion?: string; Os?: string };
    return { version: v.Version ?? 'unknown', apiVersion: v.ApiVersion ?? 'unknown', os: v.Os ?? 'unknown' };
  } catch (e) {
    if (e instanceof CogdeskError) throw e;
    throw dockerUnavailable(target, e, { timedOut: signal.aborted });
  }
}

function dockerOptions(host: string): { options: Docker.DockerOptions; target: string } {
  const plain = { host: undefined, port: undefined, socketPath: undefined, ca: undefined, cert: undefined, key: undefined };
  const pipe = /^(unix|npipe):\/\/(.*)$/i.exec(host);
  if (pipe) {
    const path = pipe[2] || (pipe[1]!.toLowerCase() === 'npipe' ? '//./pipe/docker_engine' : '/var/run/docker.sock');
    return { options: { ...plain, socketPath: path, protocol: 'http' }, target: path };
  }
  if (host.startsWith('/') || host.startsWith('\\\\')) return { options: { ...plain, socketPath: host, protocol: 'http' }, target: host };

  let url: URL;
  try {
    url = new URL(host.includes('://') ? host : `tcp://${host}`);
  } catch (e) {
    throw badHost(host, e);
  }
  if (url.protocol === 'ssh:') {
    const options: Docker.DockerOptions = { ...plain, protocol: 'ssh', host: url.hostname, port: url.port || 22, username: url.username || undefined };
    if (process.env.SSH_AUTH_SOCK) options.sshOptions = { agent: process.env.SSH_AUTH_SOCK };
    return { options, target: host };
  }
  if (!['tcp:', 'http:', 'https:'].includes(url.protocol) || !url.hostname) throw badHost(host);
  const tls = url.protocol === 'https:' || process.env.DOCKER_TLS_VERIFY === '1' || url.port === '2376';
  const port = url.port || (tls ? '2376' : '2375');
  const options: Docker.DockerOptions = { ...plain, protocol: tls ? 'https' : 'http', host: url.hostname, port };
  if (tls) Object.assign(options, tlsFiles());
  return { options, target: `${tls ? 'https' : 'tcp'}://${url.hostname}:${port}` };
}

function tlsFiles(): Pick<Docker.DockerOptions, 'ca' | 'cert' | 'key'> {
  const dir = process.env.DOCKER_CERT_PATH || join(homedir(), '.docker');
  const read = (name: string) => (existsSync(join(dir, name)) ? readFileSync(join(dir, name)) : undefined);
  return { ca: read('ca.pem'), cert: read('cert.pem'), key: read('key.pem') };
}

function badHost(host: string, cause?: unknown): CogdeskError {
  return new CogdeskError(
    {
      code: 'bad_request',
      message: `"${host}" is not a Docker host Cogdesk understands`,
      hint: 'Use unix:///var/run/docker.sock, npipe:////./pipe/docker_engine, tcp://host:2375 or ssh://user@host, or leave it empty for the default.',
    },
    { cause },
  );
}

/** The engine's default socket on this platform (Docker Desktop's per-user socket when it exists). */
export function defaultHost(): string {
  if (process.platform === 'win32') return 'npipe:////./pipe/docker_engine';
  const user = join(homedir(), '.docker', 'run', 'docker.sock');
  return `unix://${existsSync(user) ? user : '/var/run/docker.sock'}`;
}

/** The host of the Docker CLI's current context (`docker context use`), when it is not "default". */
function contextHost(): string | undefined {
  try {
    const dir = process.env.DOCKER_CONFIG || join(homedir(), '.docker');
    let name = process.env.DOCKER_CONTEXT;
    if (!name) {
      const cfgPath = join(dir, 'config.json');
      if (!existsSync(cfgPath)) return undefined;
      name = (JSON.parse(readFileSync(cfgPath, 'utf8')) as { currentContext?: string }).currentContext;
    }
    if (!name || name === 'default') return undefined;
    const meta = join(dir, 'contexts', 'meta', createHash('sha256').update(name).digest('hex'), 'meta.json');
    const parsed = JSON.parse(readFileSync(meta, 'utf8')) as { Endpoints?: { docker?: { Host?: string } } };
    return parsed.Endpoints?.docker?.Host || undefined;
  } catch {
    return undefined;
  }
}
