/**
 * Local files given as inputs (`key=@path` on the command line): only regular files. A named pipe would
 * block the read forever, a device never ends, a folder is no file; each is refused with what it is.
 */
import { constants } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { CogdeskError } from '../../../shared/errors';

/** What a file-system entry is, in words. */
function kindOf(s: Stats): string {
  if (s.isDirectory()) return 'a folder';
  if (s.isFIFO()) return 'a named pipe (FIFO)';
  if (s.isSocket()) return 'a socket';
  if (s.isCharacterDevice()) return 'a character device';
  if (s.isBlockDevice()) return 'a block device';
  return 'not a regular file';
}

const forField = (field?: string) => (field ? ` (given for input "${field}")` : '');

function notRegular(path: string, s: Stats, field?: string): CogdeskError {
  return new CogdeskError({
    code: 'bad_request',
    message: `${path}${forField(field)} is ${kindOf(s)}, not a file`,
    hint: s.isDirectory()
      ? 'Give a file, not a folder.'
      : 'Only regular files can be sent to a model: save the data to a file first and give its path.',
  });
}

/** The error for a path that cannot be read, said for a person. */
export function fileError(e: unknown, path: string, field?: string): CogdeskError {
  if (e instanceof CogdeskError) return e;
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') {
    return new CogdeskError(
      {
        code: 'file_not_found',
        message: `No file at ${path}${forField(field)}`,
        hint: `Check the path; a relative path is read from the current folder (${process.cwd()}).`,
      },
      { cause: e },
    );
  }
  return new CogdeskError(
    {
      code: 'bad_request',
      message: `Cannot read ${path}${forField(field)}: ${(e as Error).message}`,
      hint: code === 'EISDIR' ? 'Give a file, not a folder.' : 'Check that the file exists and you may read it.',
    },
    { cause: e },
  );
}

/** Throws unless `path` is a regular file (following links). Never opens it, so a FIFO cannot block. */
export async function assertRegularFile(path: string, field?: string): Promise<void> {
  let s: Stats;
  try {
    s = await stat(path);
  } catch (e) {
    throw fileError(e, path, field);
  }
  if (!s.isFile()) throw notRegular(path, s, field);
}

/**
 * Reads a regular file. It is opened without blocking (a FIFO with no writer would hold `open` forever)
 * and checked on the open handle, so a file swapped for a pipe after a check is still refused.
 */
export async function readRegularFile(path: string, field?: string): Promise<Buffer> {
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    throw fileError(e, path, field);
  }
  try {
    const s = await handle.stat();
    if (!s.isFile()) throw notRegular(path, s, field);
    return await handle.readFile();
  } catch (e) {
    throw fileError(e, path, field);
  } finally {
    await handle.close();
  }
}
