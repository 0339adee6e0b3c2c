import { createHash } from 'node:crypto';
import { mkdir, realpath, writeFile } from 'node:fs/promises';
import { isAbsolute, join, resolve, sep } from 'node:path';
import { CogdeskError } from '../../../shared/errors';
import type { VersionSchema } from '../../../shared/schema';
import { fileToDataUri } from '../cog/input-parse';
import type { HomePaths } from '../paths';
import { extensionFor, parseDataUri } from './outputs';

const isRemote = (v: string) => /^(data:|https?:\/\/)/i.test(v);

/** Data URIs up to this size stay in the database as they are; larger ones become files. */
const INLINE_DATA_URI_MAX = 4096;

/**
 * File inputs. A local path: the database keeps the path a person gave, the container gets the bytes as a
 * data URI. A large data URI (an API client's upload): its bytes are written once under `inputsDir`
 * (named by their hash) and the database keeps that path, never the base64. URLs pass through unchanged.
 */
export async function prepareInput(
  schema: VersionSchema,
  input: Record<string, unknown>,
  inputsDir: string,
  /** Folders local paths may come from; undefined allows any (the CLI, run by the person themself). */
  allowedRoots?: string[],
): Promise<{ stored: Record<string, unknown>; sent: Record<string, unknown> }> {
  const stored: Record<string, unknown> = { ...input };
  const sent: Record<string, unknown> = { ...input };
  const one = async (v: unknown, field: string): Promise<{ stored: unknown; sent: unknown }> => {
    if (typeof v !== 'string') return { stored: v, sent: v };
    if (!isRemote(v)) {
      const path = await existingPath(v, field, allowedRoots);
      return { stored: path, sent: await fileToDataUri(path) };
    }
    if (v.startsWith('data:') && v.length > INLINE_DATA_URI_MAX) return { stored: await saveDataUri(v, inputsDir), sent: v };
    return { stored: v, sent: v };
  };
  for (const field of schema.inputs) {
    const value = input[field.name];
    if (field.isFile && typeof value === 'string') {
      ({ stored: stored[field.name], sent: sent[field.name] } = await one(value, field.name));
    } else if (field.items?.isFile && Array.isArray(value)) {
      const both = await Promise.all(value.map((v) => one(v, field.name)));
      stored[field.name] = both.map((b) => b.stored);
      sent[field.name] = both.map((b) => b.sent);
    }
  }
  return { stored, sent };
}

async function saveDataUri(uri: string, dir: string): Promise<string> {
  const parsed = parseDataUri(uri);
  if (!parsed) return uri;
  const name = createHash('sha256').update(parsed.bytes).digest('hex').slice(0, 32);
  const path = join(dir, `${name}.${extensionFor(parsed.mime)}`);
  await mkdir(dir, { recursive: true });
  await writeFile(path, parsed.bytes);
  return path;
}

async function existingPath(value: string, field: string, allowedRoots?: string[]): Promise<string> {
  const path = isAbsolute(value) ? value : resolve(value.startsWith('@') ? value.slice(1) : value);
  let real: string;
  try {
    real = await realpath(path);
  } catch {
    throw new CogdeskError({
      code: 'file_not_found',
      message: `The file for ${field} does not exist: ${path}`,
      hint: 'Give the path of an existing file, a data: URI, or an http(s) URL.',
      fields: [{ field, code: 'format', message: `${field}: no file at ${path}` }],
    });
  }
  // The window and the local API may only name files Cogdesk itself keeps: a caller that is not the
  // person at the command line must not be able to send any readable file on this machine to a model.
  if (allowedRoots && !allowedRoots.some((root) => real === root || real.startsWith(root + sep))) {
    throw new CogdeskError({
      code: 'bad_request',
      message: `${field}: a local file path is only accepted from the command line`,
      hint: "Send the file's contents instead (a data: URI, or an upload), or a URL.",
      fields: [{ field, code: 'format', message: `${field}: send the file itself, not a path on this machine` }],
    });
  }
  return path;
}

/**
 * The input as validation sees it without reading any file: a local path given for a file field (which
 * prepareInput would turn into a data URI) stands in as an empty data URI.
 */
export function inputForCheck(schema: VersionSchema, input: Record<string, unknown>): Record<string, unknown> {
  if (!input || typeof input !== 'object' || Array.isArray(input)) return input;
  const out: Record<string, unknown> = { ...input };
  const placeholder = (v: unknown) => (typeof v === 'string' && v.trim() !== '' && !isRemote(v) ? 'data:,' : v);
  for (const field of schema.inputs) {
    const value = input[field.name];
    if (field.isFile) out[field.name] = placeholder(value);
    else if (field.items?.isFile && Array.isArray(value)) out[field.name] = value.map(placeholder);
  }
  return out;
}

/** The folders a file input from the window or the local API may come from (real paths). */
export async function inputRoots(paths: HomePaths): Promise<string[]> {
  const folders = [paths.inputs, paths.apiFiles, paths.outputs];
  return Promise.all(folders.map((f) => realpath(f).catch(() => f)));
}
