/**
 * A cloud prediction's output files, downloaded into the data folder (`outputs/<id>/`): Replicate deletes
 * an API prediction's outputs after an hour. A URL in the output on Replicate's file host (replicate.delivery
 * and its subdomains, or the API's own origin) is a file; any other URL (a model's text may name one) is
 * text, never fetched;
 * `data:` URIs are written as local outputs are. A URL Replicate no longer serves (404/410: older than an
 * hour) stays as it is, and the answer says so; a network failure throws, to be tried again.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { extensionFor, saveOutputFiles } from '../runner/outputs';

export interface DownloadResult {
  output: unknown;
  /** URLs Replicate no longer serves (kept in the output as they are). */
  gone: string[];
}

/** Whether a string of an output is one of Replicate's output files (`apiUrl`: the API in use). */
export function isOutputFileUrl(value: string, apiUrl: string): boolean {
  if (!/^https?:\/\/\S+$/.test(value)) return false;
  try {
    const url = new URL(value);
    return url.hostname === 'replicate.delivery' || url.hostname.endsWith('.replicate.delivery') || url.origin === new URL(apiUrl).origin;
  } catch {
    return false;
  }
}

export async function downloadOutputs(output: unknown, dir: string, apiUrl: string, fetchImpl: typeof fetch = fetch): Promise<DownloadResult> {
  const isFileUrl = (v: string) => isOutputFileUrl(v, apiUrl);
  const gone: string[] = [];
  let made = false;
  const walk = async (value: unknown, name: string): Promise<unknown> => {
    if (typeof value === 'string') {
      if (!isFileUrl(value)) return value;
      const res = await fetchImpl(value, { signal: AbortSignal.timeout(10 * 60_000) });
      if (res.status === 404 || res.status === 410 || res.status === 403) {
        gone.push(value);
        return value;
      }
      if (!res.ok) throw new Error(`downloading ${value} answered ${res.status}`);
      const bytes = Buffer.from(await res.arrayBuffer());
      if (!made) {
        await mkdir(dir, { recursive: true });
        made = true;
      }
      const fromUrl = extname(new URL(value).pathname).slice(1).toLowerCase();
      const ext = /^[a-z0-9]{1,8}$/.test(fromUrl) ? fromUrl : extensionFor(res.headers.get('content-type') ?? '');
      const file = join(dir, `${name}.${ext}`);
      await writeFile(file, bytes);
      return file;
    }
    if (Array.isArray(value)) {
      const out: unknown[] = [];
      for (let i = 0; i < value.length; i++) out.push(await walk(value[i], `${name}-${i}`));
      return out;
    }
    if (value && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[k] = await walk(v, `${name}-${k.replace(/[^\w.-]/g, '_')}`);
      return out;
    }
    return value;
  };
  const downloaded = await walk(output, 'output');
  return { output: await saveOutputFiles(downloaded, dir), gone };
}
