/**
 * `cogdesk run -o PATH`, as `cog predict -o`: the output written to PATH. A file output is copied there; a
 * list of files goes to PATH with its index before the extension (`out.0.png`, `out.1.png`); text (streamed
 * tokens joined) is written as text, anything else as JSON.
 */
import { copyFile, stat, writeFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { CogdeskError } from '../../shared/errors';
import { formatOutput } from './format';

const isFile = async (p: unknown): Promise<boolean> =>
  typeof p === 'string' && p.startsWith('/') && (await stat(p).then((s) => s.isFile(), () => false));

const indexed = (path: string, i: number) => {
  const ext = extname(path);
  return `${path.slice(0, path.length - ext.length)}.${i}${ext}`;
};

/** Writes `output` to `path`; answers the paths written. */
export async function writeOutput(output: unknown, path: string): Promise<string[]> {
  const target = resolve(path);
  try {
    if (await isFile(output)) {
      await copyFile(output as string, target);
      return [target];
    }
    if (Array.isArray(output) && output.length > 0 && (await Promise.all(output.map(isFile))).every(Boolean)) {
      const written = output.map((_, i) => (output.length === 1 ? target : indexed(target, i)));
      for (const [i, file] of output.entries()) await copyFile(file as string, written[i]);
      return written;
    }
    const text = formatOutput(output);
    await writeFile(target, text.endsWith('\n') || text === '' ? text : `${text}\n`);
    return [target];
  } catch (e) {
    throw new CogdeskError({
      code: 'file_not_found',
      message: `Cannot write the output to ${target}: ${(e as Error).message}`,
      hint: 'Check that its folder exists and that you may write there. The output is kept in the history: cogdesk predictions show ID',
    });
  }
}
