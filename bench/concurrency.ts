/**
 * Throughput of concurrent predictions: 8 predictions of a model that allows 4 at once (coglet echo with
 * COG_MAX_CONCURRENCY=4, each sleeping `--sleep` seconds) sent together through the engine, against the same
 * 8 run one at a time on the same warm container. Target: a speed-up of at least 3.5x (4x is the ideal).
 * Needs the test environment (scripts/test-env/setup.sh). Usage: npm run bench:concurrency [-- --runs 3 --sleep 1]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createCore } from '../src/main/core';
import { fixtureImage, fixtureStats } from '../test/helpers/fixtures';
import { ms, percentile, table } from './stats';

const { values: args } = parseArgs({ options: { runs: { type: 'string', default: '3' }, sleep: { type: 'string', default: '1' } } });
const RUNS = Number(args.runs);
const SLEEP = Number(args.sleep);
const COUNT = 8;
const LIMIT = 4;

async function main() {
  const home = mkdtempSync(join(tmpdir(), 'cogdesk-bench-'));
  const core = await createCore({ home });
  try {
    const version = await core.ensureVersion(fixtureImage('coglet-echo-c4'));
    const run = async (i: number) => {
      const p = await core.waitForPrediction((await core.createPrediction({ version: version.id, input: { text: `b${i}`, sleep: SLEEP } })).id);
      if (p.status !== 'succeeded') throw new Error(`prediction ${p.id} ${p.status}: ${p.error}`);
    };
    await run(-1); // the cold start is not measured
    const warm = (await core.getEngineStatus()).warmContainers.find((w) => w.versionId === version.id)!;
    if (warm.limit !== LIMIT) throw new Error(`the model runs ${warm.limit} at once, not ${LIMIT}`);
    const together: number[] = [];
    const oneByOne: number[] = [];
    let most = 0;
    for (let r = 0; r < RUNS; r++) {
      console.error(`run ${r + 1}/${RUNS}: ${COUNT} predictions together, then one at a time`);
      await fixtureStats(warm.url, true);
      let t = performance.now();
      await Promise.all(Array.from({ length: COUNT }, (_, i) => run(i)));
      together.push(performance.now() - t);
      most = Math.max(most, (await fixtureStats(warm.url)).max_inflight);
      t = performance.now();
      for (let i = 0; i < COUNT; i++) await run(i);
      oneByOne.push(performance.now() - t);
    }
    const c = percentile(together, 50);
    const s = percentile(oneByOne, 50);
    const rows = [
      ['benchmark', 'engine p50', 'engine p95', 'baseline p50', 'baseline p95', 'result'],
      [
        `${COUNT} predictions of ${SLEEP} s, model allows ${LIMIT} (n=${RUNS})`,
        ms(c),
        ms(percentile(together, 95)),
        ms(s),
        ms(percentile(oneByOne, 95)),
        `speed-up ${(s / c).toFixed(2)}x, at most ${most} in flight (target >= 3.5x)`,
      ],
    ];
    console.log(table(rows));
  } finally {
    await core.close();
    rmSync(home, { recursive: true, force: true });
  }
}

void main().catch((e) => {
  console.error(e);
  process.exit(1);
});
