/**
 * Benchmarks of the engine against a direct baseline, in one run (numbers for the README):
 * - warm overhead: predictions through the engine vs a direct HTTP POST to the same warm container, for each
 *   Cog server generation (the legacy Python server, Rust coglet, the Go cog-runtime);
 * - cold start: from "run" on a pulled image to READY vs `docker run` + a 100 ms health poll;
 * - pull: the engine's pull vs `docker pull` of the same image from the local registry, fresh each time.
 * Needs the test environment (scripts/test-env/setup.sh). Usage: npm run bench [-- --warm 200 --cold 15 --pull 3]
 */
import { execFileSync } from 'node:child_process';
import http from 'node:http';
import { mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createCore } from '../src/main/core';
import { fixtureImage } from '../test/helpers/fixtures';
import { healthReady, ms, percentile, table } from './stats';

const USAGE = `Usage: npm run bench [-- --warm N] [--cold N] [--pull N]
  --warm N   warm predictions per Cog server generation, each against a direct POST (default 200)
  --cold N   cold starts, through the engine and with docker run (default 15)
  --pull N   pulls of a 64 MiB image, through the engine and with docker pull (default 3)
Each N is a whole number of 1 or more. Needs the test environment (bash scripts/test-env/setup.sh).`;

/** The options, or a message and the usage (exit 2) for what cannot be run; --help prints the usage alone. */
function readArgs(): { WARM: number; COLD: number; PULLS: number } {
  let values: { warm: string; cold: string; pull: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      options: {
        warm: { type: 'string', default: '200' },
        cold: { type: 'string', default: '15' },
        pull: { type: 'string', default: '3' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (e) {
    console.error(`bench: ${(e as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const count = (name: 'warm' | 'cold' | 'pull'): number => {
    const n = Number(values[name]);
    if (Number.isInteger(n) && n >= 1) return n;
    // Every row needs a p50 and a p95: with no sample there is nothing to compare.
    console.error(`bench: --${name} ${values[name]} is not a count of runs: give a whole number of 1 or more (each row needs at least one sample).\n\n${USAGE}`);
    process.exit(2);
  };
  return { WARM: count('warm'), COLD: count('cold'), PULLS: count('pull') };
}

const { WARM, COLD, PULLS } = readArgs();
const IMAGE = fixtureImage('echo');
/** The warm-overhead rows: one per Cog server generation (reference/cog-generations.md). */
const GENERATIONS: Array<[string, string]> = [
  ['Python server (Cog 0.15.5)', IMAGE],
  ['Rust coglet 0.22', fixtureImage('coglet-echo')],
  ['Go cog-runtime', fixtureImage('go-echo')],
];
const INPUT = { text: 'bench', times: 1 };

const agent = new http.Agent({ keepAlive: true });
function post(url: string, body: unknown): Promise<number> {
  const payload = Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': payload.length } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(payload);
  });
}

const docker = (...a: string[]) => execFileSync('docker', a, { encoding: 'utf8' }).trim();
const sleep = (n: number) => new Promise((r) => setTimeout(r, n));

/**
 * An image of four layers of random bytes (64 MiB) that nothing else shares, pushed to the local
 * registry once, so each pull after `docker rmi` fetches every layer.
 */
function pullBenchImage(): string {
  const ref = '127.0.0.1:5100/bench/pull:latest';
  try {
    execFileSync('curl', ['-sf', 'http://127.0.0.1:5100/v2/bench/pull/manifests/latest', '-o', '/dev/null']);
    return ref;
  } catch {
    // not pushed yet
  }
  const dir = mkdtempSync(join(tmpdir(), 'cogdesk-bench-image-'));
  try {
    for (let i = 0; i < 4; i++) execFileSync('head', ['-c', String(16 * 1024 * 1024), '/dev/urandom'], { stdio: ['ignore', openSync(join(dir, `blob${i}`), 'w'), 'inherit'] });
    writeFileSync(join(dir, 'Dockerfile'), 'FROM scratch\n' + [0, 1, 2, 3].map((i) => `COPY blob${i} /blob${i}\n`).join(''));
    const schema = JSON.stringify(JSON.parse(readFileSync('test/fixtures/cog-images/echo/openapi.json', 'utf8')));
    docker('build', '-q', '--label', `run.cog.openapi_schema=${schema}`, '--label', 'run.cog.version=0.15.5', '-t', ref, dir);
    docker('push', ref);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return ref;
}

async function main() {
  const home = mkdtempSync(join(tmpdir(), 'cogdesk-bench-'));
  const core = await createCore({ home });
  const rows: string[][] = [['benchmark', 'engine p50', 'engine p95', 'baseline p50', 'baseline p95', 'result']];
  try {
    // Warm overhead, for each Cog server generation (the legacy Python server first: the cold start and pull use it).
    let version: Awaited<ReturnType<typeof core.ensureVersion>> | null = null;
    for (const [label, image] of GENERATIONS) {
      console.error(`warm (${label}): ${WARM} predictions through the engine and ${WARM} direct POSTs, interleaved`);
      const v = await core.ensureVersion(image);
      version ??= v;
      await core.waitForPrediction((await core.createPrediction({ version: v.id, input: INPUT })).id);
      const url = (await core.getEngineStatus()).warmContainers.find((w) => w.versionId === v.id)!.url;
      const engine: number[] = [];
      const direct: number[] = [];
      for (let i = 0; i < WARM; i++) {
        // Interleaved so both see the same machine state.
        let t = performance.now();
        const p = await core.createPrediction({ version: v.id, input: INPUT });
        await core.waitForPrediction(p.id);
        engine.push(performance.now() - t);
        t = performance.now();
        await post(`${url}/predictions`, { input: INPUT });
        direct.push(performance.now() - t);
      }
      const e50 = percentile(engine, 50);
      const d50 = percentile(direct, 50);
      rows.push([`warm prediction, ${label} (n=${WARM})`, ms(e50), ms(percentile(engine, 95)), ms(d50), ms(percentile(direct, 95)), `overhead p50 ${ms(e50 - d50)} (ratio ${(e50 / d50).toFixed(2)}; target <= 2 ms)`]);
    }
    await core.close();

    if (!version) throw new Error('no version');
    const coldVersion = version;
    // Cold start: run -> READY.
    console.error(`cold start: ${COLD} times each`);
    const coldEngine: number[] = [];
    const coldDocker: number[] = [];
    for (let i = 0; i < COLD; i++) {
      const c = await createCore({ home });
      const t = performance.now();
      const p = await c.createPrediction({ version: coldVersion.id, input: INPUT });
      await new Promise<void>((resolve) => {
        const off = c.on('prediction', (u) => {
          if (u.id === p.id && u.status !== 'starting') {
            off();
            resolve();
          }
        });
      });
      coldEngine.push(performance.now() - t);
      await c.waitForPrediction(p.id);
      await c.close();

      const t2 = performance.now();
      const id = docker('run', '-d', '--rm', '-p', '127.0.0.1::5000', IMAGE);
      const port = docker('port', id, '5000/tcp').split(':').pop();
      for (;;) {
        const ok = await healthReady(`http://127.0.0.1:${port}/health-check`);
        if (ok) break;
        await sleep(100);
      }
      coldDocker.push(performance.now() - t2);
      docker('rm', '-f', id);
    }
    const ce = percentile(coldEngine, 50);
    const cd = percentile(coldDocker, 50);
    rows.push([`cold start to READY (n=${COLD})`, ms(ce), ms(percentile(coldEngine, 95)), ms(cd), ms(percentile(coldDocker, 95)), `ratio ${(ce / cd).toFixed(2)} (target <= 1.00)`]);

    // Pull, fresh each time.
    console.error(`pull: ${PULLS} times each`);
    const pullEngine: number[] = [];
    const pullDocker: number[] = [];
    const ref = pullBenchImage();
    const c = await createCore({ home });
    for (let i = 0; i < PULLS; i++) {
      const rmi = () => {
        try {
          docker('rmi', '-f', ref);
        } catch {
          // not there
        }
      };
      rmi();
      let t = performance.now();
      await c.pull(ref);
      pullEngine.push(performance.now() - t);
      rmi();
      t = performance.now();
      docker('pull', '-q', ref);
      pullDocker.push(performance.now() - t);
    }
    await c.close();
    const pe = percentile(pullEngine, 50);
    const pd = percentile(pullDocker, 50);
    rows.push([`pull from local registry (n=${PULLS})`, ms(pe), ms(percentile(pullEngine, 95)), ms(pd), ms(percentile(pullDocker, 95)), `speed ratio ${(pd / pe).toFixed(2)} (target >= 0.95)`]);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
  console.log(table(rows));
}

void main().catch((e) => {
  console.error(e);
  process.exit(1);
});
