import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { MIGRATIONS } from './migrations';

export type Db = Database.Database;

export interface OpenOptions {
  /** Path to a better-sqlite3 native build for another runtime (the Electron app ships its own). */
  nativeBinding?: string;
}

/** Opens (creating if needed) the database file, in WAL mode, with every migration applied. */
export function openDatabase(file: string, options: OpenOptions = {}): Db {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  return db;
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
