/**
 * The window's process says that a Cogdesk runs, as `cogdesk serve` does, so the CLI's commands go through
 * it (the shell cannot be launched here: its wiring is read from src/main/index.ts), and the record itself
 * (core/api-server/server-record.ts) against a real data folder.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clearServerRecord, SERVER_RECORD, writeServerRecord } from '../../../src/main/core/api-server/server-record';

const ROOT = resolve(__dirname, '../../..');

describe('the app records its API server', () => {
  it('src/main/index.ts writes the record (by: app) once the API server listens, and clears it on quit', () => {
    const main = readFileSync(resolve(ROOT, 'src/main/index.ts'), 'utf8');
    expect(main).toMatch(/writeServerRecord\(core\.paths\.home, \{[^}]*by: 'app' \}\)/);
    expect(main.indexOf('writeServerRecord(')).toBeGreaterThan(main.indexOf('startApiServer(core'));
    const quit = main.slice(main.indexOf("app.on('before-quit'"));
    expect(quit).toContain('clearServerRecord(core.paths.home)');
  });

  it('the record is owner-only and cleared only by the process that wrote it', () => {
    const home = mkdtempSync(join(tmpdir(), 'cogdesk-record-'));
    try {
      const record = { pid: process.pid, port: 5000, url: 'http://127.0.0.1:5000/v1', startedAt: new Date().toISOString(), by: 'app' };
      writeServerRecord(home, record);
      expect(statSync(join(home, SERVER_RECORD)).mode & 0o777).toBe(0o600);
      clearServerRecord(home, process.pid + 1);
      expect(JSON.parse(readFileSync(join(home, SERVER_RECORD), 'utf8'))).toEqual(record);
      clearServerRecord(home);
      expect(() => statSync(join(home, SERVER_RECORD))).toThrow();
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
