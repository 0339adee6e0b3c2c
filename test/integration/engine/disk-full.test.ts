/**
 * A data folder on a disk that fills up (a small tmpfs): the prediction whose output does not fit fails with
 * the space left, its partial files are removed and its container stopped, the process stays up, and with
 * the disk 100% full the history can still be read and a run says what is wrong (no stack trace).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../src/main/core';
import { fixtureImage } from '../../helpers/fixtures';
import { managedContainers, waitFor } from '../../helpers/core';

const CLI = join(__dirname, '../../../bin/cogdesk.js');

/** Fills the file system at `dir` until ENOSPC, then gives back `leaveBytes`. */
function fill(dir: string, leaveBytes: number): string {
  const ballast = join(dir, 'ballast');
  const fd = openSync(ballast, 'w');
  const chunk = Buffer.alloc(64 * 1024);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') throw e;
  } finally {
    closeSync(fd);
  }
  if (leaveBytes > 0) execFileSync('truncate', ['-s', `-${leaveBytes}`, ballast]);
  return ballast;
}

describe('a full disk under the data folder', () => {
  const mount = mkdtempSync(join(tmpdir(), 'cogdesk-full-'));
  const home = join(mount, 'home');
  const bigInput = join(tmpdir(), `cogdesk-big-input-${process.pid}.bin`);
  let core: Core | null = null;
  let failedId = '';

  beforeAll(() => {
    // Root is what CI and the test environment run as; the fault must run there, never be skipped silently.
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=16m', 'tmpfs', mount]);
    writeFileSync(bigInput, randomBytes(3 * 1024 * 1024));
  });
  afterAll(async () => {
    await core?.close().catch(() => undefined);
    spawnSync('umount', ['-l', mount]);
    rmSync(mount, { recursive: true, force: true });
    rmSync(bigInput, { force: true });
  });

  it('fails the prediction whose output does not fit with the space left, removes its files, stops its container, and keeps going', async () => {
    core = await createCore({ home });
    const file = await core.ensureVersion(fixtureImage('file'));
    const echo = await core.ensureVersion(fixtureImage('echo'));
    expect((await core.waitForPrediction((await core.createPrediction({ version: echo.id, input: { text: 'before' } })).id)).status).toBe('succeeded');
    const ballast = fill(mount, 1024 * 1024);

    const created = await core.createPrediction({ version: file.id, input: { image: bigInput }, source: 'cli' });
    failedId = created.id;
    const done = await core.waitForPrediction(created.id);
    expect(done.status).toBe('failed');
    expect(done.error).toMatch(new RegExp(`^The disk is full \\(\\d+(\\.\\d)? MB free at ${join(home, 'outputs')}\\)\\. Free some space`));
    expect(done.output).toBeNull();
    expect(existsSync(join(home, 'outputs', created.id))).toBe(false);
    await waitFor(async () => !(await managedContainers(core!.paths.homeId)).some((c) => c.Id === done.containerId), 'its container to be stopped');

    // Still up, still reading; and once there is room again, running.
    expect((await core.listPredictions()).map((p) => p.id)).toContain(created.id);
    rmSync(ballast);
    const after = await core.waitForPrediction((await core.createPrediction({ version: echo.id, input: { text: 'after' } })).id);
    expect(after).toMatchObject({ status: 'succeeded', output: 'hello after after' });
    await core.close();
    core = null;
  }, 120_000);

  it('with the disk 100% full, the history still reads and a run says the disk is full, with no stack trace', () => {
    expect(existsSync(join(__dirname, '../../../out/main/cli.js'))).toBe(true);
    const ballast = fill(mount, 0);
    try {
      const env = { ...process.env, COGDESK_HOME: home };
      const list = spawnSync(process.execPath, [CLI, 'predictions', 'list', '--json'], { env, encoding: 'utf8' });
      expect(list.stderr).not.toMatch(/disk I\/O error/);
      expect(list.status).toBe(0);
      expect((JSON.parse(list.stdout) as Array<{ id: string }>).map((p) => p.id)).toContain(failedId);

      const run = spawnSync(process.execPath, [CLI, 'run', fixtureImage('echo'), '-i', 'text=x'], { env, encoding: 'utf8' });
      expect(run.status).toBe(1);
      expect(run.stderr).toMatch(/disk is full/i);
      expect(run.stderr).toMatch(/Free some space/);
      expect(run.stderr).not.toMatch(/\n\s+at /);
    } finally {
      rmSync(ballast);
    }
  }, 60_000);
});
