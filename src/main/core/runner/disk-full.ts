/**
 * A full disk, said the way a person can act on: how much is free, and where. Used when a prediction's
 * output or its record cannot be written.
 */
import { statfs } from 'node:fs/promises';
import { CogdeskError, isDiskFullError } from '../../../shared/errors';

export { isDiskFullError };

/** Free bytes for an unprivileged writer on the file system that holds `folder`; null when unknown. */
export async function freeBytes(folder: string): Promise<number | null> {
  try {
    const s = await statfs(folder);
    return Number(s.bavail) * Number(s.bsize);
  } catch {
    return null;
  }
}

export async function diskFullError(folder: string, cause?: unknown): Promise<CogdeskError> {
  const free = await freeBytes(folder);
  const mb = free === null ? 'no space' : `${(free / 1024 / 1024).toFixed(free < 10 * 1024 * 1024 ? 1 : 0)} MB free`;
  return new CogdeskError(
    {
      code: 'disk_full',
      message: `The disk is full (${mb} at ${folder})`,
      hint: 'Free some space on that disk (or set COGDESK_HOME to a folder on a larger one) and run it again. Its input and logs are kept.',
    },
    { cause },
  );
}
