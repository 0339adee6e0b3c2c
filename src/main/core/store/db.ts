import Database from 'better-sqlite3';
import { chmodSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, resolve } from 'node:path';
import { MIGRATIONS } from './migrations';

export type Db = Database.Database;

export interface OpenOptions {
  /** Path to a better-sqlite3 native build for another runtime (the Electron app ships its own). */
  nativeBinding?: string;
}

/**
 * Opens (creating if needed) the database file, in WAL mode, with every migration applied.
 * On a disk so full that SQLite cannot create its shared-memory file (`-shm`), it opens in exclusive
 * locking mode, which keeps the WAL index in memory: reads still work, and writes fail with SQLITE_FULL
 * (which callers turn into "the disk is full") instead of "disk I/O error" for everything.
 */
export function openDatabase(file: string, options: OpenOptions = {}): Db {
  if (file !== ':memory:') {
    const folder = dirname(file);
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    // The database holds every prediction and the webhook secret: only its owner may read the folder.
    try {
      if (resolve(folder) !== homedir()) chmodSync(folder, 0o700);
    } catch {
      // not ours to change (a folder the user shares on purpose): leave it as it is
    }
  }
  try {
    return configure(open(file, options), false);
  } catch (e) {
    if (!cannotMapSharedMemory(e)) throw e;
    return configure(open(file, options), true);
  }
}

function open(file: string, options: OpenOptions): Db {
  return new Database(file, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
}

/** SQLite's answers when the -shm file cannot be made or grown, as on a full disk. */
function cannotMapSharedMemory(e: unknown): boolean {
  const code = String((e as { code?: unknown } | null)?.code ?? '');
  return code === 'SQLITE_IOERR_SHMSIZE' || code === 'SQLITE_IOERR_SHMOPEN' || code === 'SQLITE_IOERR_SHMMAP' || code === 'SQLITE_FULL';
}

function configure(db: Db, exclusive: boolean): Db {
  try {
    if (exclusive) db.pragma('locking_mode = EXCLUSIVE');
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    migrate(db);
    return db;
  } catch (e) {
    db.close();
    throw e;
  }
}

export function migrate(db: Db): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new Error(
      `This data folder was written by a newer Cogdesk (schema ${current}, this build knows ${MIGRATIONS.length}). ` +
        'Update Cogdesk, or point COGDESK_HOME at another folder.',
    );
  }
  for (let n = current; n < MIGRATIONS.length; n++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[n]);
      db.pragma(`user_version = ${n + 1}`);
    })();
  }
  return MIGRATIONS.length;
}
