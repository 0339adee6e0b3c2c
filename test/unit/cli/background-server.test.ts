/**
 * The background server's starter (src/main/cli/background-server.ts) when the server does not come up, and
 * the words of `cogdesk settings` (src/main/cli/settings-cmd.ts): values read as the setting's type, the
 * setting a typo meant.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { idleWords, startBackgroundServer } from '../../../src/main/cli/background-server';
import { closestKey, parseSettingValue } from '../../../src/main/cli/settings-cmd';
import { CogdeskError } from '../../../src/shared/errors';

let home: string;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'cogdesk-bg-unit-'));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

describe('startBackgroundServer', () => {
  it('a server that ends before it answers: an error that says so, with its log (path and last lines); the start lock is gone', async () => {
    const script = join(home, 'broken-cli.js');
    writeFileSync(script, 'console.error("Error: cannot open the database: disk I/O error"); process.exit(3);\n');
    const e = await startBackgroundServer(home, { script }).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(CogdeskError);
    const log = join(home, 'logs', 'serve.log');
    expect((e as CogdeskError).message).toBe('The background Cogdesk for cogdesk run did not start: it ended (exit code 3) before it answered');
    expect((e as CogdeskError).hint).toContain(`Its log: ${log}.`);
    expect((e as CogdeskError).hint).toContain('cogdesk settings cliBackgroundServer false');
    expect((e as CogdeskError).details).toContain('Error: cannot open the database: disk I/O error');
    expect(readFileSync(log, 'utf8')).toMatch(/cogdesk serve --exit-when-idle, started by cogdesk run \(pid \d+\)\nError: cannot open the database/);
    expect(existsSync(join(home, 'serve-start.lock'))).toBe(false);
  });

  it('a server that never answers: stopped, and an error with the log path once the wait is over', async () => {
    const script = join(home, 'silent-cli.js');
    writeFileSync(script, 'setInterval(() => {}, 1000);\n');
    const e = await startBackgroundServer(home, { script, timeoutMs: 500 }).catch((err: unknown) => err);
    expect((e as CogdeskError).message).toBe('The background Cogdesk for cogdesk run did not start: it did not answer within 1 s');
    expect((e as CogdeskError).hint).toContain(join(home, 'logs', 'serve.log'));
  });
});

describe('idleWords', () => {
  it('seconds as a person says them', () => {
    expect(idleWords(300)).toBe('5 min');
    expect(idleWords(2)).toBe('2 s');
    expect(idleWords(90)).toBe('90 s');
    expect(idleWords(7200)).toBe('2 h');
  });
});

describe('cogdesk settings words', () => {
  it('a value is read as the setting type', () => {
    expect(parseSettingValue('cliBackgroundServer', 'on')).toBe(true);
    expect(parseSettingValue('cliBackgroundServer', 'FALSE')).toBe(false);
    expect(parseSettingValue('cliBackgroundServer', 'maybe')).toBeNull();
    expect(parseSettingValue('idleTimeoutSeconds', '60')).toBe(60);
    expect(parseSettingValue('idleTimeoutSeconds', '')).toBeNull();
    expect(parseSettingValue('gpuDeviceIds', 'GPU-a, GPU-b,')).toEqual(['GPU-a', 'GPU-b']);
    expect(parseSettingValue('gpuDeviceIds', '')).toEqual([]);
    expect(parseSettingValue('dockerHost', 'tcp://127.0.0.1:2375')).toBe('tcp://127.0.0.1:2375');
  });

  it('the setting a typo meant, or none', async () => {
    expect(await closestKey('idle_timeout_seconds')).toBe('idleTimeoutSeconds');
    expect(await closestKey('keepWieghts')).toBe('keepWeights');
    expect(await closestKey('cliBackground')).toBe('cliBackgroundServer');
    expect(await closestKey('colour')).toBeUndefined();
  });
});
