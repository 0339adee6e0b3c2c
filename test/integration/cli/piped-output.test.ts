/**
 * Output through a real pipe is never cut: every command that prints finishes writing before the process
 * ends (issue 11, item 7: `cogdesk predictions list --json | wc -c` gave 65536 bytes). The reader takes
 * nothing until the command has exited or has waited a while for it, so the pipe is full when the command
 * is done: a command that exits then loses what is left.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Prediction, Version } from '../../../src/shared/domain';
import type { CliModel } from '../../../src/main/cli/json-library';
import { camelCaseKeys } from '../../helpers/json-keys';
import { homePaths } from '../../../src/main/core/paths';
import { openStore } from '../../../src/main/core/store';
import { assertBuilt, BIN, runCli, tempDirs } from './run-cli';

const HOLD_MS = 4_000;
const MB = 1_000_000;

let home: string;
let cleanup: () => void;

beforeAll(assertBuilt);
beforeEach(() => {
  ({ dirs: [home], cleanup } = tempDirs('cogdesk-pipe-home-'));
});
afterEach(() => cleanup());

/** Fills the home's database through the store: `count` models, each with one version whose schema is padded. */
function seed(o: { models: number; predictions: number; bigOutputBytes?: number; schemaPad?: number }): { bigId?: string } {
  const store = openStore(homePaths(home).database);
  try {
    let first: Version | undefined;
    for (let m = 0; m < o.models; m++) {
      const id = `acme/model-${String(m).padStart(4, '0')}`;
      const version = store.library.register(
        { id, owner: 'acme', name: id.slice(5), repository: `127.0.0.1:5999/${id}` },
        {
          id: (m.toString(16).padStart(8, '0') + 'ab'.repeat(28)).slice(0, 64),
          modelId: id,
          imageRef: `127.0.0.1:5999/${id}:latest`,
          imageId: `sha256:${'cd'.repeat(32)}`,
          cogVersion: '0.15.5',
          openapiSchema: { info: { title: 'Cog', pad: 'x'.repeat(o.schemaPad ?? 10) } },
          cogConfig: null,
          legacyLabels: false,
          sizeBytes: 1000,
        },
      );
      first ??= version;
    }
    const insert = store.db.transaction(() => {
      for (let i = 0; i < o.predictions; i++) {
        const p = store.predictions.create({ modelId: first!.modelId, versionId: first!.id, input: { prompt: `prompt ${i} ${'p'.repeat(800)}` }, source: 'cli' });
        store.predictions.update(p.id, { status: 'succeeded', output: `output ${i} ${'o'.repeat(800)}`, logs: `log ${i}\n` });
      }
    });
    insert();
    if (!o.bigOutputBytes) return {};
    const big = store.predictions.create({ modelId: first!.modelId, versionId: first!.id, input: { prompt: 'big' }, source: 'cli' });
    store.predictions.update(big.id, { status: 'succeeded', output: 'b'.repeat(o.bigOutputBytes), logs: 'done\n' });
    return { bigId: big.id };
  } finally {
    store.close();
  }
}

describe('output through a pipe (the built CLI)', { timeout: 120_000 }, () => {
  it('predictions list --json --limit 1000: more than 1 MB arrives whole and parses', async () => {
    seed({ models: 1, predictions: 1000 });
    const r = await runCli(['predictions', 'list', '--json', '--limit', '1000'], { home, holdMs: HOLD_MS });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.length).toBeGreaterThan(MB);
    const list = JSON.parse(r.stdout.toString('utf8')) as Prediction[];
    expect(list).toHaveLength(1000);
    expect(list.at(-1)!.output).toMatch(/^output 0 o+$/);
  });

  it('predictions show ID --json of a prediction with a 20 MB output: all of it, and the text form too', async () => {
    const { bigId } = seed({ models: 1, predictions: 0, bigOutputBytes: 20 * MB });
    const json = await runCli(['predictions', 'show', bigId!, '--json'], { home, holdMs: HOLD_MS });
    expect(json.code, json.stderr).toBe(0);
    const p = JSON.parse(json.stdout.toString('utf8')) as Prediction;
    expect(p.id).toBe(bigId);
    expect((p.output as string).length).toBe(20 * MB);

    const text = await runCli(['predictions', 'show', bigId!], { home, holdMs: HOLD_MS });
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout.length).toBeGreaterThan(20 * MB);
    expect(text.stdout.toString('utf8').trimEnd().endsWith('done')).toBe(true);
  });

  it('models --json with many models: the whole list', async () => {
    seed({ models: 300, predictions: 0, schemaPad: 5000 });
    // No Docker: the library answers alone (what the engine has would only add to the list).
    const r = await runCli(['models', '--json'], { home, holdMs: HOLD_MS, env: { DOCKER_HOST: 'unix:///tmp/nonexistent.sock' } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.length).toBeGreaterThan(MB);
    const models = JSON.parse(r.stdout.toString('utf8')) as CliModel[];
    expect(models).toHaveLength(300);
    expect(models.every((m) => m.versions.length === 1 && m.latest_version?.id === m.versions[0]!.id)).toBe(true);
    expect(camelCaseKeys(models)).toEqual([]);
  });

  it('a reader that stops early (| head -c 100) ends the command quietly, not with an EPIPE stack trace', async () => {
    seed({ models: 1, predictions: 1000 });
    const env: NodeJS.ProcessEnv = { ...process.env, COGDESK_HOME: home };
    delete env.COGDESK_CLI_MAIN;
    delete env.DOCKER_HOST;
    const r = spawnSync('bash', ['-c', `set -o pipefail; "${process.execPath}" "${BIN}" predictions list --json --limit 1000 2>"${home}/err" | head -c 100 >/dev/null; echo "\${PIPESTATUS[0]}"`], {
      env,
      encoding: 'utf8',
      timeout: 60_000,
    });
    const err = readFileSync(`${home}/err`, 'utf8');
    expect(err).not.toMatch(/EPIPE|at .*\(node:/);
    expect(r.stdout.trim()).toMatch(/^\d+$/);
  });
});
