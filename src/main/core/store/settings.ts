import { DEFAULT_SETTINGS, type Settings } from '../../../shared/domain';
import type { Db } from './db';

/** Settings as key/value rows; unknown keys are ignored, missing ones take the defaults. */
export class SettingsStore {
  constructor(private readonly db: Db) {}

  get(): Settings {
    const rows = this.db.prepare('SELECT key, value FROM settings').all() as Array<{ key: string; value: string }>;
    const settings: Settings = { ...DEFAULT_SETTINGS };
    for (const { key, value } of rows) {
      if (Object.hasOwn(DEFAULT_SETTINGS, key)) (settings as unknown as Record<string, unknown>)[key] = JSON.parse(value);
    }
    return settings;
  }

  update(patch: Partial<Settings>): Settings {
    const put = this.db.prepare(
      'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
    );
    this.db.transaction(() => {
      for (const [key, value] of Object.entries(patch)) {
        if (Object.hasOwn(DEFAULT_SETTINGS, key) && value !== undefined) put.run(key, JSON.stringify(value));
      }
    })();
    return this.get();
  }
}

/** Values the engine keeps for itself (not user settings): the webhook port and secret. */
export class EngineStateStore {
  constructor(private readonly db: Db) {}

  get(key: string): string | undefined {
    const row = this.db.prepare('SELECT value FROM settings WHERE key = ?').get(`engine.${key}`) as { value: string } | undefined;
    return row ? (JSON.parse(row.value) as string) : undefined;
  }

  set(key: string, value: string): void {
    this.db
      .prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value')
      .run(`engine.${key}`, JSON.stringify(value));
  }
}
