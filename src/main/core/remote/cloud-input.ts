/**
 * A prediction's input as sent to Replicate: its files (a local path, or a `data:` URI) go as data URIs
 * when they are small together (Replicate recommends data URLs up to 256 KB), else as Files the official
 * client uploads through the files API (`fileEncodingStrategy: 'upload'`). The data URIs are written here,
 * as the client writes them (`data:<type>;base64,...`): its own 'data-uri' strategy is broken in 1.4.0
 * (transformFileInputs passes the client itself as the input, so the client object, token included, would
 * be sent as the prediction's input). From the window or
 * the local API only files Cogdesk keeps for predictions may be read (as for a local run); the CLI may name
 * any file of the person's.
 */
import { readFile, realpath, stat } from 'node:fs/promises';
import { basename, isAbsolute, sep } from 'node:path';
import { CogdeskError } from '../../../shared/errors';
import { mimeForPath } from '../cog/input-parse';
import { extensionFor, parseDataUri } from '../runner/outputs';

/** Files up to this size in all go as data URIs; larger ones are uploaded (replicate-api.md). */
export const DATA_URI_LIMIT = 256 * 1024;

export interface CloudInput {
  input: Record<string, unknown>;
  /** 'upload' always: small files are data URIs already (see above). */
  strategy: 'upload';
  /** Whether the files went as data URIs (else as Files to upload). */
  inline: boolean;
  /** How many files, and their bytes together. */
  files: number;
  bytes: number;
}

/**
 * `roots`: the folders a path may be under (real paths); undefined allows any file (the CLI).
 * Strings that are neither an existing absolute path nor a `data:` URI are sent as they are (text, URLs).
 */
export async function toCloudInput(input: Record<string, unknown>, roots: string[] | undefined): Promise<CloudInput> {
  let files = 0;
  let bytes = 0;
  // First every file as a File; then, when they are small together, each as a data URI.
  const convert = async (value: unknown, field: string): Promise<unknown> => {
    if (Array.isArray(value)) return Promise.all(value.map((v) => convert(v, field)));
    if (typeof value !== 'string') return value;
    if (value.startsWith('data:')) {
      const uri = parseDataUri(value);
      if (!uri) return value;
      files++;
      bytes += uri.bytes.length;
      return new File([uri.bytes], `${field}.${extensionFor(uri.mime)}`, { type: uri.mime });
    }
    if (!isAbsolute(value) || value.includes('\n')) return value;
    const info = await stat(value).catch(() => null);
    if (!info?.isFile()) return value;
    const real = await realpath(value);
    if (roots && !roots.some((r) => real === r || real.startsWith(r + sep))) {
      throw new CogdeskError({
        code: 'input_invalid',
        message: `The input "${field}" names a file Cogdesk does not keep for predictions (${value})`,
        hint: 'Give the file itself (upload it, or send it as a data: URI), or run it from the command line.',
      });
    }
    files++;
    bytes += info.size;
    return new File([await readFile(real)], basename(real), { type: mimeForPath(real) });
  };
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(input)) out[k] = await convert(v, k);
  const inline = bytes <= DATA_URI_LIMIT;
  if (inline) for (const [k, v] of Object.entries(out)) out[k] = await inlineFiles(v);
  return { input: out, strategy: 'upload', inline, files, bytes };
}

async function inlineFiles(value: unknown): Promise<unknown> {
  if (Array.isArray(value)) return Promise.all(value.map(inlineFiles));
  if (!(value instanceof Blob)) return value;
  return `data:${value.type || 'application/octet-stream'};base64,${Buffer.from(await value.arrayBuffer()).toString('base64')}`;
}
