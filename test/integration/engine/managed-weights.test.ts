/**
 * Managed weights (issue 13, item 3): the `managed-weights` fixture is pushed to the test registry as an OCI
 * index holding the model image and two weight manifests (scripts/test-env/managed-weights.mjs, the layout of
 * Cog's specs/weights.md). Pulled through a counting proxy on loopback (Docker and Cogdesk both go through
 * it): the pull fetches each weight layer once, its progress counts them, the model's setup sees the files
 * read-only at their targets, a second pull fetches nothing, weights deleted by hand are fetched again at
 * the next start, a cancel mid-fetch keeps nothing, and deleting the version frees them.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TaskEvent } from '../../../src/shared/api';
import type { PullProgress } from '../../../src/shared/domain';
import { createCore, type Core } from '../../../src/main/core';
import { homePaths } from '../../../src/main/core/paths';
import { OPEN_REGISTRY, readManagedWeightsFixture } from '../../helpers/fixtures';
import { tempHome } from '../../helpers/core';
import { startProxyServer, type ProxyServer } from '../../helpers/proxy-server';
import { camelCaseKeys } from '../../helpers/json-keys';

const CLI = join(__dirname, '../../../bin/cogdesk.js');
const fixture = readManagedWeightsFixture();
const layerDigests = fixture.weights.flatMap((w) => w.layers.map((l) => l.digest));
/** The big layer (model.bin alone in a plain tar): the one a cancel interrupts. */
const bigLayer = fixture.weights[0].layers.reduce((a, b) => (b.size > a.size ? b : a));

/** A proxy to the open registry that counts blob requests and can hold one blob after its first bytes. */
interface CountingProxy {
  proxy: ProxyServer;
  blobGets: Map<string, number>;
  /** While set, the response for this digest stops after its first 64 KiB (until released). */
  hold: string | null;
  /** While set, one byte of this digest's response is changed on the way. */
  corrupt: string | null;
  held: number;
  release: () => void;
}

async function startCountingProxy(): Promise<CountingProxy> {
  const releases: Array<() => void> = [];
  const state: CountingProxy = {
    proxy: null as unknown as ProxyServer,
    blobGets: new Map(),
    hold: null,
    corrupt: null,
    held: 0,
    release: () => releases.splice(0).forEach((r) => r()),
  };
  state.proxy = await startProxyServer((req, res) => {
    const blob = /\/blobs\/(sha256:[a-f0-9]{64})$/.exec(req.url ?? '')?.[1];
    if (blob && req.method === 'GET') state.blobGets.set(blob, (state.blobGets.get(blob) ?? 0) + 1);
    const upstream = http.request({ host: '127.0.0.1', port: Number(OPEN_REGISTRY.split(':')[1]), path: req.url, method: req.method, headers: { ...req.headers, host: OPEN_REGISTRY } }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      if (blob && blob === state.hold) {
        let sent = 0;
        up.on('data', (chunk: Buffer) => {
          if (sent >= 64 * 1024) return;
          sent += chunk.length;
          res.write(chunk);
          if (sent >= 64 * 1024) {
            up.pause();
            state.held++;
            state.proxy.wake();
            releases.push(() => res.destroy());
          }
        });
        return;
      }
      if (blob && blob === state.corrupt) {
        let first = true;
        up.on('data', (chunk: Buffer) => {
          if (first && chunk.length > 0) chunk = Buffer.concat([Buffer.from([chunk[0] ^ 0xff]), chunk.subarray(1)]);
          first = false;
          res.write(chunk);
        });
        up.on('end', () => res.end());
        return;
      }
      up.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  return state;
}

function sha256File(path: string): string {
  return `sha256:${createHash('sha256').update(readFileSync(path)).digest('hex')}`;
}

/** Runs a pull task to its end, collecting its progress. */
async function pullTask(core: Core, ref: string, onStart?: (taskId: string) => void): Promise<{ end: TaskEvent; progress: PullProgress[] }> {
  const progress: PullProgress[] = [];
  let taskId = '';
  const backlog: TaskEvent[] = [];
  let finish: (e: TaskEvent) => void = () => undefined;
  const ended = new Promise<TaskEvent>((resolve) => (finish = resolve));
  const off = core.on('task', (e) => {
    if (!taskId) return void backlog.push(e);
    if (e.taskId !== taskId) return;
    if (e.state === 'running' && e.progress) progress.push(e.progress as PullProgress);
    else if (e.state !== 'running') finish(e);
  });
  try {
    taskId = (await core.pullImage(ref)).taskId;
    onStart?.(taskId);
    for (const e of backlog.splice(0)) if (e.taskId === taskId && e.state !== 'running') finish(e);
    return { end: await ended, progress };
  } finally {
    off();
  }
}

describe('managed weights: an OCI index with weight manifests', () => {
  let counting: CountingProxy;
  let ref = '';
  const weightGets = () => layerDigests.reduce((n, d) => n + (counting.blobGets.get(d) ?? 0), 0);

  beforeAll(async () => {
    counting = await startCountingProxy();
    ref = `${counting.proxy.host}/${fixture.repository}:weights`;
  });
  afterAll(async () => {
    counting.release();
    await counting.proxy.close();
  });

  it('a pull fetches each weight once with its progress; setup sees them read-only; a second pull, or another version with the same weights, fetches nothing; delete frees what nothing else uses', async () => {
    const { home, cleanup } = tempHome();
    const paths = homePaths(home);
    let core = await createCore({ home });
    try {
      const { end, progress } = await pullTask(core, ref);
      expect(end.state, JSON.stringify(end)).toBe('succeeded');
      const version = (end as { version: { id: string } }).version;
      // Docker pulled the model image of the index (and ignored the weights); the version is the index's digest.
      expect(version.id).toBe(fixture.indexDigest.slice(7));
      // Every weight layer fetched exactly once, and counted in the pull's progress.
      for (const d of layerDigests) expect(counting.blobGets.get(d) ?? 0, d).toBe(1);
      expect(progress.some((p) => /weights/i.test(p.message))).toBe(true);
      expect(Math.max(...progress.map((p) => p.bytesTotal))).toBeGreaterThanOrEqual(fixture.weightBytes);
      const last = (end as { progress: PullProgress }).progress;
      expect(last.bytesDone).toBeGreaterThanOrEqual(fixture.weightBytes);
      expect(last.percent).toBe(100);
      // Kept by digest in the data folder, each file as pushed, with the ready marker coglet waits for.
      for (const w of fixture.weights) {
        const dir = join(paths.weights, 'sha256', w.manifestDigest.slice(7));
        for (const [file, digest] of Object.entries(w.files)) expect(sha256File(join(dir, file)), `${w.name}/${file}`).toBe(digest);
        expect(existsSync(join(dir, '.cog', 'ready'))).toBe(true);
      }

      const p = await core.waitForPrediction((await core.createPrediction({ version: version.id, input: { text: 'hi' } })).id);
      expect(p.status, `${p.error ?? ''}\n${p.logs ?? ''}`).toBe('succeeded');
      const short = (w: number, file: string) => fixture.weights[w].files[file].slice(7, 19);
      expect(p.output).toBe(
        `hi | /src/weights: config.json=${short(0, 'config.json')} model.bin=${short(0, 'model.bin')} (read-only); ` +
          `/opt/tokenizer: tokenizer.json=${short(1, 'tokenizer.json')} merges/merges.txt=${short(1, 'merges/merges.txt')} (read-only)`,
      );

      // The same reference again: the image is there, so are the weights: no weight blob is fetched.
      const again = await pullTask(core, ref);
      expect(again.end.state).toBe('succeeded');
      expect(weightGets()).toBe(layerDigests.length);
      // Another version with the same weights: nothing fetched either.
      const other = await pullTask(core, `${counting.proxy.host}/${fixture.repository}:weights-2`);
      expect(other.end.state, JSON.stringify(other.end)).toBe('succeeded');
      const version2 = (other.end as { version: { id: string } }).version;
      expect(version2.id).toBe(fixture.sameWeightsDigest.slice(7));
      expect(weightGets()).toBe(layerDigests.length);
      await core.close();

      // The command line lists them with the version's kept weights.
      const { stdout } = await promisify(execFile)(process.execPath, [CLI, 'weights', 'list', '--json'], { env: { ...process.env, COGDESK_HOME: home } });
      const listed = JSON.parse(stdout) as Array<{ kind: string; version_id: string; name: string; target: string; manifest_digest: string; bytes: number; present: boolean }>;
      expect(camelCaseKeys(listed)).toEqual([]);
      expect(listed.filter((l) => l.version_id === version.id).map(({ kind, version_id, name, target, manifest_digest, present }) => ({ kind, version_id, name, target, manifest_digest, present }))).toEqual(
        fixture.weights.map((w) => ({ kind: 'managed', version_id: version.id, name: w.name, target: w.target, manifest_digest: w.manifestDigest, present: true })),
      );
      expect(listed[0].bytes).toBeGreaterThan(4 * 1024 * 1024);

      // Deleted by hand: the next start fetches them again instead of failing setup on a missing file.
      rmSync(join(paths.weights, 'sha256', fixture.weights[1].manifestDigest.slice(7)), { recursive: true });
      core = await createCore({ home });
      const after = await core.waitForPrediction((await core.createPrediction({ version: version.id, input: { text: 'again' } })).id);
      expect(after.status, `${after.error ?? ''}\n${after.logs ?? ''}`).toBe('succeeded');
      expect(after.output).toBe(p.output!.toString().replace(/^hi /, 'again '));
      expect(counting.blobGets.get(fixture.weights[1].layers[0].digest)).toBe(2);

      // Deleting a version frees the weights nothing else uses: not while the other version uses them.
      await core.deleteVersion(version.id);
      expect(readdirSync(join(paths.weights, 'sha256')).sort()).toEqual(fixture.weights.map((w) => w.manifestDigest.slice(7)).sort());
      await core.deleteVersion(version2.id);
      expect(readdirSync(join(paths.weights, 'sha256'))).toEqual([]);
      expect(readdirSync(join(paths.weights, 'versions'))).toEqual([]);
    } finally {
      await core.close();
      cleanup();
    }
  });

  it('a version Docker had before (no weights fetched) gets them at its first start; with its registry gone, a clear error', async () => {
    const { home, cleanup } = tempHome();
    const paths = homePaths(home);
    // Not execFileSync: the proxy it pulls through runs in this process.
    await promisify(execFile)('docker', ['pull', '-q', ref]);
    const core = await createCore({ home });
    try {
      // Found locally, not pulled by Cogdesk: nothing fetched, nothing recorded.
      const version = await core.ensureVersion(ref);
      expect(existsSync(join(paths.weights, 'versions', `${version.id}.json`))).toBe(false);

      counting.proxy.goDown();
      const failed = await core.waitForPrediction((await core.createPrediction({ version: version.id, input: { text: 'offline' } })).id);
      expect(failed.status).toBe('failed');
      expect(failed.error).toMatch(new RegExp(`^${ref.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} needs its managed weights \\(model, tokenizer\\), which Cogdesk has not fetched, and they could not be fetched now: Cannot reach ${counting.proxy.host}`));
      expect(failed.error).not.toMatch(/FileNotFoundError/);

      await counting.proxy.up();
      const p = await core.waitForPrediction((await core.createPrediction({ version: version.id, input: { text: 'online' } })).id);
      expect(p.status, `${p.error ?? ''}\n${p.logs ?? ''}`).toBe('succeeded');
      expect(p.output).toMatch(/^online \| \/src\/weights: config\.json=\w+ model\.bin=\w+ \(read-only\); \/opt\/tokenizer: .* \(read-only\)$/);
      expect(existsSync(join(paths.weights, 'versions', `${version.id}.json`))).toBe(true);
    } finally {
      await counting.proxy.up();
      await core.close();
      cleanup();
    }
  });

  it('a weight layer changed on the way fails the pull with what happened, and keeps nothing', async () => {
    const { home, cleanup } = tempHome();
    const paths = homePaths(home);
    const core = await createCore({ home });
    counting.corrupt = bigLayer.digest;
    try {
      const { end } = await pullTask(core, ref);
      expect(end.state).toBe('failed');
      const error = (end as { error: { code: string; message: string; hint?: string } }).error;
      expect(error.code).toBe('pull_failed');
      expect(error.message).toMatch(new RegExp(`^A layer of the weight "model" \\(${bigLayer.digest.slice(0, 19)}, ${bigLayer.size} bytes\\) is not what its manifest says: `));
      expect(error.hint).toMatch(/pull again/);
      expect(existsSync(join(paths.weights, 'sha256', fixture.weights[0].manifestDigest.slice(7)))).toBe(false);
      expect(readdirSync(join(paths.weights, 'tmp'))).toEqual([]);
      expect(readdirSync(join(paths.weights, 'versions'))).toEqual([]);
      expect(await core.listModels()).toEqual([]);
    } finally {
      counting.corrupt = null;
      await core.close();
      cleanup();
    }
  });

  it('a pull canceled while a weight downloads keeps no part of it, and no version', async () => {
    const { home, cleanup } = tempHome();
    const paths = homePaths(home);
    const core = await createCore({ home });
    counting.hold = bigLayer.digest;
    const heldBefore = counting.held;
    try {
      let taskId = '';
      const task = pullTask(core, ref, (id) => (taskId = id));
      await counting.proxy.until(() => counting.held > heldBefore);
      await core.cancelTask(taskId);
      const { end } = await task;
      expect(end.state).toBe('canceled');
      expect(existsSync(join(paths.weights, 'sha256', fixture.weights[0].manifestDigest.slice(7)))).toBe(false);
      expect(readdirSync(join(paths.weights, 'tmp'))).toEqual([]);
      expect(readdirSync(join(paths.weights, 'versions'))).toEqual([]);
      expect(await core.listModels()).toEqual([]);
    } finally {
      counting.hold = null;
      counting.release();
      await core.close();
      cleanup();
    }
  });
});
