/**
 * Start-up loads what a command needs when it needs it (src/main/cli/index.ts): `--help` and `predictions
 * list` of the built CLI load none of the engine's big dependencies (Docker's client, the Replicate client,
 * the schema validator, the hardware probe). The time itself is measured by bench/cli-startup.ts.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { assertBuilt, BIN, tempDirs } from './run-cli';

const HEAVY = ['dockerode', 'ssh2', 'replicate', 'ajv', 'systeminformation'];

let home: string;
let scratch: string;
let cleanup: () => void;
beforeAll(() => assertBuilt());
beforeEach(() => {
  ({ dirs: [home, scratch], cleanup } = tempDirs('cogdesk-cli-startup-', 'cogdesk-cli-startup-scratch-'));
});
afterEach(() => cleanup());

/** The packages under node_modules that `cogdesk ...args` loaded, read from require's cache as it exits. */
function packagesLoaded(args: string[]): string[] {
  const preload = join(scratch, 'record.cjs');
  const out = join(scratch, 'loaded.json');
  writeFileSync(preload, `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(out)}, JSON.stringify(Object.keys(require.cache))));\n`);
  const r = spawnSync(process.execPath, ['-r', preload, BIN, ...args], { env: { ...process.env, COGDESK_HOME: home }, encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  const files = JSON.parse(readFileSync(out, 'utf8')) as string[];
  return [...new Set(files.map((f) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(f)?.[1]).filter((p): p is string => !!p))].sort();
}

describe('start-up loads only what the command needs', () => {
  it('--help loads commander and nothing of the engine', () => {
    expect(packagesLoaded(['--help'])).toEqual(['commander']);
  });

  it('predictions list opens the database only: no Docker client, no Replicate client', () => {
    const loaded = packagesLoaded(['predictions', 'list']);
    expect(loaded).toContain('better-sqlite3');
    for (const heavy of HEAVY) expect(loaded, heavy).not.toContain(heavy);
  });
});
