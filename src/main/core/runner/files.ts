/**
 * Files of a prediction for the window, which cannot read local paths: an output file (under
 * `outputs/<prediction id>/`) or an uploaded input kept under `inputs/`, read as a data: URI. Only paths the
 * prediction itself refers to, and only inside those folders (symbolic links resolved), are ever read.
 */
import { readFile, realpath, rm, stat } from 'node:fs/promises';
import { basename, join, sep } from 'node:path';
import type { Prediction, PredictionFile } from '../../../shared/domain';
import { CogdeskError } from '../../../shared/errors';
import { mimeForPath } from '../cog/input-parse';
import type { HomePaths } from '../paths';

/** Larger files are not sent through the contract as data URIs. */
export const MAX_PREDICTION_FILE_BYTES = 100 * 1024 * 1024;

/** Every string anywhere in a value (an input or output). */
function strings(value: unknown, out: Set<string> = new Set()): Set<string> {
  if (typeof value === 'string') out.add(value);
  else if (Array.isArray(value)) for (const v of value) strings(v, out);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) strings(v, out);
  return out;
}

async function within(path: string, folder: string): Promise<boolean> {
  const root = await realpath(folder).catch(() => null);
  if (!root) return false;
  return path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);
}

/**
 * The real path of a file a prediction refers to (in its output: under `outputs/<id>/`; in its input:
 * under `inputs/`), checked: anything else, links out of those folders included, is refused.
 */
export async function resolvePredictionFile(paths: HomePaths, prediction: Prediction, path: string): Promise<string> {
  const refused = (why: string) =>
    new CogdeskError({
      code: 'bad_request',
      message: `Cannot show ${path}: ${why}`,
      hint: 'Only the output files of a prediction and the files uploaded for it can be shown.',
    });
  if (typeof path !== 'string' || !path) throw refused('no path');
  const inOutput = strings(prediction.output).has(path);
  const inInput = strings(prediction.input).has(path);
  if (!inOutput && !inInput) throw refused(`prediction ${prediction.id} does not refer to it`);

  const real = await realpath(path).catch(() => null);
  if (!real) {
    throw new CogdeskError({
      code: 'file_not_found',
      message: `The file ${path} is gone`,
      hint: 'It was removed from the data folder; run the prediction again to get it back.',
    });
  }
  const allowed =
    (inOutput && (await within(real, join(paths.outputs, prediction.id)))) || (inInput && (await within(real, paths.inputs)));
  if (!allowed) throw refused("it is not in this prediction's outputs folder or the uploaded inputs");
  if (!(await stat(real)).isFile()) throw refused('it is not a file');
  return real;
}

export async function readPredictionFile(paths: HomePaths, prediction: Prediction, path: string, maxBytes = MAX_PREDICTION_FILE_BYTES): Promise<PredictionFile> {
  const real = await resolvePredictionFile(paths, prediction, path);
  const info = await stat(real);
  const limit = Math.min(MAX_PREDICTION_FILE_BYTES, Number.isFinite(maxBytes) && maxBytes >= 0 ? maxBytes : MAX_PREDICTION_FILE_BYTES);
  if (info.size > limit) {
    const size = info.size >= 1024 * 1024 ? `${(info.size / 1024 / 1024).toFixed(1)} MiB` : `${Math.ceil(info.size / 1024)} KiB`;
    throw new CogdeskError({
      code: 'bad_request',
      message: `${basename(path)} is too large to show here (${size})`,
      hint: `Open it from the data folder: ${path}`,
    });
  }
  const mime = mimeForPath(real);
  const bytes = await readFile(real);
  return { path, name: basename(path), mime, sizeBytes: info.size, dataUri: `data:${mime};base64,${bytes.toString('base64')}` };
}

/** Removes a prediction's outputs folder; a folder that is not there is fine. */
export async function removeOutputFiles(paths: HomePaths, predictionId: string): Promise<void> {
  if (!/^[a-z0-9]+$/i.test(predictionId)) return;
  await rm(join(paths.outputs, predictionId), { recursive: true, force: true });
}
