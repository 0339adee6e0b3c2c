import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../../../src/main/core/store';
import { MIGRATIONS } from '../../../src/main/core/store/migrations';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cogdesk-store-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Opens the file with better-sqlite3 directly, runs `fn`, closes it. */
function raw<T>(file: string, fn: (db: Database.Database) => T): T {
  const db = new Database(file);
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

const tables = (db: Database.Database) =>
  (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as Array<{ name: string }>).map((r) => r.name);

describe('migrations', () => {
  it('a fresh file gets every migration: user_version = MIGRATIONS.length and the tables exist', () => {
    // A folder that does not exist yet: openStore creates it.
    const file = join(dir, 'nested', 'home', 'cogdesk.db');
    const store = openStore(file);
    try {
      expect(MIGRATIONS.length).toBeGreaterThan(0);
      expect(store.db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
      expect(tables(store.db)).toEqual(expect.arrayContaining(['examples', 'models', 'predictions', 'settings', 'versions']));
      const indexes = (store.db.prepare("SELECT name FROM sqlite_master WHERE type = 'index'").all() as Array<{ name: string }>).map((r) => r.name);
      expect(indexes).toContain('examples_one_default');
    } finally {
      store.close();
    }
    expect(existsSync(file)).toBe(true);
    expect(raw(file, (db) => db.pragma('user_version', { simple: true }))).toBe(MIGRATIONS.length);
  });

  it('reopening keeps the data and runs no migration again', () => {
    const file = join(dir, 'cogdesk.db');
    const first = openStore(file);
    const p = first.predictions.create({ modelId: 'm', versionId: 'v', input: { a: 1 }, source: 'cli' });
    first.close();

    // Running migration 1 again would fail (CREATE TABLE on existing tables) or lose nothing silently:
    // the reopen must succeed, keep the row and leave user_version alone.
    const second = openStore(file);
    try {
      expect(second.db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
      expect(second.predictions.get(p.id)?.input).toEqual({ a: 1 });
    } finally {
      second.close();
    }
  });

  it('trusts user_version: a file already at the latest version gets no migration run', () => {
    const file = join(dir, 'cogdesk.db');
    raw(file, (db) => db.pragma(`user_version = ${MIGRATIONS.length}`));
    const store = openStore(file);
    try {
      // Had migration 1 run, the tables would be there.
      expect(tables(store.db)).not.toContain('predictions');
      expect(store.db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    } finally {
      store.close();
    }
  });

  it('a migration that fails is rolled back whole and user_version stays where it was', () => {
    const file = join(dir, 'cogdesk.db');
    // A table in the way of migration 1's last CREATE TABLE (settings): the tables it made before fail with it.
    raw(file, (db) => db.exec('CREATE TABLE settings (x INTEGER)'));
    expect(() => openStore(file)).toThrow(/settings/);
    raw(file, (db) => {
      expect(db.pragma('user_version', { simple: true })).toBe(0);
      // Nothing migration 1 created before the failure (models, versions, ...) may be left behind.
      expect(tables(db)).toEqual(['settings']);
    });
  });

  it('a file written by a newer Cogdesk is refused with what to do, and left untouched', () => {
    const file = join(dir, 'cogdesk.db');
    const newer = MIGRATIONS.length + 3;
    raw(file, (db) => db.pragma(`user_version = ${newer}`));
    let error: unknown;
    try {
      openStore(file).close();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(Error);
    const message = (error as Error).message;
    expect(message).toMatch(/newer Cogdesk/);
    expect(message).toContain(String(newer));
    expect(message).toContain(String(MIGRATIONS.length));
    expect(message).toMatch(/Update Cogdesk/);
    expect(message).toMatch(/COGDESK_HOME/);
    raw(file, (db) => {
      expect(db.pragma('user_version', { simple: true })).toBe(newer);
      expect(tables(db)).toEqual([]);
    });
  });

  it('opens in WAL mode (persisted in the file) with foreign keys on', () => {
    const file = join(dir, 'cogdesk.db');
    const store = openStore(file);
    try {
      expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(store.db.pragma('foreign_keys', { simple: true })).toBe(1);
    } finally {
      store.close();
    }
    // WAL is a property of the file: a plain connection sees it too.
    expect(raw(file, (db) => db.pragma('journal_mode', { simple: true }))).toBe('wal');
  });
});
