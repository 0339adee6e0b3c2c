/**
 * Kept weights, measured (issue 13): a model whose setup downloads 200 MB (the `weights` fixture, from a server
 * on the Docker bridge) started cold three ways, in one run:
 * - its first start through the engine: setup downloads, then the engine keeps what it wrote (docker commit);
 * - later cold starts through the engine, from the kept weights (no download);
 * - the baseline: `docker run` + a 100 ms health poll of the same model with the weights baked into the image
 *   (the kept image itself, started directly).
 * Target: the start with kept weights at most 1.1x the baked-in image's. Needs the test environment.
 * Usage: npm run bench:weights [-- --mb 200 --starts 7]
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Docker from 'dockerode';
import { createCore, type Core } from '../src/main/core';
import { homePaths } from '../src/main/core/paths';
import { WEIGHTS_LABELS } from '../src/main/core/runner/weights';
import { fixtureImage } from '../test/helpers/fixtures';
import { startWeightsServer } from '../test/helpers/weights-server';
import { healthReady, ms, percentile, table } from './stats';

const { values: args } = parseArgs({ options: { mb: { type: 'string', default: '200' }, starts: { type: 'string', default: '7' } } });
const MB = Number(args.mb);
const STARTS = Number(args.starts);
const dockerApi = new Docker({ socketPath: '/var/run/docker.sock' });
const docker = (...a: string[]) => execFileSync('docker', a, { encoding: 'utf8' }).trim();
const sleep = (n: number) => new Promise((r) => setTimeout(r, n));


/** From "run" to READY (the prediction leaves `starting`), through a fresh core: always a cold start. */
async function coldStart(home: string): Promise<{ ms: number; logs: string }> {
  const core: Core = await createCore({ home });
  try {
    const version = await core.ensureVersion(fixtureImage('weights'));
    const t = performance.now();
    const p = await core.createPrediction({ version: version.id, input: { text: 'bench' } });
    await new Promise<void>((resolve) => {
      const off = core.on('prediction', (u) => {
        if (u.id === p.id && u.status !== 'starting') {
          off();
          resolve();
        }
      });
    });
    const elapsed = performance.now() - t;
    const done = await core.waitForPrediction(p.id);
    if (done.status !== 'succeeded') throw new Error(`the bench prediction failed: ${done.error}`);
    return { ms: elapsed, logs: done.logs };
  } finally {
    await core.close();
  }
}

async function main(): Promise<void> {
  const home = mkdtempSync(join(tmpdir(), 'cogdesk-bench-weights-'));
  const half = Math.round((MB * 1024 * 1024) / 2);
  const server = await startWeightsServer(dockerApi, [randomBytes(half), randomBytes(half)]);
  try {
    console.error(`first start: setup downloads ${MB} MB, then the engine keeps it`);
    const first = await coldStart(home);
    console.error(first.logs.split('\n')[0]);
    await server.close();

    const kept: number[] = [];
    const baked: number[] = [];
    const [image] = await dockerApi.listImages({ filters: { label: [`${WEIGHTS_LABELS.home}=${homePaths(home).homeId}`] } });
    if (!image) throw new Error('nothing was kept: is keeping weights on, and is there room on the disk?');
    console.error(`later starts: ${STARTS} times each, kept weights through the engine and the baked-in image with docker run (server gone)`);
    for (let i = 0; i < STARTS; i++) {
      kept.push((await coldStart(home)).ms);
      const t = performance.now();
      const id = docker('run', '-d', '--rm', '-p', '127.0.0.1::5000', image.Id);
      const port = docker('port', id, '5000/tcp').split(':').pop();
      while (!(await healthReady(`http://127.0.0.1:${port}/health-check`))) await sleep(100);
      baked.push(performance.now() - t);
      docker('rm', '-f', id);
    }
    const k = percentile(kept, 50);
    const b = percentile(baked, 50);
    const rows = [
      ['benchmark', 'engine p50', 'engine p95', 'baseline p50', 'baseline p95', 'result'],
      [`first cold start, setup downloads ${MB} MB (n=1)`, ms(first.ms), ms(first.ms), ms(b), ms(percentile(baked, 95)), `ratio ${(first.ms / b).toFixed(2)} (downloads and keeps)`],
      [`cold start from kept weights (n=${STARTS})`, ms(k), ms(percentile(kept, 95)), ms(b), ms(percentile(baked, 95)), `ratio ${(k / b).toFixed(2)} (target <= 1.10)`],
    ];
    console.log(table(rows));
  } finally {
    await server.close().catch(() => undefined);
    // Forget what was kept, and the data folder.
    const core = await createCore({ home, recover: 'passive' });
    for (const v of await core.listModels()) for (const version of await core.listVersions(v.id)) await core.forgetKeptWeights(version.id).catch(() => undefined);
    await core.close();
    rmSync(home, { recursive: true, force: true });
  }
}

void main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
