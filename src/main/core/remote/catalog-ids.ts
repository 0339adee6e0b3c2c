/**
 * The names the catalog puts into URL paths, checked first: `owner/name`, a collection slug, a version id.
 * A bad one is a bad request that says how to write it, never a request to Replicate.
 */
import { CogdeskError } from '../../../shared/errors';

const NAME = /^[a-z0-9](?:[a-z0-9._-]*[a-z0-9])?$/i;
const SLUG = /^[a-z0-9](?:[a-z0-9._-]*[a-z0-9])?$/i;
const VERSION_ID = /^[a-z0-9][a-z0-9._-]{0,127}$/i;

/** Splits `owner/name` and checks both parts (they go into URL paths). */
export function parseModelId(ref: string): { owner: string; name: string; id: string } {
  const m = /^([^/\s]+)\/([^/\s:@]+)$/.exec(ref.trim());
  if (!m || !NAME.test(m[1]) || !NAME.test(m[2])) {
    throw new CogdeskError({
      code: 'bad_request',
      message: `"${ref}" is not a Replicate model name`,
      hint: 'Write it as owner/name, like stability-ai/sdxl.',
    });
  }
  return { owner: m[1], name: m[2], id: `${m[1]}/${m[2]}` };
}

export function checkSlug(slug: string): string {
  if (!SLUG.test(slug)) {
    throw new CogdeskError({ code: 'bad_request', message: `"${slug}" is not a collection slug`, hint: 'List them with: cogdesk collections' });
  }
  return slug;
}

export function checkVersionId(id: string): string {
  if (!VERSION_ID.test(id)) {
    throw new CogdeskError({ code: 'bad_request', message: `"${id}" is not a version id`, hint: 'A version id is 64 hex characters.' });
  }
  return id;
}
