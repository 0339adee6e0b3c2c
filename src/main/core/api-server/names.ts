/**
 * Local model ids as the API shows them. Replicate names a model `owner/name`; a local model's id can be
 * an image repository with a registry host and any number of path segments
 * (`127.0.0.1:5100/fixtures/echo`, `ghcr.io/acme/team/upscaler`), which does not fit in
 * `/v1/models/{owner}/{name}`. The mapping:
 *
 * - a model from Replicate's registry keeps its name (`r8.im/stability-ai/sdxl` is `stability-ai/sdxl`);
 * - any other repository is named by its last two path segments, registry host dropped
 *   (`127.0.0.1:5100/fixtures/echo` is `fixtures/echo`, `ghcr.io/acme/team/upscaler` is `team/upscaler`,
 *   `docker.io/library/ubuntu` is `library/ubuntu`);
 * - a repository with a single path segment gets the owner `local` (`localhost:5000/echo` is `local/echo`).
 *
 * When two local models end up with the same name, an exact id match wins (the Replicate model);
 * otherwise the name is ambiguous and the API answers 409 naming both: use a version id instead.
 */
import type { Model, Version } from '../../../shared/domain';
import { CogdeskError } from '../../../shared/errors';
import type { Core } from '../index';
import { ApiProblem, notFound } from './problem';

export interface ApiModelName {
  owner: string;
  name: string;
}

const looksLikeHost = (segment: string) => segment.includes('.') || segment.includes(':') || segment === 'localhost';

/** The `owner/name` a local model id is shown as. */
export function apiModelName(modelId: string): ApiModelName {
  const segments = modelId.split('/').filter(Boolean);
  if (segments.length > 1 && looksLikeHost(segments[0])) segments.shift();
  const name = segments[segments.length - 1] ?? modelId;
  const owner = segments.length > 1 ? segments[segments.length - 2] : 'local';
  return { owner, name };
}

export const apiModelString = (modelId: string) => {
  const { owner, name } = apiModelName(modelId);
  return `${owner}/${name}`;
};

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

const HEX64 = /^[a-f0-9]{64}$/;
const OWNER_NAME = /^([^/\s:]+)\/([^/\s:]+)(?::(.+))?$/;

const invalidVersion = (ref: string, hint?: string) =>
  new ApiProblem(422, 'Invalid version', `The specified version "${ref}" does not exist here`, {
    hint: hint ?? 'Pull the model first (cogdesk pull <image>); GET /v1/models lists the local models and their versions.',
    invalid_fields: [{ type: 'invalid_version', field: 'version', description: `No local version "${ref}"` }],
  });

/**
 * The version a request's `version` names: a 64-hex id, `owner/name:id`, `owner/name` (its latest
 * version), or, as a local extra, an image reference the core knows (`127.0.0.1:5100/fixtures/echo:latest`).
 * Anything unknown is Replicate's 422 "Invalid version".
 */
export async function resolveApiVersion(core: Core, ref: string): Promise<Version> {
  const trimmed = ref.trim();
  const bare = trimmed.replace(/^sha256:/, '');
  if (HEX64.test(bare)) {
    const v = await core.getVersion(bare);
    if (!v) throw invalidVersion(trimmed);
    return v;
  }
  const m = OWNER_NAME.exec(trimmed);
  if (m) {
    let model: Model;
    try {
      model = findApiModel(await core.listModels(), m[1], m[2]);
    } catch (e) {
      if (e instanceof ApiProblem && e.status === 404) throw invalidVersion(trimmed);
      throw e;
    }
    const id = m[3]?.replace(/^sha256:/, '');
    if (id) {
      const v = await core.getVersion(id);
      if (!v || v.modelId !== model.id) throw invalidVersion(trimmed, `${m[1]}/${m[2]} has no version ${id}: GET /v1/models/${m[1]}/${m[2]}/versions lists them.`);
      return v;
    }
    if (!model.latestVersionId) throw invalidVersion(trimmed);
    const latest = await core.getVersion(model.latestVersionId);
    if (!latest) throw invalidVersion(trimmed);
    return latest;
  }
  try {
    return core.resolveVersion(trimmed);
  } catch (e) {
    if (e instanceof CogdeskError && e.code === 'not_found') throw invalidVersion(trimmed);
    throw e;
  }
}
