/**
 * Secret inputs (Cog's `Secret`: `format: password` / `x-cog-secret` in the schema) are kept only for the
 * run: the container gets the value, while the history, the local API, examples and the CLI see it masked
 * the way Replicate and Cog show it. A model that prints a secret gets it masked in the kept logs too.
 */
import type { VersionSchema } from '../../../shared/schema';

export const MASK = '**********';

/** The input with every secret field's value masked (missing or empty values are left as they are). */
export function maskSecretInputs(schema: VersionSchema, input: Record<string, unknown>): Record<string, unknown> {
  const out = { ...input };
  for (const field of schema.inputs) {
    if (!field.isSecret) continue;
    const v = out[field.name];
    if (v !== undefined && v !== null && v !== '') out[field.name] = MASK;
  }
  return out;
}

/** The secret values of an input, longest first (so a secret that contains another is masked whole). */
export function secretValues(schema: VersionSchema, input: Record<string, unknown>): string[] {
  const values = schema.inputs
    .filter((f) => f.isSecret)
    .map((f) => input[f.name])
    .filter((v): v is string => typeof v === 'string' && v.length >= 4 && v !== MASK);
  return [...new Set(values)].sort((a, b) => b.length - a.length);
}

/** Text (logs, an error) with every occurrence of a secret value masked. */
export function maskSecretText(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (out.includes(s)) out = out.split(s).join(MASK);
  return out;
}
