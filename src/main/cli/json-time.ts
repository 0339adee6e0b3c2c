/**
 * The one timestamp format of every `--json`: ISO 8601 in UTC with milliseconds (`2026-12-06T04:18:40.584Z`),
 * as Replicate's API and the local API write them. A value that is not a date stays as it is.
 */
export function iso(at: string): string;
export function iso(at: string | null): string | null;
export function iso(at: string | null): string | null {
  if (!at) return at;
  const t = Date.parse(at);
  return Number.isNaN(t) ? at : new Date(t).toISOString();
}
