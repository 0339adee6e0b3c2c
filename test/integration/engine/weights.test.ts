/**
 * Kept weights (issue 13): a model whose setup downloads its weights (the `weights` fixture: /src/weights and
 * ~/.cache, from an HTTP server this test runs on the Docker bridge, counting requests) downloads them at its
 * first start only; later cold starts make no request, give the same output, and work with the server gone.
 * Nothing a prediction writes is kept; a failed setup keeps nothing; forgetting and deleting free the disk.
 */
import { execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../src/main/core';
import { demuxLogs } from '../../../src/main/core/docker/containers';
import { homePaths } from '../../../src/main/core/paths';
import { WEIGHTS_LABELS } from '../../../src/main/core/runner/weights';
import { fixtureImage } from '../../helpers/fixtures';
import { docker, tempHome, waitFor } from '../../helpers/core';
import { startWeightsServer, WEIGHT_SIZES, type WeightsServer } from '../../helpers/weights-server';
import { camelCaseKeys } from '../../helpers/json-keys';

const SIZES = WEIGHT_SIZES;
const CLI = join(__dirname, '../../../bin/cogdesk.js');

describe('weights a setup downloads are kept for the next start', () => {
  const { home, cleanup } = tempHome();
  let server: WeightsServer | null = null;
  let served = 0;
  const startServer = async () => {
    server ??= await startWeightsServer(docker);
  };
  const stopServer = async () => {
    served += server?.requests ?? 0;
    await server?.close();
    server = null;
  };
  const requestCount = () => served + (server?.requests ?? 0);
  const open = () => createCore({ home, keepWeightsMinBytes: 1024 * 1024 });
  const run = async (core: Core, text: string) => {
    const version = await core.ensureVersion(fixtureImage('weights'));
    return core.waitForPrediction((await core.createPrediction({ version: version.id, input: { text } })).id);
  };
  const keptImages = () => docker.listImages({ filters: { label: [`${WEIGHTS_LABELS.home}=${homePaths(home).homeId}`] } });

  beforeAll(async () => {
    await startServer();
  });
  afterAll(async () => {
    await stopServer();
    cleanup();
  });

  it('the first start downloads and keeps; the next ones start from what was kept, without the network', async () => {
    const first = await open();
    let expected = '';
    try {
      const p = await run(first, 'one');
      expect(p.status, p.error ?? '').toBe('succeeded');
      expect(requestCount()).toBe(2);
      expected = (p.output as string).split(' ')[1];
      expect(p.logs).toMatch(/^\[cogdesk\] Setup wrote [\d.]+ MB in [\d.]+ s; kept for the next start\.\n/);
      const kept = await first.listKeptWeights(p.versionId);
      expect(kept).toHaveLength(1);
      expect(kept[0].bytes).toBeGreaterThanOrEqual(SIZES[0] + SIZES[1]);
      // A second prediction on the warm container says nothing about the start.
      const warm = await run(first, 'warm');
      expect(warm.logs).not.toContain('[cogdesk] ');
    } finally {
      await first.close();
    }

    const second = await open();
    try {
      const p = await run(second, 'two');
      expect(p.status, p.error ?? '').toBe('succeeded');
      expect(requestCount()).toBe(2); // no download
      expect(p.output).toBe(`two ${expected}`);
      expect(p.logs).toMatch(/^\[cogdesk\] Started from kept weights \([\d.]+ MB\) in [\d.]+ s\.\n/);
    } finally {
      await second.close();
    }

    // The command line lists them, per version and in `models --json`.
    const env = { ...process.env, COGDESK_HOME: home };
    const listed = JSON.parse(execFileSync(process.execPath, [CLI, 'weights', 'list', '--json'], { env, encoding: 'utf8' })) as Array<{ kind: string; version_id: string; bytes: number; setup_ms: number; created_at: string }>;
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ kind: 'kept', setup_ms: expect.any(Number), created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/) });
    expect(camelCaseKeys(listed)).toEqual([]);
    expect(listed[0].bytes).toBeGreaterThanOrEqual(SIZES[0] + SIZES[1]);
    const models = JSON.parse(execFileSync(process.execPath, [CLI, 'models', '--json'], { env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 })) as Array<{ versions: Array<{ id: string; kept_weights_bytes: number }> }>;
    expect(models.flatMap((m) => m.versions).find((v) => v.id === listed[0].version_id)?.kept_weights_bytes).toBe(listed[0].bytes);

    // What a prediction wrote (/src/weights/written-by-a-prediction.txt) was never kept.
    const [image] = await keptImages();
    const probe = await docker.createContainer({ Image: image.Id, Cmd: ['ls', '/src/weights'], Labels: { 'cogdesk.test': 'weights' } });
    await probe.start();
    await probe.wait();
    const listing = demuxLogs((await probe.logs({ stdout: true, stderr: true })) as Buffer);
    await probe.remove({ force: true });
    expect(listing.trim().split('\n')).toEqual(['model.bin']);

    await stopServer();
    const offline = await open();
    try {
      const p = await run(offline, 'three');
      expect(p.status, p.error ?? '').toBe('succeeded');
      expect(p.output).toBe(`three ${expected}`);
    } finally {
      await offline.close();
    }
  }, 180_000);

  it("another data folder keeps its own; each finds its own after (the kept image's tag names only the last)", async () => {
    await startServer();
    const other = tempHome();
    const otherKept = () => docker.listImages({ filters: { label: [`${WEIGHTS_LABELS.home}=${homePaths(other.home).homeId}`] } });
    const before = requestCount();
    try {
      const b = await createCore({ home: other.home, keepWeightsMinBytes: 1024 * 1024 });
      try {
        const p = await run(b, 'b');
        expect(p.status, p.error ?? '').toBe('succeeded');
        expect(requestCount()).toBe(before + 2); // this folder's first start downloads: the other's kept image is not its own
        expect(p.logs).toMatch(/kept for the next start/);
      } finally {
        await b.close();
      }
      expect(await otherKept()).toHaveLength(1);
      // The tag now names the other folder's image: this one still starts from its own, without the network.
      const a = await open();
      try {
        const p = await run(a, 'a');
        expect(p.status, p.error ?? '').toBe('succeeded');
        expect(requestCount()).toBe(before + 2);
        expect(p.logs).toMatch(/^\[cogdesk\] Started from kept weights/);
      } finally {
        await a.close();
      }
    } finally {
      for (const image of await otherKept()) await docker.getImage(image.Id).remove({ force: true }).catch(() => undefined);
      other.cleanup();
      await stopServer(); // as the test before left it
    }
  }, 180_000);

  it('forgetting frees the disk; a setup that fails (no network, nothing kept) keeps nothing', async () => {
    let core = await open();
    try {
      const version = await core.ensureVersion(fixtureImage('weights'));
      expect((await keptImages()).length).toBe(1);
      await core.close();
      // Forgotten from the command line: the disk is freed (Docker's own image list says so).
      const said = execFileSync(process.execPath, [CLI, 'weights', 'rm', version.id], { env: { ...process.env, COGDESK_HOME: home }, encoding: 'utf8' });
      expect(said).toMatch(/^Forgot the kept weights of .* MB freed\n$/);
      expect(await keptImages()).toEqual([]);
      core = await open();
      expect(await core.listKeptWeights()).toEqual([]);

      // The server is gone and nothing is kept: setup fails, and nothing is kept from it.
      const failed = await run(core, 'four');
      expect(failed.status).toBe('failed');
      expect(await keptImages()).toEqual([]);
    } finally {
      await core.close();
    }
  }, 120_000);

  it('a process killed during setup keeps nothing: the next start downloads afresh', async () => {
    await stopServer();
    const { home: killedHome, cleanup: cleanKilled } = tempHome();
    const slow = await startWeightsServer(docker, undefined, { stallMs: 1_500 });
    try {
      // The child waits for setup (stalled on the download) and is killed with SIGKILL before it ends.
      const child = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/run-and-die.ts', fixtureImage('weights'), '{"text":"k"}', '--until-done'], {
        env: { ...process.env, COGDESK_HOME: killedHome },
        stdio: 'ignore',
      });
      await waitFor(() => slow.requests > 0, 'setup to start downloading', 60_000);
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      // The setup goes on without its process and succeeds; with nobody to keep it, nothing is kept.
      const [left] = await docker.listContainers({ filters: { label: [`cogdesk.home=${homePaths(killedHome).homeId}`] } });
      await waitFor(async () => demuxLogs((await docker.getContainer(left.Id).logs({ stdout: true, stderr: true })) as Buffer).includes('weights: ready'), 'the orphaned setup to finish', 30_000);
      const kept = () => docker.listImages({ filters: { label: [`${WEIGHTS_LABELS.home}=${homePaths(killedHome).homeId}`] } });
      expect(await kept()).toEqual([]);
    } finally {
      await slow.close();
      for (const c of await docker.listContainers({ all: true, filters: { label: [`cogdesk.home=${homePaths(killedHome).homeId}`] } })) {
        await docker.getContainer(c.Id).remove({ force: true });
      }
    }
    await startServer();
    const core = await createCore({ home: killedHome, keepWeightsMinBytes: 1024 * 1024 });
    try {
      const before = requestCount();
      const version = await core.ensureVersion(fixtureImage('weights'));
      const p = await core.waitForPrediction((await core.createPrediction({ version: version.id, input: { text: 'after' } })).id);
      expect(p.status, p.error ?? '').toBe('succeeded');
      expect(requestCount() - before).toBe(2); // downloaded afresh
      // What it kept is a version's, never a model of its own in the library.
      await core.scanLocalImages();
      expect((await core.listModels()).map((m) => m.id).filter((id) => id.includes('cogdesk-weights'))).toEqual([]);
      await core.forgetKeptWeights(version.id);
    } finally {
      await core.close();
      cleanKilled();
    }
  }, 120_000);

  it('a setup that writes (almost) nothing keeps nothing: weights inside the image are never copied', async () => {
    // The default threshold (32 MiB): echo's setup writes only Python's caches.
    const core = await createCore({ home });
    try {
      const echo = await core.ensureVersion(fixtureImage('echo'));
      const p = await core.waitForPrediction((await core.createPrediction({ version: echo.id, input: { text: 'baked' } })).id);
      expect(p.status).toBe('succeeded');
      expect(p.logs).not.toContain('[cogdesk]');
      expect(await core.listKeptWeights(echo.id)).toEqual([]);
    } finally {
      await core.close();
    }
  }, 60_000);

  it('deleting a version removes its kept weights too', async () => {
    await startServer();
    const core = await open();
    try {
      const p = await run(core, 'five');
      expect(p.status, p.error ?? '').toBe('succeeded');
      expect((await keptImages()).length).toBe(1);
      await core.close().catch(() => undefined);
    } catch (e) {
      await core.close().catch(() => undefined);
      throw e;
    }
    const again = await open();
    try {
      const version = again.resolveVersion(fixtureImage('weights'));
      await again.deleteVersion(version.id);
      expect(await keptImages()).toEqual([]);
    } finally {
      await again.close();
    }
  }, 120_000);
});
