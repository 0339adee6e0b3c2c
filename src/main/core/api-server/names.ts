/**
 * Local model ids as the API shows them (src/shared/model-names.ts has the mapping: `127.0.0.1:5100/fixtures/echo`
 * is `fixtures/echo`, `localhost:5000/echo` is `local/echo`), and what a request's `version` names, through
 * the one resolver every command and the window use (library/resolve-name.ts).
 *
 * When two local models end up with the same name, an exact id match wins (the Replicate model);
 * otherwise the name is ambiguous and the API answers 409 naming both: use a version id instead.
 */
import type { Model, Version } from '../../../shared/domain';
import type { Core } from '../index';
import { apiModelString } from '../../../shared/model-names';
import { AmbiguousNameError, resolveLocalVersion } from '../library/resolve-name';
import { ApiProblem, notFound } from './problem';

export { apiModelName, apiModelString, type ApiModelName } from '../../../shared/model-names';

/** The local model an API `owner/name` stands for; 404 when none, 409 when several. */
export function findApiModel(models: readonly Model[], owner: string, name: string): Model {
  const wanted = `${owner}/${name}`;
  const exact = models.find((m) => m.id === wanted);
  if (exact) return exact;
  const matches = models.filter((m) => apiModelString(m.id) === wanted);
  if (matches.length === 1) return matches[0];
  if (matches.length === 0) {
    throw notFound(`No local model "${wanted}"`, `Pull it first (cogdesk pull <image>); GET /v1/models lists the local models.`);
  }
  throw new ApiProblem(409, 'Ambiguous model name', `"${wanted}" names ${matches.length} local models: ${matches.map((m) => m.id).join(', ')}`, {
    hint: 'Create the prediction with POST /v1/predictions and a 64-character version id instead.',
  });
}

const invalidVersion = (ref: string) =>
  new ApiProblem(422, 'Invalid version', `The specified version "${ref}" does not exist here`, {
    hint: 'Pull the model first (cogdesk pull <image>); GET /v1/models lists the local models and their versions.',
    invalid_fields: [{ type: 'invalid_version', field: 'version', description: `No local version "${ref}"` }],
  });

/**
 * The version a request's `version` names: a 64-hex id, `owner/name:id`, `owner/name` (its latest
 * version), and, as local extras, whatever else the resolver takes: a short version id, a model name
 * (`echo`), an image reference the library has (`127.0.0.1:5100/fixtures/echo:latest`). Anything unknown is
 * Replicate's 422 "Invalid version"; a name that fits several local models or versions is 409.
 */
export async function resolveApiVersion(core: Pick<Core, 'store'>, ref: string): Promise<Version> {
  const trimmed = ref.trim();
  let version: Version | null;
  try {
    version = resolveLocalVersion(core.store.library, trimmed);
  } catch (e) {
    if (e instanceof AmbiguousNameError) {
      throw new ApiProblem(409, 'Ambiguous version', e.message, { hint: 'Create the prediction with a 64-character version id instead.' });
    }
    throw e;
  }
  if (!version) throw invalidVersion(trimmed);
  return version;
}
