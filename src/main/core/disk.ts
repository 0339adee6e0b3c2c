/**
 * What Cogdesk takes on disk: the database, output files (per model, through their prediction), uploaded
 * inputs, managed weights (the weights folder), and the local versions' images (as Docker reported their
 * size when they were registered).
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { DiskUsage } from '../../shared/domain';
import type { HomePaths } from './paths';
import type { Store } from './store';

async function folderBytes(dir: string): Promise<number> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  let total = 0;
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) total += await folderBytes(p);
    else if (e.isFile()) total += (await stat(p).catch(() => null))?.size ?? 0;
  }
  return total;
}

async function fileBytes(path: string): Promise<number> {
  return (await stat(path).catch(() => null))?.size ?? 0;
}

export async function diskUsage(paths: HomePaths, store: Store): Promise<DiskUsage> {
  const modelOf = new Map<string, string>();
  const models = new Map<string, { modelId: string; imagesBytes: number; outputsBytes: number; predictions: number }>();
  const entry = (modelId: string) => {
    let m = models.get(modelId);
    if (!m) models.set(modelId, (m = { modelId, imagesBytes: 0, outputsBytes: 0, predictions: 0 }));
    return m;
  };
  const rows = store.db.prepare('SELECT id, model_id FROM predictions').all() as Array<{ id: string; model_id: string }>;
  for (const r of rows) {
    modelOf.set(r.id, r.model_id);
    entry(r.model_id).predictions++;
  }

  let imagesBytes = 0;
  const seenImages = new Set<string>();
  for (const model of store.library.listModels()) {
    const m = entry(model.id);
    for (const v of store.library.listVersions(model.id)) {
      if (seenImages.has(v.imageId)) continue;
      seenImages.add(v.imageId);
      m.imagesBytes += v.sizeBytes ?? 0;
      imagesBytes += v.sizeBytes ?? 0;
    }
  }

  let outputsBytes = 0;
  const folders = await readdir(paths.outputs, { withFileTypes: true }).catch(() => []);
  for (const f of folders) {
    if (!f.isDirectory()) continue;
    const bytes = await folderBytes(join(paths.outputs, f.name));
    outputsBytes += bytes;
    const modelId = modelOf.get(f.name);
    if (modelId) entry(modelId).outputsBytes += bytes;
  }

  const databaseBytes =
    (await fileBytes(paths.database)) + (await fileBytes(`${paths.database}-wal`)) + (await fileBytes(`${paths.database}-shm`));
  return {
    dataDir: paths.home,
    databaseBytes,
    outputsBytes,
    inputsBytes: await folderBytes(paths.inputs),
    imagesBytes,
    weightsBytes: await folderBytes(paths.weights),
    models: [...models.values()].sort((a, b) => b.imagesBytes + b.outputsBytes - (a.imagesBytes + a.outputsBytes)),
  };
}
