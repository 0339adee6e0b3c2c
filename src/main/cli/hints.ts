/**
 * Hints that name the real cause, where the core's general hint would send a person the wrong way: a
 * DOCKER_HOST that points at a dead engine ("start Docker" would not help), a REPLICATE_API_TOKEN in the
 * environment that overrides the saved login.
 */
import type { ErrorInfo } from '../../shared/errors';

export function withRealCause(info: ErrorInfo, e: unknown, env: NodeJS.ProcessEnv = process.env): ErrorInfo {
  if (info.code === 'docker_unavailable' && env.DOCKER_HOST) {
    return {
      ...info,
      hint: `DOCKER_HOST=${env.DOCKER_HOST} is set, so Cogdesk talks to the engine it names: start that engine, or unset DOCKER_HOST to use the default one.`,
    };
  }
  const remote = e as { name?: string; reason?: string };
  if (remote?.name === 'RemoteError' && (remote.reason === 'unauthorized' || remote.reason === 'forbidden') && env.REPLICATE_API_TOKEN) {
    return {
      ...info,
      hint: `REPLICATE_API_TOKEN is set in this shell and overrides the token saved with cogdesk login: unset it to use the saved one, or set it to a valid token.`,
    };
  }
  return info;
}
