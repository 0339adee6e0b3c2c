import type Docker from 'dockerode';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { dockerTarget } from './connection';
import { DOCKER_HUB, parseImageRef, type ImageRef } from './image-ref';

/** What the engine takes as X-Registry-Auth (dockerode's `authconfig`). */
export interface RegistryAuth {
  serveraddress: string;
  username?: string;
  password?: string;
  identitytoken?: string;
}

interface DockerConfigFile {
  auths?: Record<string, { auth?: string; identitytoken?: string; username?: string; password?: string }>;
  credsStore?: string;
  credHelpers?: Record<string, string>;
}

/** The key Docker uses for Docker Hub in config files and credential helpers. */
export const DOCKER_HUB_AUTH_KEY = 'https://index.docker.io/v1/';
const HUB_ALIASES = new Set([DOCKER_HUB, 'index.docker.io', 'registry-1.docker.io', 'registry.hub.docker.com']);
const HELPER_TIMEOUT_MS = 15_000;

/** Names the one Docker engine not on this machine that may receive registry credentials (its address). */
export const ENGINE_CREDENTIALS_ENV = 'COGDESK_ENGINE_CREDENTIALS';
const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/**
 * Whether registry credentials may go to this engine (X-Registry-Auth on a pull or push, POST /auth): the
 * engine receives them and uses them itself. They go to an engine on this machine (a socket or named pipe,
 * tcp to 127.0.0.1/localhost); to another one (the Docker host setting, DOCKER_HOST, a context: tcp:// or
 * ssh:// elsewhere) only when COGDESK_ENGINE_CREDENTIALS names that engine's address, as the user's choice.
 */
export function credentialsMayGoTo(docker: Docker, env: NodeJS.ProcessEnv = process.env): { ok: true } | { ok: false; engine: string } {
  const engine = dockerTarget(docker);
  const m = /^(?:tcp|https|http|ssh):\/\/(?:[^@/]*@)?(\[[^\]]+\]|[^:/]+)/i.exec(engine);
  if (!m || LOCAL_HOSTS.has(m[1].toLowerCase())) return { ok: true };
  const allowed = env[ENGINE_CREDENTIALS_ENV]?.trim();
  return allowed && allowed === engine ? { ok: true } : { ok: false, engine };
}

/** What a user reads when credentials were kept from an engine elsewhere. */
export function withheldWords(registry: string, engine: string): { sentence: string; hint: string } {
  return {
    sentence: `Cogdesk does not send your credentials for ${registry} to the Docker engine at ${engine}, which is not on this machine`,
    hint: `To let that engine use them, set ${ENGINE_CREDENTIALS_ENV}=${engine}; or pull and push on that machine itself.`,
  };
}

/** `$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`. */
export function dockerConfigPath(): string {
  const dir = process.env.DOCKER_CONFIG || join(homedir(), '.docker');
  return join(dir, 'config.json');
}

/** Reduces a config key (`https://host/v1/`, `http://host`, `host`) to the host Docker compares. */
export function authHost(key: string): string {
  const host = key.replace(/^[a-z]+:\/\//i, '').split('/')[0]!.toLowerCase();
  return HUB_ALIASES.has(host) ? DOCKER_HUB : host;
}

/**
 * The credentials the user's Docker config holds for a reference's registry, the way the docker CLI finds
 * them: `credHelpers[host]`, else `credsStore`, else `auths[host]`. Undefined when there are none (and when
 * the config or a helper is missing or broken: a pull then goes without credentials).
 */
export async function registryAuthFor(
  ref: string | ImageRef,
  opts: { configPath?: string } = {},
): Promise<RegistryAuth | undefined> {
  const registry = typeof ref === 'string' ? parseImageRef(ref).registry : ref.registry;
  const host = authHost(registry);
  const serveraddress = host === DOCKER_HUB ? DOCKER_HUB_AUTH_KEY : host;
  const config = await readConfig(opts.configPath ?? dockerConfigPath());
  if (!config) return undefined;

  const helperKey = Object.keys(config.credHelpers ?? {}).find((k) => authHost(k) === host);
  const helper = (helperKey && config.credHelpers![helperKey]) || config.credsStore;
  if (helper) {
    const fromHelper = await fromCredentialHelper(helper, serveraddress, registry);
    if (fromHelper) return fromHelper;
  }

  const entries = Object.entries(config.auths ?? {}).filter(([k]) => authHost(k) === host);
  // An exact key wins over an alias (`https://index.docker.io/v1/` over `docker.io`).
  entries.sort(([a], [b]) => Number(b === serveraddress) - Number(a === serveraddress));
  for (const [, entry] of entries) {
    const auth = fromAuthEntry(entry ?? {}, serveraddress);
    if (auth) return auth;
  }
  return undefined;
}

async function readConfig(path: string): Promise<DockerConfigFile | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed && typeof parsed === 'object' ? (parsed as DockerConfigFile) : undefined;
  } catch {
    return undefined;
  }
}

function fromAuthEntry(entry: NonNullable<DockerConfigFile['auths']>[string], serveraddress: string): RegistryAuth | undefined {
  if (entry.identitytoken) return { serveraddress, identitytoken: entry.identitytoken };
  if (entry.auth) {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const sep = decoded.indexOf(':');
    if (sep <= 0) return undefined;
    return { serveraddress, username: decoded.slice(0, sep), password: decoded.slice(sep + 1) };
  }
  if (entry.username && entry.password) return { serveraddress, username: entry.username, password: entry.password };
  return undefined;
}

/** Runs `docker-credential-<name> get`; undefined when the helper is missing, fails or knows nothing. */
async function fromCredentialHelper(name: string, serveraddress: string, registry: string): Promise<RegistryAuth | undefined> {
  // Helpers store Docker Hub under its v1 URL and other registries under the host as the user logged in.
  const queries = serveraddress === registry ? [registry] : [serveraddress, registry];
  for (const query of queries) {
    const out = await runHelper(`docker-credential-${name}`, query);
    if (!out) continue;
    try {
      const { Username, Secret } = JSON.parse(out) as { Username?: string; Secret?: string };
      if (!Secret) continue;
      if (!Username || Username === '<token>') return { serveraddress, identitytoken: Secret };
      return { serveraddress, username: Username, password: Secret };
    } catch {
      continue;
    }
  }
  return undefined;
}

function runHelper(command: string, input: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    try {
      const child = execFile(command, ['get'], { timeout: HELPER_TIMEOUT_MS, windowsHide: true }, (err, stdout) =>
        resolve(err ? undefined : stdout),
      );
      child.on('error', () => resolve(undefined));
      child.stdin?.on('error', () => undefined);
      child.stdin?.end(input);
    } catch {
      resolve(undefined);
    }
  });
}
