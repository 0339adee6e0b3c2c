/**
 * How fast `cogdesk` starts (issue 16, item 8): the built CLI (node bin/cogdesk.js) against `node -e 0`
 * (Node's own start), median of N runs each, in a fresh data folder with a 50-prediction history.
 * Targets: `--help` under 0.1 s and `predictions list` under 0.15 s. `docker ps` is shown for scale when
 * there is a docker CLI. Usage: npm run build && npm run bench:cli [-- --runs 10]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { homePaths } from '../src/main/core/paths';
import { openStore } from '../src/main/core/store';
import { ms, percentile, table } from './stats';

const { values: args } = parseArgs({ options: { runs: { type: 'string', default: '10' } } });
const RUNS = Number(args.runs);
if (!Number.isInteger(RUNS) || RUNS < 1) {
  process.stderr.write(`--runs must be a whole number of 1 or more, got "${args.runs}".\n`);
  process.exit(2);
}
const ROOT = resolve(__dirname, '..');
const BIN = join(ROOT, 'bin', 'cogdesk.js');
if (!existsSync(join(ROOT, 'out', 'main', 'cli.js'))) {
  process.stderr.write('The CLI is not built: run npm run build first.\n');
  process.exit(1);
}

const home = mkdtempSync(join(tmpdir(), 'cogdesk-bench-cli-'));
const store = openStore(homePaths(home).database);
store.library.register(
  { id: 'bench/echo', owner: 'bench', name: 'echo', repository: 'bench/echo' },
  { id: 'b'.repeat(64), modelId: 'bench/echo', imageRef: 'bench/echo:latest', imageId: `sha256:${'c'.repeat(64)}`, cogVersion: '0.15.5', openapiSchema: {}, cogConfig: null, legacyLabels: false, sizeBytes: 1 },
);
for (let i = 0; i < 50; i++) store.predictions.create({ modelId: 'bench/echo', versionId: 'b'.repeat(64), input: { text: `p${i}` }, source: 'cli' });
store.close();

function median(cmd: string, argv: string[]): number {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    const r = spawnSync(cmd, argv, { env: { ...process.env, COGDESK_HOME: home }, stdio: ['ignore', 'ignore', 'pipe'] });
    times.push(performance.now() - t);
    if (r.status !== 0) throw new Error(`${cmd} ${argv.join(' ')} exited ${r.status}: ${r.stderr?.toString()}`);
  }
  return percentile(times, 50);
}

try {
  const node = median(process.execPath, ['-e', '0']);
  const rows = [['command', `median of ${RUNS}`, 'over node -e 0', 'target']];
  rows.push(['node -e 0', ms(node), '-', '-']);
  for (const [label, argv, target] of [
    ['cogdesk --help', ['--help'], 100],
    ['cogdesk predictions list', ['predictions', 'list'], 150],
  ] as const) {
    const t = median(process.execPath, [BIN, ...argv]);
    rows.push([label, ms(t), ms(t - node), `< ${target} ms ${t < target ? 'met' : 'NOT met'}`]);
  }
  let docker = false;
  try {
    execFileSync('docker', ['version'], { stdio: 'ignore' });
    docker = true;
  } catch {
    // no docker CLI: no row for scale
  }
  if (docker) rows.push(['docker ps (for scale)', ms(median('docker', ['ps'])), '-', '-']);
  process.stdout.write(table(rows) + '\n');
} finally {
  rmSync(home, { recursive: true, force: true });
}
