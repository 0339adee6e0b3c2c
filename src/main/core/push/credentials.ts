/**
 * Registry credentials for a push. Replicate's registry (COGDESK_REGISTRY, default r8.im) takes the
 * Replicate user name and a CLI auth token (from replicate.com/auth/token; not an `r8_` API token) as
 * password. `cog login` keeps them as Docker's credential for the host, in ~/.docker/config.json or its
 * credential helper: that is used when there is one. Otherwise the person gives Cogdesk the CLI token: it
 * is verified (`POST <registry>/cog/v1/verify-token`, form field `token`, answering `{username}`) and kept
 * in a TokenStore (the app's is encrypted with safeStorage; the CLI's is a file only its owner can read).
 * The token is never logged and never put in an error.
 */
import type Docker from 'dockerode';
import { join } from 'node:path';
import { CogdeskError } from '../../../shared/errors';
import { registryAuthFor, dockerConfigPath, type RegistryAuth } from '../docker/auth';
import { rawMessage } from '../docker/docker-errors';
import { FileTokenStore, type TokenStore } from '../remote/token';
import type { CredentialSource, RegistryLoginStatus } from './types';

export const CLI_TOKEN_PAGE = 'https://replicate.com/auth/token';
export const VERIFY_URL_ENV = 'COGDESK_REGISTRY_VERIFY_URL';
export const CLI_TOKEN_FILE_NAME = 'replicate-cli-token';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/**
 * Where CLI tokens are verified: COGDESK_REGISTRY_VERIFY_URL, else `https://<registry>/cog/v1/verify-token`.
 * Plain http only on this machine (the token must not cross a network in clear).
 */
export function verifyTokenUrl(registry: string, env: NodeJS.ProcessEnv = process.env): string {
  const raw = (env[VERIFY_URL_ENV] || `https://${registry}/cog/v1/verify-token`).trim();
  const from = env[VERIFY_URL_ENV] ? VERIFY_URL_ENV : `the registry host (${registry})`;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new CogdeskError({ code: 'bad_request', message: `"${raw}" (${from}) is not a URL for verifying CLI tokens`, hint: `Unset ${VERIFY_URL_ENV}, or set it to https://r8.im/cog/v1/verify-token.` });
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.has(url.hostname))) {
    throw new CogdeskError({
      code: 'bad_request',
      message: `The CLI token would be sent in clear to ${url.origin} (${from}): Cogdesk only verifies tokens over https`,
      hint: `Use an https:// URL (${VERIFY_URL_ENV}); plain http is only allowed on this machine (127.0.0.1).`,
    });
  }
  return url.href;
}

/** Checks that a token is a CLI auth token at all (not empty, not an `r8_` API token, one printable word). */
export function checkCliToken(token: string): string {
  const t = typeof token === 'string' ? token.trim() : '';
  if (!t) {
    throw new CogdeskError({ code: 'bad_request', message: 'No CLI token given', hint: `Copy your CLI auth token from ${CLI_TOKEN_PAGE}.` });
  }
  if (t.startsWith('r8_')) {
    throw new CogdeskError({
      code: 'bad_request',
      message: 'That is a Replicate API token (r8_…), not a CLI auth token: the registry does not take API tokens',
      hint: `Copy the CLI auth token from ${CLI_TOKEN_PAGE} (the one \`cog login\` asks for). The API token stays where it is.`,
    });
  }
  if (!/^[\x21-\x7e]+$/.test(t) || t.length > 512) {
    throw new CogdeskError({
      code: 'bad_request',
      message: 'That is not a CLI auth token (it must be one word of printable characters)',
      hint: `Copy it again from ${CLI_TOKEN_PAGE}.`,
    });
  }
  return t;
}

/** Asks the registry whose CLI token this is; answers the user name. */
export async function verifyCliToken(
  token: string,
  o: { url: string; fetch?: typeof fetch; timeoutMs?: number },
): Promise<string> {
  const t = checkCliToken(token);
  const doFetch = o.fetch ?? globalThis.fetch;
  const host = new URL(o.url).host;
  let res: Response;
  try {
    res = await doFetch(o.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: t }).toString(),
      redirect: 'error',
      signal: AbortSignal.timeout(o.timeoutMs ?? 30_000),
    });
  } catch (e) {
    throw new CogdeskError({
      code: 'registry_error',
      message: `Cannot reach ${host} to verify the CLI token (${networkWords(e)})`,
      hint: `Check the network connection${o.url.includes('r8.im') ? '' : ` and ${VERIFY_URL_ENV}`}, then try again.`,
    });
  }
  if (res.status === 404) {
    throw new CogdeskError({
      code: 'registry_unauthorized',
      message: `${host} does not know that CLI token (no user has it)`,
      hint: `Copy a current CLI auth token from ${CLI_TOKEN_PAGE} and try again.`,
    });
  }
  if (res.status === 401 || res.status === 403) {
    throw new CogdeskError({ code: 'registry_unauthorized', message: `${host} refused the CLI token (${res.status})`, hint: `Copy a current CLI auth token from ${CLI_TOKEN_PAGE} and try again.` });
  }
  if (!res.ok) {
    throw new CogdeskError({ code: 'registry_error', message: `${host} failed to verify the CLI token (${res.status})`, hint: 'Try again in a few minutes.' });
  }
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    body = null;
  }
  const username = (body as { username?: unknown } | null)?.username;
  if (typeof username !== 'string' || !username.trim()) {
    throw new CogdeskError({ code: 'registry_error', message: `${host} answered the token check without a user name`, hint: `Check that ${o.url} is Replicate's (${VERIFY_URL_ENV}).` });
  }
  return username.trim();
}

/** The registry a CLI token kept before hosts were (`username:token`) was verified against. */
export const DEFAULT_REGISTRY = 'r8.im';

export interface KeptLogin {
  username: string;
  token: string;
  /** The registry host it was verified against: it is sent to no other. */
  registry: string;
}

/**
 * The CLI token Cogdesk keeps, with its user name and the registry host it was verified against, in a
 * TokenStore (one value: `host|username:token`; hosts have no `|`, user names no colon). A value kept
 * before hosts were (`username:token`) is for r8.im.
 */
export class RegistryLogins {
  constructor(
    readonly tokens: TokenStore,
    /** Where it is kept, in words, when the store cannot say. */
    private readonly label?: string,
  ) {}

  async get(): Promise<KeptLogin | null> {
    const value = await this.tokens.get();
    if (!value) return null;
    const bar = value.indexOf('|');
    const registry = bar > 0 ? value.slice(0, bar) : DEFAULT_REGISTRY;
    const rest = bar > 0 ? value.slice(bar + 1) : value;
    const at = rest.indexOf(':');
    if (at <= 0 || at === rest.length - 1) return null;
    return { username: rest.slice(0, at), token: rest.slice(at + 1), registry };
  }

  /** Keeps a token verified against `registry` (it will be sent to that host only). */
  async set(username: string, token: string, registry: string): Promise<void> {
    if (!username || username.includes(':')) throw new CogdeskError({ code: 'internal', message: `"${username}" cannot be kept as a registry user name`, hint: 'Report this.' });
    if (!registry || /[|\s]/.test(registry)) throw new CogdeskError({ code: 'internal', message: `"${registry}" cannot be kept as a registry host`, hint: 'Report this.' });
    await this.tokens.set(`${registry}|${username}:${checkCliToken(token)}`);
  }

  clear(): Promise<void> {
    return this.tokens.clear();
  }

  async where(): Promise<string | null> {
    return (await this.tokens.describe()).source ?? this.label ?? null;
  }
}

/** The CLI's keeper of the CLI token: `<home>/replicate-cli-token`, readable by its owner only. */
export function cliRegistryTokens(home: string): TokenStore {
  return new FileTokenStore(join(home, CLI_TOKEN_FILE_NAME));
}

export interface FoundCredentials {
  auth: RegistryAuth;
  source: CredentialSource;
  username: string | null;
  where: string;
}

/**
 * The credentials a push to `registry` uses: with 'auto', Docker's credential for the host (`cog login`)
 * first, then the CLI token Cogdesk keeps; with 'cogdesk', only the latter. Null when there are none.
 */
export async function findCredentials(o: {
  registry: string;
  logins: RegistryLogins;
  configPath?: string;
  prefer?: 'auto' | 'cogdesk';
}): Promise<FoundCredentials | null> {
  if ((o.prefer ?? 'auto') === 'auto') {
    const fromDocker = await registryAuthFor(`${o.registry}/cogdesk/probe`, { configPath: o.configPath });
    if (fromDocker) {
      return {
        auth: fromDocker,
        source: 'docker-config',
        username: fromDocker.username ?? null,
        where: `your Docker credentials for ${o.registry} (${o.configPath ?? dockerConfigPath()} or its credential helper), as \`cog login\` keeps them`,
      };
    }
  }
  const kept = await o.logins.get().catch(() => null);
  // A token verified against another registry host is never sent to this one.
  if (kept && kept.registry === o.registry) {
    return {
      auth: { serveraddress: o.registry, username: kept.username, password: kept.token },
      source: 'cogdesk',
      username: kept.username,
      where: `the CLI token Cogdesk keeps (${(await o.logins.where()) ?? 'its token store'})`,
    };
  }
  return null;
}

export async function loginStatus(o: { registry: string; logins: RegistryLogins; configPath?: string; prefer?: 'auto' | 'cogdesk' }): Promise<RegistryLoginStatus> {
  const found = await findCredentials(o);
  const kept = await o.logins.get().catch(() => null);
  const where = await o.logins.where();
  return {
    registry: o.registry,
    source: found?.source ?? null,
    username: found?.username ?? null,
    where: found?.where ?? null,
    kept: kept
      ? { username: kept.username, where: kept.registry === o.registry ? where : `${where ?? 'kept'}, ${otherRegistry(kept.registry, o.registry)}` }
      : null,
  };
}

/** Why a kept token is not used: it was verified against another registry host. */
function otherRegistry(kept: string, now: string): string {
  return `verified for ${kept}: not sent to ${now}; give the CLI token again for ${now}`;
}

/** The error for a push that has no credentials at all (`kept`: a token Cogdesk keeps for another registry). */
export function noCredentials(registry: string, kept?: KeptLogin | null): CogdeskError {
  const other = kept && kept.registry !== registry ? ` (the CLI token it keeps was ${otherRegistry(kept.registry, registry)})` : '';
  return new CogdeskError({
    code: 'registry_unauthorized',
    message: `Cogdesk has no credentials for ${registry}, so it cannot push there${other}`,
    hint: `Run \`cog login\`, or give Cogdesk your CLI auth token from ${CLI_TOKEN_PAGE} (the CLI asks for it; in the app, Settings).`,
  });
}

/**
 * Asks the engine to log in to the registry with the credentials (`POST /auth`), so that credentials the
 * registry refuses are found before a model is created. Answers nothing; throws a CogdeskError.
 */
export async function checkCredentials(docker: Docker, found: FoundCredentials, registry: string): Promise<void> {
  try {
    await docker.checkAuth({ ...found.auth, serveraddress: found.auth.serveraddress || registry });
  } catch (e) {
    const status = (e as { statusCode?: number }).statusCode;
    const msg = rawMessage(e);
    if (status === 401 || /unauthorized|authentication required|incorrect username or password|denied/i.test(msg)) {
      throw refusedCredentials(registry, found, msg);
    }
    throw new CogdeskError(
      {
        code: 'registry_error',
        message: `Cannot sign in to ${registry} to push (${shortReason(msg)})`,
        hint: `Check that ${registry} is reachable${registry === 'r8.im' ? '' : ' (COGDESK_REGISTRY)'}, then push again.`,
        details: msg,
      },
      { cause: e },
    );
  }
}

/** The registry refused these credentials: what to do depends on where they came from. */
export function refusedCredentials(registry: string, found: Pick<FoundCredentials, 'source' | 'username'>, details?: string): CogdeskError {
  const who = found.username ? ` (user ${found.username})` : '';
  return new CogdeskError({
    code: 'registry_unauthorized',
    message:
      found.source === 'docker-config'
        ? `${registry} refused your \`cog login\` credentials${who}`
        : `${registry} refused the CLI token Cogdesk keeps${who}`,
    hint:
      found.source === 'docker-config'
        ? `Run \`cog login\` again (or \`docker logout ${registry}\` and give Cogdesk a CLI token from ${CLI_TOKEN_PAGE}), then push again.`
        : `Give Cogdesk a current CLI token from ${CLI_TOKEN_PAGE} (cogdesk push --login ...), then push again.`,
    details,
  });
}

function shortReason(msg: string): string {
  const m = msg.toLowerCase();
  if (/connection refused/.test(m)) return 'connection refused';
  if (/no such host|lookup/.test(m)) return 'host not found';
  if (/timeout|timed out|deadline/.test(m)) return 'timed out';
  if (/http response to https client|x509|certificate|tls/.test(m)) return 'no secure connection';
  return msg.length > 120 ? `${msg.slice(0, 119)}…` : msg;
}

function networkWords(e: unknown): string {
  let cur: unknown = e;
  for (let i = 0; i < 5 && cur; i++) {
    const c = cur as { code?: unknown; name?: unknown; cause?: unknown };
    if (c.code === 'ECONNREFUSED') return 'connection refused';
    if (c.code === 'ENOTFOUND' || c.code === 'EAI_AGAIN') return 'host not found';
    if (c.code === 'ECONNRESET') return 'connection reset';
    if (c.code === 'UND_ERR_SOCKET' || c.code === 'UND_ERR_CLOSED') return 'connection closed';
    if (c.code === 'UND_ERR_CONNECT_TIMEOUT') return 'timed out';
    if (typeof c.code === 'string') return c.code;
    if (c.name === 'TimeoutError') return 'timed out';
    cur = c.cause;
  }
  return e instanceof Error ? e.message : String(e);
}
