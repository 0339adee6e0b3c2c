/**
 * The `cog predict` input syntax: `key=value` args, `key=@path` to send a local file, values coerced by the
 * field's type. Unknown keys are kept as strings so that validation names them.
 */
import { extname, resolve } from 'node:path';
import { CogdeskError } from '../../../shared/errors';
import { assertRegularFile, fileError, readRegularFile } from './local-file';
import type { FieldType, InputField, VersionSchema } from '../../../shared/schema';

export type ReadFile = (path: string, field?: string) => Promise<{ bytes: Buffer; mime: string }>;

const MIME: Record<string, string> = {
  png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', gif: 'image/gif', webp: 'image/webp',
  bmp: 'image/bmp', tif: 'image/tiff', tiff: 'image/tiff', svg: 'image/svg+xml', ico: 'image/x-icon',
  heic: 'image/heic', avif: 'image/avif',
  mp3: 'audio/mpeg', wav: 'audio/wav', ogg: 'audio/ogg', oga: 'audio/ogg', flac: 'audio/flac',
  m4a: 'audio/mp4', aac: 'audio/aac', opus: 'audio/opus', weba: 'audio/webm',
  mp4: 'video/mp4', m4v: 'video/mp4', webm: 'video/webm', mov: 'video/quicktime', mkv: 'video/x-matroska',
  avi: 'video/x-msvideo',
  txt: 'text/plain', md: 'text/markdown', csv: 'text/csv', tsv: 'text/tab-separated-values',
  html: 'text/html', htm: 'text/html', xml: 'application/xml', json: 'application/json',
  jsonl: 'application/jsonl', yaml: 'application/yaml', yml: 'application/yaml', pdf: 'application/pdf',
  zip: 'application/zip', tar: 'application/x-tar', gz: 'application/gzip',
};

/** The MIME type for a file name, from its extension; application/octet-stream when unknown. */
export function mimeForPath(path: string): string {
  return MIME[extname(path).slice(1).toLowerCase()] ?? 'application/octet-stream';
}

/** The default `readFile` for parseInputArgs: a regular file of the local file system (never a FIFO or device). */
export async function readLocalFile(path: string, field?: string): Promise<{ bytes: Buffer; mime: string }> {
  return { bytes: await readRegularFile(path, field), mime: mimeForPath(path) };
}

/** A marker reader: parseInputArgs keeps `@path` as a path instead of reading it. */
const keepPath: ReadFile = async () => {
  throw new Error('keepPath is a marker, never called');
};

/** A local file as a `data:<mime>;base64,...` URI, which Cog accepts for file inputs. */
export async function fileToDataUri(path: string, field?: string): Promise<string> {
  return readAsDataUri(path, field, readLocalFile);
}

async function readAsDataUri(path: string, field: string | undefined, readFile: ReadFile): Promise<string> {
  try {
    const { bytes, mime } = await readFile(path, field);
    return `data:${mime};base64,${bytes.toString('base64')}`;
  } catch (e) {
    throw fileError(e, path, field);
  }
}

/**
 * Turns `key=value` args into an input object. `key=@path` reads a local file for a file field; repeated keys
 * append to an array field (or give a JSON array); object fields take JSON; booleans take true/false/1/0.
 */
export async function parseInputArgs(
  args: string[],
  schema: VersionSchema,
  readFile: ReadFile = readLocalFile,
  options: { keepPaths?: boolean } = {},
): Promise<Record<string, unknown>> {
  // keepPaths: `@path` becomes the absolute path; the engine records it and sends the bytes itself.
  if (options.keepPaths) readFile = keepPath;
  const fields = new Map(schema.inputs.map((f) => [f.name, f]));
  const input: Record<string, unknown> = {};
  for (const arg of args) {
    const eq = arg.indexOf('=');
    const key = eq > 0 ? arg.slice(0, eq).trim() : '';
    if (!key) throw badArg(arg, schema);
    const raw = arg.slice(eq + 1);
    const field = fields.get(key);
    if (!field) {
      input[key] = raw; // validation reports it, with the names this model takes
    } else if (field.type === 'array') {
      const before = Array.isArray(input[key]) ? (input[key] as unknown[]) : [];
      input[key] = [...before, ...(await arrayValues(raw, field, readFile))];
    } else {
      input[key] = await coerce(raw, field.type, field.isFile, field.nullable, key, readFile);
    }
  }
  return input;
}

async function arrayValues(raw: string, field: InputField, readFile: ReadFile): Promise<unknown[]> {
  const item = field.items ?? { type: 'unknown' as FieldType, isFile: false };
  let values: unknown[] = [raw];
  if (raw.trim().startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(raw);
      if (Array.isArray(parsed)) values = parsed;
    } catch {
      // not JSON: one value that happens to start with "["
    }
  }
  return Promise.all(
    values.map((v) => (typeof v === 'string' ? coerce(v, item.type, item.isFile, false, field.name, readFile) : v)),
  );
}

async function coerce(
  raw: string,
  type: FieldType,
  isFile: boolean,
  nullable: boolean,
  field: string,
  readFile: ReadFile,
): Promise<unknown> {
  if (isFile && raw.startsWith('@')) {
    const path = raw.slice(1);
    if (path.trim() === '') {
      // resolve('') is the current folder: never send that by accident.
      throw new CogdeskError({
        code: 'bad_request',
        message: `Input "${field}=@" names no file: give a path after @`,
        hint: `For example: ${field}=@photo.jpg (a relative path is read from the current folder).`,
      });
    }
    if (readFile !== keepPath) return readAsDataUri(path, field, readFile);
    await assertRegularFile(resolve(path), field);
    return resolve(path);
  }
  if (nullable && type !== 'string' && raw === 'null') return null;
  const text = raw.trim();
  switch (type) {
    case 'integer':
      // A number too large for a double (1e309) becomes Infinity, which validation calls out of range.
      return /^[+-]?\d+$/.test(text) || overflows(text) ? Number(text) : raw;
    case 'number':
      return text !== '' && (Number.isFinite(Number(text)) || overflows(text)) ? Number(text) : raw;
    case 'boolean': {
      const lower = text.toLowerCase();
      return lower === 'true' || lower === '1' ? true : lower === 'false' || lower === '0' ? false : raw;
    }
    case 'object':
      try {
        return JSON.parse(text) as unknown;
      } catch {
        return raw; // validation says it must be an object
      }
    default:
      return raw;
  }
}

/** A decimal number literal (not the word Infinity) whose value is out of a double's range. */
function overflows(text: string): boolean {
  return /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(text) && !Number.isFinite(Number(text));
}

function badArg(arg: string, schema: VersionSchema): CogdeskError {
  const sample: Record<FieldType, string> = {
    string: 'hello', integer: '2', number: '0.5', boolean: 'true', array: 'a', object: '{"a":1}', unknown: 'x',
  };
  // Only this model's own inputs: a file example only for a model that takes a file.
  const first = schema.inputs.find((f) => !f.isFile && f.required) ?? schema.inputs.find((f) => !f.isFile);
  const file = schema.inputs.find((f) => f.isFile || f.items?.isFile);
  const text = schema.inputs.find((f) => f.type === 'string' && !f.isFile);
  const examples = [first ? `-i ${first.name}=${sample[first.type]}` : '', file ? `-i ${file.name}=@photo.jpg` : ''].filter(Boolean);
  return new CogdeskError({
    code: 'bad_request',
    message: `Cannot read the input "${arg}": write each input as key=value.`,
    hint: [
      examples.length ? `For example: ${examples.join(' ')}${file ? ' (NAME=@path sends a local file)' : ''}.` : 'This model takes no inputs.',
      text ? `Quote a value with spaces: -i "${text.name}=a red fox".` : '',
    ]
      .filter(Boolean)
      .join(' '),
  });
}
