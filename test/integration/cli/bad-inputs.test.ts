/**
 * Every row of test/bad-inputs/cli-cases.ts, through the built CLI against the real fixture models: the
 * answer on stderr/stdout, the exit code, and whether a prediction was made (none when the input is
 * refused before any container).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Prediction } from '../../../src/shared/domain';
import { homePaths } from '../../../src/main/core/paths';
import { openStore } from '../../../src/main/core/store';
import { managedContainers } from '../../helpers/core';
import { CLI_CASES } from '../../bad-inputs/cli-cases';
import { assertBuilt, fixtureRef, runCli, tempDirs } from './run-cli';

let home: string;
let scratch: string;
let cleanup: () => void;

beforeAll(() => {
  assertBuilt();
  for (const name of ['echo', 'file', 'stream']) {
    const ref = fixtureRef(name);
    if (spawnSync('docker', ['image', 'inspect', ref]).status !== 0) execFileSync('docker', ['pull', ref], { timeout: 120_000 });
  }
}, 300_000);
beforeEach(() => {
  ({ dirs: [home, scratch], cleanup } = tempDirs('cogdesk-bad-home-', 'cogdesk-bad-scratch-'));
});
afterEach(() => cleanup());

function predictions(): Prediction[] {
  const store = openStore(homePaths(home).database);
  try {
    return store.predictions.list();
  } finally {
    store.close();
  }
}

describe('bad inputs on the command line (test/bad-inputs/cli-cases.ts)', { timeout: 120_000 }, () => {
  it.each(CLI_CASES.map((c) => [c.name, c] as const))('%s', async (_, c) => {
    const fifo = join(scratch, 'pipe');
    execFileSync('mkfifo', [fifo]);
    const dir = join(scratch, 'folder');
    mkdirSync(dir);
    const inputs = c.inputs.map((i) => i.replace('{fifo}', fifo).replace('{dir}', dir));
    const r = await runCli(['run', fixtureRef(c.fixture), ...inputs.flatMap((i) => ['-i', i])], { home, cwd: scratch });
    const stdout = r.stdout.toString('utf8');
    const said = `stdout: ${stdout}\nstderr: ${r.stderr}`;
    expect(r.signal, said).toBeNull();
    expect(r.code, said).toBe(c.exitCode);
    for (const re of c.stderr ?? []) expect(r.stderr).toMatch(re);
    for (const re of c.stdout ?? []) expect(stdout).toMatch(re);
    for (const re of c.never ?? []) {
      expect(r.stderr).not.toMatch(re);
      expect(stdout).not.toMatch(re);
    }
    expect(predictions(), said).toHaveLength(c.predictions);
    expect(await managedContainers(homePaths(home).homeId)).toEqual([]);
  });
});
