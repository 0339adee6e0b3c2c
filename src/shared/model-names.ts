/**
 * The short names a local model answers to besides its id. Replicate names a model `owner/name`; a local
 * model's id can be an image repository with a registry host and any number of path segments
 * (`127.0.0.1:5100/fixtures/echo`, `ghcr.io/acme/team/upscaler`), which does not fit in
 * `/v1/models/{owner}/{name}`. The mapping:
 *
 * - a model from Replicate's registry keeps its name (`r8.im/stability-ai/sdxl` is `stability-ai/sdxl`);
 * - any other repository is named by its last two path segments, registry host dropped
 *   (`127.0.0.1:5100/fixtures/echo` is `fixtures/echo`, `ghcr.io/acme/team/upscaler` is `team/upscaler`,
 *   `docker.io/library/ubuntu` is `library/ubuntu`);
 * - a repository with a single path segment gets the owner `local` (`localhost:5000/echo` is `local/echo`).
 */

export interface ApiModelName {
  owner: string;
  name: string;
}

const looksLikeHost = (segment: string) => segment.includes('.') || segment.includes(':') || segment === 'localhost';

/** The `owner/name` a local model id is shown as (the local API, and a name the resolver takes). */
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

/**
 * Whether `name` names the model `modelId`: its id, a tail of its id at a `/` (`echo`, `fixtures/echo`),
 * or its API name (`local/echo`).
 */
export function nameMatchesModel(name: string, modelId: string): boolean {
  return modelId === name || modelId.endsWith(`/${name}`) || apiModelString(modelId) === name;
}
