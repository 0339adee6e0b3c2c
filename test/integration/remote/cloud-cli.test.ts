/**
 * Running on Replicate from the command line (a real subprocess per command, against the fake Replicate
 * API and a real SQLite history): `cogdesk run OWNER/NAME --on replicate`, the history listing both with
 * where each ran (and `--on` to filter), `cogdesk predictions import ID`, and the errors that say what to do.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../../../src/main/core/store';
import { homePaths } from '../../../src/main/core/paths';
import { runSourceCli, type SourceCliResult } from './source-cli';
import { expectAnswersValid, FAKE_TOKEN, startFakeOffline, type FakeReplicate } from '../../fakes/replicate-api';

const TIMEOUT = 120_000;

let fake: FakeReplicate;
let home: string;

type Result = SourceCliResult;

async function cogdesk(args: string[], env: Record<string, string | undefined> = { REPLICATE_API_TOKEN: FAKE_TOKEN }): Promise<Result> {
  const r = await runSourceCli(args, { home, env: { COGDESK_REPLICATE_API: fake.url, ...env } });
  expect(r.stdout + r.stderr, `cogdesk ${args.join(' ')} printed the token`).not.toContain(FAKE_TOKEN);
  return r;
}

async function ok(args: string[]): Promise<Result> {
  const r = await cogdesk(args);
  expect(r.code, `cogdesk ${args.join(' ')}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`).toBe(0);
  return r;
}

beforeAll(async () => {
  fake = await startFakeOffline();
  fake.predictions.auto = true;
});
afterAll(async () => {
  expectAnswersValid(fake);
  await fake.close();
});
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'cogdesk-cloud-cli-'));
});
afterEach(() => {
  rmSync(home, { recursive: true, force: true });
});

describe('cogdesk run --on replicate, and one history', { timeout: TIMEOUT }, () => {
  it('runs on Replicate with the default example under the -i values, prints the output, and keeps it as run there', async () => {
    const r = await ok(['run', 'fixtures/echo', '--on', 'replicate', '-i', 'text=hello cloud']);
    const remoteId = [...fake.predictions.runs.keys()].at(-1)!;
    expect(fake.predictions.runs.get(remoteId)!.body.input).toEqual({ text: 'hello cloud', times: 3 });
    expect(r.stderr).toContain(`Running on Replicate: https://replicate.com/p/${remoteId} (prediction ${remoteId}).`);
    expect(r.stderr).toContain('running fixtures/echo');
    expect(r.stdout).toContain('hello cloud');

    const json = JSON.parse((await ok(['predictions', 'show', remoteId, '--json'])).stdout) as Record<string, unknown>;
    expect(json).toMatchObject({ id: remoteId, status: 'succeeded', ran_on: 'replicate', replicate: { id: remoteId, web_url: `https://replicate.com/p/${remoteId}` } });
    const shown = (await ok(['predictions', 'show', remoteId])).stdout;
    expect(shown).toContain(`Ran on:    Replicate (prediction ${remoteId}, https://replicate.com/p/${remoteId})`);

    // One history with a local one beside it: the ON column, and --on to filter.
    const store = openStore(homePaths(home).database);
    const local = store.predictions.create({ modelId: 'fixtures/echo', versionId: 'e'.repeat(64), input: { text: 'here' }, source: 'cli' });
    store.close();
    const lines = (await ok(['predictions', 'list'])).stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID\s+MODEL\s+ON\s+STATUS/);
    expect(lines[1]).toMatch(new RegExp(`^${local.id}\\s+fixtures/echo\\s+local\\s+starting\\s`));
    expect(lines[2]).toMatch(new RegExp(`^${remoteId}\\s+fixtures/echo\\s+replicate\\s+succeeded\\s`));
    const ids = async (...a: string[]) => (JSON.parse((await ok(['predictions', 'list', '--json', ...a])).stdout) as Array<{ id: string }>).map((p) => p.id);
    expect(await ids('--on', 'replicate')).toEqual([remoteId]);
    expect(await ids('--on', 'local')).toEqual([local.id]);
    const bad = await cogdesk(['predictions', 'list', '--on', 'elsewhere']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("Allowed choices are local, replicate");
  });

  it('imports a prediction made on the web by its id, with its output file', async () => {
    const remoteId = fake.predictions.seed({ model: 'fixtures/echo', version: 'e'.repeat(64), input: { text: 'from the web' }, output: fake.predictions.file('out.txt', Buffer.from('web output')) });
    const r = await ok(['predictions', 'import', remoteId]);
    expect(r.stdout).toContain(`Imported ${remoteId} (fixtures/echo, succeeded) as ${remoteId}`);
    const file = join(homePaths(home).outputs, remoteId, 'output.txt');
    expect(r.stdout).toContain(file);
    expect(readFileSync(file, 'utf8')).toBe('web output');
    const again = await ok(['predictions', 'list', '--on', 'replicate']);
    expect(again.stdout.trimEnd().split('\n')).toHaveLength(2);
  });

  it('errors that say what to do: no token, a model that cannot run there, no credit, --gpus', async () => {
    const none = await cogdesk(['run', 'fixtures/echo', '--on', 'replicate', '-i', 'text=x'], {});
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/Replicate needs an API token|needs your API token/);
    expect(none.stderr).toContain('cogdesk login');

    fake.predictions.noCredit(1);
    const broke = await cogdesk(['run', 'fixtures/echo', '--on', 'replicate', '-i', 'text=x']);
    expect(broke.code).toBe(1);
    expect(broke.stderr).toContain('Error: Replicate refused to run fixtures/echo: the account has no credit left (402: ');
    expect(broke.stderr).toContain('Add credit at https://replicate.com/account/billing');

    const gpus = await cogdesk(['run', 'fixtures/echo', '--on', 'replicate', '--gpus', '0']);
    expect(gpus.code).toBe(2);
    expect(gpus.stderr).toContain('--gpus is for a run here; Replicate picks the hardware of a run there.');

    const local = await cogdesk(['run', 'some-image:latest', '--on', 'replicate']);
    expect(local.code).toBe(1);
    expect(local.stderr).toContain('"some-image:latest" is not a Replicate model: --on replicate runs Replicate\'s models');
  });
});
