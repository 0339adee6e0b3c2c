import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const EXTENSIONS: Record<string, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/webp': 'webp',
  'image/gif': 'gif',
  'image/svg+xml': 'svg',
  'audio/wav': 'wav',
  'audio/x-wav': 'wav',
  'audio/mpeg': 'mp3',
  'audio/ogg': 'ogg',
  'audio/flac': 'flac',
  'video/mp4': 'mp4',
  'video/webm': 'webm',
  'text/plain': 'txt',
  'application/json': 'json',
  'application/zip': 'zip',
  'application/octet-stream': 'bin',
};

interface DataUri {
  mime: string;
  bytes: Buffer;
}

/** A file extension for a MIME type (`bin` when unknown). */
export function extensionFor(mime: string): string {
  return EXTENSIONS[mime.split(';')[0]] ?? 'bin';
}

export function parseDataUri(value: string): DataUri | null {
  const m = /^data:([^;,]*)((?:;[^;,]*)*?)(;base64)?,(.*)$/s.exec(value);
  if (!m) return null;
  const mime = (m[1] || 'text/plain').toLowerCase();
  const bytes = m[3] ? Buffer.from(m[4], 'base64') : Buffer.from(decodeURIComponent(m[4]), 'utf8');
  return { mime, bytes };
}

/**
 * Replaces every `data:` URI in a prediction's output with a file written under `dir`, named after
 * where it sits in the output (`output.txt`, `output-0.png`, `output-files-1.png`), so writing the
 * same output twice (live, then final) writes the same files. Everything else is kept as it is.
 */
export async function saveOutputFiles(output: unknown, dir: string): Promise<unknown> {
  let made = false;
  const walk = async (value: unknown, name: string): Promise<unknown> => {
    if (typeof value === 'string') {
      if (!value.startsWith('data:')) return value;
      const uri = parseDataUri(value);
      if (!uri) return value;
      if (!made) {
        await mkdir(dir, { recursive: true });
        made = true;
      }
      const file = join(dir, `${name}.${extensionFor(uri.mime)}`);
      await writeFile(file, uri.bytes);
      return file;
    }
    if (Array.isArray(value)) return Promise.all(value.map((v, i) => walk(v, `${name}-${i}`)));
    if (value && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[k] = await walk(v, `${name}-${k.replace(/[^\w.-]/g, '_')}`);
      return out;
    }
    return value;
  };
  return walk(output, 'output');
}
