/**
 * The names a local model goes by in code: `owner/name` on the local API (the mapping in
 * src/shared/model-names.ts, the same the local API uses), and on Replicate when the model came from
 * Replicate's registry.
 */
import { apiModelString } from '../../../shared/model-names';

const looksLikeHost = (segment: string) => segment.includes('.') || segment.includes(':') || segment === 'localhost';

/** `owner/name` as the local API shows a local model id (`127.0.0.1:5100/fixtures/echo` is `fixtures/echo`). */
export const localApiModel = apiModelString;

/**
 * The Replicate model a local model came from: its id is `owner/name` (no registry host) only when it was
 * pulled from Replicate's registry; null for any other image.
 */
export function replicateModel(modelId: string): string | null {
  const segments = modelId.split('/');
  return segments.length === 2 && segments.every(Boolean) && !looksLikeHost(segments[0]) ? modelId : null;
}
