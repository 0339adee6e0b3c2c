import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { openStore, type Store } from '../../src/main/core/store';

export interface TempStore {
  /** The open store over a fresh database file. */
  store: Store;
  /** The database file. */
  file: string;
  /** Closes and opens the same file again (what a restart does). */
  reopen(): Store;
}

/** A fresh SQLite file for each test, opened through openStore, removed after the test. */
export function useTempStore(): TempStore {
  let dir = '';
  const t: TempStore = {
    store: undefined as unknown as Store,
    file: '',
    reopen() {
      t.store.close();
      t.store = openStore(t.file);
      return t.store;
    },
  };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cogdesk-store-'));
    t.file = join(dir, 'cogdesk.db');
    t.store = openStore(t.file);
  });
  afterEach(() => {
    t.store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return t;
}
