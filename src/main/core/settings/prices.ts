/**
 * Replicate's prices for the window and the CLI: the prices file of the settings when one is set (read
 * afresh each time, so editing the file refreshes them), else the table shipped with the app. A set file
 * that cannot be used is never skipped silently: the answer says why, beside the built-in table.
 */
import { readFileSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { CogdeskError } from '../../../shared/errors';
import { BUILTIN_PRICES, parsePriceTable, type PriceTable } from '../../../shared/prices';

/** Reads and checks a prices file; throws an Error saying what is wrong and what to write. */
export function readPricesFile(path: string): PriceTable {
  if (!isAbsolute(path)) throw new Error(`The prices file must be a full path (like /home/me/prices.json), not ${path}.`);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new Error(code === 'ENOENT' ? `The prices file ${path} does not exist.` : `The prices file ${path} cannot be read (${(e as Error).message}).`);
  }
  return parsePriceTable(text, path);
}

/** The prices in use; `problem` when the set file was not used. */
export function currentPrices(pricesFile: string): PriceTable & { problem?: string } {
  if (!pricesFile.trim()) return BUILTIN_PRICES;
  try {
    return readPricesFile(pricesFile.trim());
  } catch (e) {
    return { ...BUILTIN_PRICES, problem: `${(e as Error).message} Using the prices shipped with the app (${BUILTIN_PRICES.date}) instead.` };
  }
}

/** Checks a settings change of pricesFile before it is saved (empty: back to the built-in table). */
export function validatePricesFile(value: unknown): void {
  if (value === undefined) return;
  let message: string | null = null;
  if (typeof value !== 'string') message = 'pricesFile must be text: the full path of a JSON file, or empty for the prices shipped with the app';
  else if (value.trim()) {
    try {
      readPricesFile(value.trim());
    } catch (e) {
      message = `pricesFile: ${(e as Error).message}`;
    }
  }
  if (message) {
    throw new CogdeskError({
      code: 'bad_request',
      message: `Settings not saved: ${message}`,
      hint: 'Nothing was changed. A prices file holds {"date": "YYYY-MM-DD", "perSecond": {"gpu-t4": 0.000225, ...}}; fix it or leave the setting empty.',
      fields: [{ field: 'pricesFile', code: 'format', message }],
    });
  }
}
