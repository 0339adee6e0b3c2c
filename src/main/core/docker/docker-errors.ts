import { CogdeskError } from '../../../shared/errors';
import { DOCKER_HUB } from './image-ref';

export interface DockerErrorContext {
  /** What was being done, for the message: "pulling", "inspecting the image", "starting the container". */
  action: string;
  /** The image the action was about. */
  ref?: string;
  /** The socket or host Docker was reached at (for "could not reach ..."). */
  target?: string;
  /** The registry host of `ref`, for pull failures. */
  registry?: string;
  /** Whether credentials were sent to the registry. */
  withAuth?: boolean;
}

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ENOENT', 'EACCES', 'EPERM', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/** The hint for "Docker is not running", for this platform. */
export function startDockerHint(platform: NodeJS.Platform = process.platform): string {
  if (platform === 'darwin') return 'Start Docker Desktop (or your engine, e.g. `colima start`) and try again.';
  if (platform === 'win32') return 'Start Docker Desktop and wait until it says the engine is running, then try again.';
  return 'Start Docker: `sudo systemctl start docker` (or open Docker Desktop), then try again.';
}

/** Docker could not be reached at `target`. */
export function dockerUnavailable(target: string, cause?: unknown, opts: { timedOut?: boolean } = {}): CogdeskError {
  const code = errCode(cause);
  const details = cause ? rawMessage(cause) : undefined;
  if (code === 'EACCES' || code === 'EPERM') {
    return new CogdeskError(
      {
        code: 'docker_unavailable',
        message: `Permission denied when connecting to Docker at ${target}`,
        hint:
          process.platform === 'linux'
            ? 'Add your user to the docker group: `sudo usermod -aG docker $USER`, then log out and back in (or run `newgrp docker`).'
            : 'Make sure your user may use Docker (Docker Desktop settings), then try again.',
        details,
      },
      { cause },
    );
  }
  const why = opts.timedOut ? 'it did not answer in time' : `could not reach ${target}`;
  return new CogdeskError(
    { code: 'docker_unavailable', message: `Docker is not running (${why})`, hint: startDockerHint(), details },
    { cause },
  );
}

/** Maps an error from dockerode or the engine to a CogdeskError a person can act on. */
export function dockerErrorToCogdesk(e: unknown, context: DockerErrorContext): CogdeskError {
  if (e instanceof CogdeskError) return e;
  const code = errCode(e);
  if (code && CONNECTION_CODES.has(code) && !statusCode(e)) {
    const addr = (e as { address?: string; port?: number }).address;
    const port = (e as { port?: number }).port;
    return dockerUnavailable(context.target ?? (addr ? (port ? `${addr}:${port}` : addr) : 'the Docker engine'), e);
  }
  if (isAbort(e)) {
    return new CogdeskError({ code: 'canceled', message: `Canceled while ${context.action}`, hint: 'Try again when you want it.' }, { cause: e });
  }
  const msg = rawMessage(e);
  const status = statusCode(e);
  if (context.action === 'pulling' && context.ref) {
    return registryError(msg, { ref: context.ref, registry: context.registry ?? DOCKER_HUB, withAuth: !!context.withAuth }, e);
  }
  if (status === 404 && /no such image|reference does not exist|not found/i.test(msg) && context.ref && !/container/i.test(msg)) {
    return new CogdeskError(
      { code: 'image_not_found', message: `The image ${context.ref} is not on this machine`, hint: `Pull it first (cogdesk pull ${context.ref}).`, details: msg },
      { cause: e },
    );
  }
  if (status === 404) {
    return new CogdeskError(
      { code: 'not_found', message: `Docker could not find what it needed while ${context.action}`, hint: 'It may have been removed; refresh and try again.', details: msg },
      { cause: e },
    );
  }
  if (status === 409) {
    return new CogdeskError(
      { code: 'bad_request', message: `Docker refused while ${context.action}: ${msg}`, hint: 'Something is using it (a container?); stop that first and try again.', details: msg },
      { cause: e },
    );
  }
  return new CogdeskError(
    { code: 'internal', message: `Docker failed while ${context.action}: ${msg}`, hint: 'Check that Docker is healthy (`docker info`) and try again.', details: msg },
    { cause: e },
  );
}

/** Turns a registry/pull failure message from the engine into the right CogdeskError. */
export function registryError(msg: string, ctx: { ref: string; registry: string; withAuth: boolean }, cause?: unknown): CogdeskError {
  const m = msg.toLowerCase();
  const host = ctx.registry;
  const login = host === DOCKER_HUB ? '`docker login`' : `\`docker login ${host}\``;
  const make = (code: 'image_not_found' | 'registry_unauthorized' | 'registry_error' | 'pull_failed', message: string, hint: string) =>
    new CogdeskError({ code, message, hint, details: msg }, { cause });

  if (/repository does not exist/.test(m)) {
    return make('image_not_found', `${ctx.ref} was not found on ${host}`, `Check the image name and version. If it is private, sign in with ${login} and pull again.`);
  }
  if (/no basic auth credentials|unauthorized|authentication required|denied|forbidden|\b40[13]\b/.test(m)) {
    const replicate = host === 'r8.im' ? ' For r8.im, use your Replicate username and an API token as the password.' : '';
    return ctx.withAuth
      ? make('registry_unauthorized', `${host} refused the saved credentials for ${ctx.ref}`, `Sign in again with ${login} using valid credentials, then pull again.${replicate}`)
      : make('registry_unauthorized', `${host} requires you to sign in to pull ${ctx.ref}`, `Run ${login}, then pull again.${replicate}`);
  }
  if (/blob unknown|unknown blob/.test(m)) {
    return make('pull_failed', `${host} is missing part of ${ctx.ref} (a layer it listed is gone)`, 'Pull again later; if it keeps failing, the image was pushed incompletely: ask its owner to push it again, or pick another version.');
  }
  if (/no matching manifest/.test(m)) {
    return make('pull_failed', `${ctx.ref} has no build for this machine's platform`, 'Cog images are built for linux/amd64; run it on an x86-64 machine, or pick another image.');
  }
  if (/manifest unknown|not found|name unknown|no such image|does not exist/.test(m)) {
    return make('image_not_found', `${ctx.ref} was not found on ${host}`, 'Check the image name and version (tag or digest); the registry has no such image.');
  }
  if (/toomanyrequests|rate limit/.test(m)) {
    return make('registry_error', `${host} is limiting requests`, `Wait a while and pull again, or sign in with ${login} for a higher limit.`);
  }
  if (/http response to https client|x509|certificate|tls/.test(m)) {
    return make('registry_error', `Could not make a secure connection to ${host}`, `Check the registry's TLS certificate, or list ${host} under "insecure-registries" in Docker's daemon.json if it only speaks HTTP.`);
  }
  if (/no space left/.test(m)) {
    return make('pull_failed', `Not enough disk space to pull ${ctx.ref}`, 'Free some disk space (e.g. `docker system prune`) and pull again.');
  }
  const retry = `Check that ${host} is reachable and pull again; layers Docker already has are not downloaded again.`;
  if (/connection refused|no such host|unreachable|lookup|no route/.test(m)) {
    return make('pull_failed', `Pulling ${ctx.ref} failed: could not reach ${host}`, retry);
  }
  if (/reset|eof|timeout|timed out|broken pipe|dial tcp|i\/o|closed/.test(m)) {
    return make('pull_failed', `Pulling ${ctx.ref} failed: the connection to ${host} broke`, retry);
  }
  return make('pull_failed', `Pulling ${ctx.ref} failed: ${msg}`, 'Pull again; if it keeps failing, check the registry and Docker\'s log.');
}

export function rawMessage(e: unknown): string {
  const json = (e as { json?: { message?: unknown } } | null)?.json;
  const text = typeof json?.message === 'string' ? json.message : e instanceof Error ? e.message : String(e);
  // dockerode prefixes "(HTTP code 404) unexpected - " and appends a space.
  return text.replace(/^\(HTTP code \d+\) [^-]*- /, '').trim();
}

function errCode(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function statusCode(e: unknown): number | undefined {
  const s = (e as { statusCode?: unknown } | null)?.statusCode;
  return typeof s === 'number' ? s : undefined;
}

function isAbort(e: unknown): boolean {
  return (e as { name?: string } | null)?.name === 'AbortError' || errCode(e) === 'ABORT_ERR';
}
