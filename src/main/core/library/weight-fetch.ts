/**
 * Fetching one managed weight into the data folder: each layer streamed from the registry, its digest checked
 * while it is read, unpacked (tar, tar+gzip, tar+zstd) into a temporary folder; only when every layer matched
 * does the folder get the provider's ready marker (`.cog/ready`, specs/weights.md 3.2: what coglet waits for
 * before setup) and its final name, by rename. A canceled, failed or killed fetch never leaves a weight that
 * counts: its temporary folder is removed (or swept at the next fetch when the process was killed).
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import * as tar from 'tar';
import { CogdeskError } from '../../../shared/errors';
import type { ManagedWeight, WeightLayer } from '../docker/weight-manifests';
import type { RegistrySession } from '../docker/registry-session';

export interface FetchOptions {
  signal?: AbortSignal;
  /** Called with each chunk's size as it arrives. */
  onBytes?: (n: number) => void;
  /** How long a layer may send nothing before the fetch gives up (default 60 s). */
  stallMs?: number;
}

/** Fetches `weight` into `finalDir` (through a temporary folder under `tmpRoot`); a no-op when it is there. */
export async function fetchWeight(session: RegistrySession, weight: ManagedWeight, finalDir: string, tmpRoot: string, o: FetchOptions = {}): Promise<void> {
  await mkdir(tmpRoot, { recursive: true });
  const tmp = join(tmpRoot, `${process.pid}-${randomBytes(6).toString('hex')}`);
  await mkdir(tmp);
  try {
    for (const layer of weight.layers) await fetchLayer(session, weight, layer, tmp, o);
    await mkdir(join(tmp, '.cog'), { recursive: true });
    await writeFile(join(tmp, '.cog', 'ready'), `${weight.manifestDigest}\n`);
    await mkdir(join(finalDir, '..'), { recursive: true });
    try {
      await rename(tmp, finalDir);
    } catch (e) {
      // Another fetch of the same weight finished first: its copy is the same content.
      if (!['ENOTEMPTY', 'EEXIST'].includes((e as NodeJS.ErrnoException).code ?? '')) throw e;
    }
  } catch (e) {
    await rm(tmp, { recursive: true, force: true }).catch(() => undefined);
    if (o.signal?.aborted) throw canceled(weight, e);
    throw e;
  }
  await rm(tmp, { recursive: true, force: true }).catch(() => undefined);
}

async function fetchLayer(session: RegistrySession, weight: ManagedWeight, layer: WeightLayer, dir: string, o: FetchOptions): Promise<void> {
  if (o.signal?.aborted) throw canceled(weight);
  let res: Response;
  try {
    res = await session.openBlob(layer.digest, `weight "${weight.name}"`);
  } catch (e) {
    if (o.signal?.aborted) throw canceled(weight, e);
    throw e;
  }
  if (!res.body) throw mismatch(weight, layer, 'the registry sent no body');
  const hash = createHash('sha256');
  let read = 0;
  let stall: NodeJS.Timeout | undefined;
  const stallMs = o.stallMs ?? 60_000;
  const meter = new Transform({
    transform(chunk: Buffer, _enc: string, done: TransformCallback) {
      read += chunk.length;
      if (read > layer.size) return done(mismatch(weight, layer, `the registry sent more than its ${layer.size} bytes`));
      hash.update(chunk);
      o.onBytes?.(chunk.length);
      stall?.refresh();
      done(null, chunk);
    },
  });
  const refused: string[] = [];
  const extract = tar.x({
    cwd: dir,
    strict: true,
    preserveOwner: false,
    // Only regular files and folders (specs/weights.md 1.3): a link could point out of the weight's folder.
    filter: (path: string, entry: unknown) => {
      const type = (entry as { type?: string }).type ?? '';
      if (type === 'File' || type === 'OldFile' || type === 'ContiguousFile' || type === 'Directory') return true;
      refused.push(`${path} (${type})`);
      return false;
    },
  });
  const stages: NodeJS.ReadWriteStream[] = [];
  if (layer.compression === 'gzip') stages.push(zlib.createGunzip());
  if (layer.compression === 'zstd') stages.push(zstdStream(weight, layer));
  const source = Readable.fromWeb(res.body as import('node:stream/web').ReadableStream<Uint8Array>);
  const stalled = new AbortController();
  stall = setTimeout(() => stalled.abort(), stallMs);
  const signal = o.signal ? AbortSignal.any([o.signal, stalled.signal]) : stalled.signal;
  try {
    await pipeline([source, meter, ...stages, extract], { signal });
  } catch (e) {
    if (o.signal?.aborted) throw canceled(weight, e);
    if (e instanceof CogdeskError) throw e;
    if (stalled.signal.aborted) {
      throw new CogdeskError({
        code: 'pull_failed',
        message: `The registry stopped sending the weight "${weight.name}" (nothing for ${Math.round(stallMs / 1000)} s)`,
        hint: 'Check the network connection, then pull again.',
      });
    }
    const why = e instanceof Error ? e.message : String(e);
    if (/ENOSPC|EDQUOT/.test((e as NodeJS.ErrnoException).code ?? why)) {
      throw new CogdeskError({ code: 'disk_full', message: `No room for the weight "${weight.name}" in the data folder`, hint: 'Free some disk space, then pull again.' }, { cause: e });
    }
    throw mismatch(weight, layer, `it could not be unpacked (${why})`);
  } finally {
    clearTimeout(stall);
  }
  const got = `sha256:${hash.digest('hex')}`;
  if (read !== layer.size || got !== layer.digest) throw mismatch(weight, layer, `got ${read} bytes with digest ${got}`);
  if (refused.length) throw mismatch(weight, layer, `it holds what a weight may not (links or devices): ${refused.slice(0, 3).join(', ')}`);
}

function zstdStream(weight: ManagedWeight, layer: WeightLayer): NodeJS.ReadWriteStream {
  const make = (zlib as unknown as { createZstdDecompress?: () => NodeJS.ReadWriteStream }).createZstdDecompress;
  if (!make) {
    throw new CogdeskError({
      code: 'pull_failed',
      message: `The weight "${weight.name}" has a zstd layer (${layer.digest.slice(0, 19)}), and this build of Cogdesk cannot unpack zstd`,
      hint: 'Update Cogdesk (zstd needs Node 22.15 or later inside it).',
    });
  }
  return make();
}

function mismatch(weight: ManagedWeight, layer: WeightLayer, why: string): CogdeskError {
  return new CogdeskError({
    code: 'pull_failed',
    message: `A layer of the weight "${weight.name}" (${layer.digest.slice(0, 19)}, ${layer.size} bytes) is not what its manifest says: ${why}`,
    hint: 'Something between here and the registry changed it, or the push was broken: pull again; if it keeps failing, push the model again.',
  });
}

function canceled(weight: ManagedWeight, cause?: unknown): CogdeskError {
  return new CogdeskError(
    { code: 'pull_canceled', message: `Fetching the weight "${weight.name}" was canceled`, hint: 'Pull it again whenever you want it.' },
    { cause },
  );
}
