import { access } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { CogdeskError } from '../../../shared/errors';
import type { VersionSchema } from '../cog/schema';
import { fileToDataUri } from '../cog/input-parse';

const isRemote = (v: string) => /^(data:|https?:\/\/)/i.test(v);

/**
 * Local files given to file inputs: the database keeps the path a person gave, the container gets the
 * bytes as a data URI. URLs and data URIs pass through unchanged.
 */
export async function prepareInput(
  schema: VersionSchema,
  input: Record<string, unknown>,
): Promise<{ stored: Record<string, unknown>; sent: Record<string, unknown> }> {
  const stored: Record<string, unknown> = { ...input };
  const sent: Record<string, unknown> = { ...input };
  for (const field of schema.inputs) {
    const value = input[field.name];
    if (field.isFile && typeof value === 'string' && !isRemote(value)) {
      const path = await existingPath(value, field.name);
      stored[field.name] = path;
      sent[field.name] = await fileToDataUri(path);
    } else if (field.items?.isFile && Array.isArray(value)) {
      const paths = await Promise.all(value.map((v) => (typeof v === 'string' && !isRemote(v) ? existingPath(v, field.name) : v)));
      stored[field.name] = paths;
      sent[field.name] = await Promise.all(paths.map((p) => (typeof p === 'string' && !isRemote(p) ? fileToDataUri(p) : p)));
    }
  }
  return { stored, sent };
}

async function existingPath(value: string, field: string): Promise<string> {
  const path = isAbsolute(value) ? value : resolve(value.startsWith('@') ? value.slice(1) : value);
  try {
    await access(path);
  } catch {
    throw new CogdeskError({
      code: 'file_not_found',
      message: `The file for ${field} does not exist: ${path}`,
      hint: 'Give the path of an existing file, a data: URI, or an http(s) URL.',
      fields: [{ field, code: 'format', message: `${field}: no file at ${path}` }],
    });
  }
  return path;
}
