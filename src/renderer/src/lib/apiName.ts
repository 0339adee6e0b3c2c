/**
 * The names a local model goes by in code: `owner/name` on the local API (the same mapping as
 * src/main/core/api-server/names.ts, which the renderer may not import; test/unit/renderer/code.test.ts
 * checks the two agree), and on Replicate when the model came from Replicate's registry.
 */

const looksLikeHost = (segment: string) => segment.includes('.') || segment.includes(':') || segment === 'localhost';

/** `owner/name` as the local API shows a local model id (`127.0.0.1:5100/fixtures/echo` is `fixtures/echo`). */
export function localApiModel(modelId: string): string {
  const segments = modelId.split('/').filter(Boolean);
  if (segments.length > 1 && looksLikeHost(segments[0])) segments.shift();
  const name = segments[segments.length - 1] ?? modelId;
  const owner = segments.length > 1 ? segments[segments.length - 2] : 'local';
  return `${owner}/${name}`;
}

/**
 * The Replicate model a local model came from: its id is `owner/name` (no registry host) only when it was
 * pulled from Replicate's registry; null for any other image.
 */
export function replicateModel(modelId: string): string | null {
  const segments = modelId.split('/');
  return segments.length === 2 && segments.every(Boolean) && !looksLikeHost(segments[0]) ? modelId : null;
}
