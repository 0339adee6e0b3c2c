import { createHash } from 'node:crypto';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export const APP_NAME = 'Cogdesk';

/**
 * The data folder: COGDESK_HOME when set, else the folder Electron gives the app as `userData`
 * (so the CLI and the window share one library).
 */
export function defaultHome(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.COGDESK_HOME) return resolve(env.COGDESK_HOME);
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', APP_NAME);
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), APP_NAME);
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), APP_NAME);
}

export interface HomePaths {
  home: string;
  database: string;
  outputs: string;
  /** Large inputs given as data URIs, kept as files (named by content hash). */
  inputs: string;
  /** Uploads through the local API's Files API (`POST /v1/files`). */
  apiFiles: string;
  /** Managed weights (Cog's `weights:`), fetched once and kept by digest, with a record per version. */
  weights: string;
  /** A short stable id of this home, put on containers so homes never touch each other's. */
  homeId: string;
}

export function homePaths(home: string): HomePaths {
  const abs = resolve(home);
  return {
    home: abs,
    database: join(abs, 'cogdesk.db'),
    outputs: join(abs, 'outputs'),
    inputs: join(abs, 'inputs'),
    apiFiles: join(abs, 'api-files'),
    weights: join(abs, 'weights'),
    homeId: createHash('sha256').update(abs).digest('hex').slice(0, 16),
  };
}
