/**
 * Hints that name the real cause, where the core's general hint would send a person the wrong way: a
 * DOCKER_HOST that points at a dead engine ("start Docker" would not help), a REPLICATE_API_TOKEN in the
 * environment that overrides the saved login.
 */
import { CogdeskError, type ErrorInfo } from '../../shared/errors';
import type { VersionSchema } from '../../shared/schema';

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

/**
 * The core's hint for an input that is not key=value shows `key=value` alone; on the command line each input
 * goes after -i, so the hint shows the whole line that works (and a file input only when the model takes one).
 */
export function withInputFlag(e: unknown, image: string, schema: VersionSchema): unknown {
  if (!(e instanceof CogdeskError) || !/^Cannot read the input "/.test(e.message)) return e;
  const first = schema.inputs.find((f) => !f.isFile && f.required) ?? schema.inputs.find((f) => !f.isFile);
  const file = schema.inputs.find((f) => f.isFile || f.items?.isFile);
  const examples = [first ? `-i ${first.name}=${first.type === 'string' ? 'hello' : first.type === 'boolean' ? 'true' : first.type === 'integer' ? '2' : '0.5'}` : '', file ? `-i ${file.name}=@photo.jpg` : '']
    .filter(Boolean)
    .join(' ');
  return new CogdeskError({
    code: e.code,
    message: e.message,
    hint: `For example: cogdesk run ${image}${examples ? ` ${examples}` : ''}${file ? ' (key=@path sends a local file)' : ''}. Quote a value with spaces: -i "prompt=a red fox".`,
  });
}
