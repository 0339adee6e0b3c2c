/**
 * The usual verbs with the built CLI against the real engine: ps, stop, rm, predictions rm, examples rm,
 * model NAME for a local model, run -o / --quiet / --example, and shell completion (run in a real bash).
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ApiPrediction } from '../../../src/main/core/api-server/serialize';
import type { CliVersion } from '../../../src/main/cli/json-library';
import { assertBuilt, BIN, fixtureRef, runCli, tempDirs, type CliRun } from './run-cli';
import { apiPredict, startServe, type ServeProcess } from './serve-process';

/** An image of this file's own (a second tag on the echo fixture), so that `rm` removes nothing others use. */
const OWN_TAG = `cogdesk-cli-verbs/echo:t${process.pid}`;

let home: string;
let scratch: string;
let cleanup: () => void;
let serve: ServeProcess | null = null;
const docker = (...args: string[]) => spawnSync('docker', args, { encoding: 'utf8' });

beforeAll(() => {
  assertBuilt();
  expect(docker('tag', fixtureRef('echo'), OWN_TAG).status).toBe(0);
});
afterAll(() => {
  docker('rmi', '--no-prune', OWN_TAG);
});
beforeEach(() => {
  ({ dirs: [home, scratch], cleanup } = tempDirs('cogdesk-cli-verbs-', 'cogdesk-cli-verbs-scratch-'));
});
afterEach(async () => {
  await serve?.stop();
  serve = null;
  cleanup();
});

const cli = (args: string[], env: Record<string, string> = {}) => runCli(args, { home, env });
const text = (r: CliRun) => `stdout: ${r.stdout.toString()}\nstderr: ${r.stderr}`;
async function ok(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  const r = await cli(args, env);
  expect(r.code, `cogdesk ${args.join(' ')}\n${text(r)}`).toBe(0);
  return r;
}
const json = <T>(r: CliRun) => JSON.parse(r.stdout.toString()) as T;
const out = (r: CliRun) => r.stdout.toString();

describe('the usual verbs', { timeout: 180_000 }, () => {
  it('ps shows the warm container a running cogdesk serve holds (model, since when, memory); stop MODEL stops it', async () => {
    const version = json<CliVersion>(await ok(['pull', fixtureRef('echo'), '--json']));
    expect(out(await ok(['ps']))).toMatch(/^No warm models/);
    serve = await startServe(home);
    expect((await apiPredict(serve, version.id, { text: 'hi' })).status).toBe('succeeded');

    const warm = json<Array<{ container_id: string; model: string; version: string; status: string; started_at: string; memory_bytes: number | null }>>(await ok(['ps', '--json']));
    expect(warm).toHaveLength(1);
    expect(warm[0]).toMatchObject({ model: version.model, version: version.id, status: 'running' });
    expect(warm[0].started_at).toMatch(/Z$/);
    expect(warm[0].memory_bytes).toBeGreaterThan(0);
    const table = out(await ok(['ps']));
    expect(table).toMatch(/^CONTAINER\s+MODEL\s+VERSION\s+STATE\s+SINCE \(LOCAL TIME\)\s+MEMORY\s+STARTED BY/);
    expect(table).toContain(warm[0].container_id.slice(0, 12));

    expect(out(await ok(['stop', 'echo']))).toContain(`Stopped ${version.model} (${warm[0].container_id.slice(0, 12)})`);
    expect(json<unknown[]>(await ok(['ps', '--json']))).toEqual([]);
    expect(out(await ok(['stop']))).toBe('Nothing warm.\n');
  });

  it('rm MODEL forgets its versions and removes its image tag, saying the disk it frees; an unknown name fails', async () => {
    await ok(['run', OWN_TAG, '-i', 'text=hi']);
    const removed = json<Array<{ model: string; version: string; freed_bytes: number }>>(await ok(['rm', 'cogdesk-cli-verbs/echo', '--json']));
    expect(removed).toHaveLength(1);
    expect(removed[0].model).toBe('docker.io/cogdesk-cli-verbs/echo');
    // The image still has the fixture's tag: untagging frees nothing.
    expect(removed[0].freed_bytes).toBe(0);
    expect(docker('image', 'inspect', OWN_TAG).status).not.toBe(0);
    expect(docker('image', 'inspect', fixtureRef('echo')).status).toBe(0);
    expect(json<unknown[]>(await ok(['models', '--json'])).filter((m) => (m as { id: string }).id.includes('cogdesk-cli-verbs'))).toEqual([]);
    expect(docker('tag', fixtureRef('echo'), OWN_TAG).status).toBe(0);

    const unknown = await cli(['rm', 'nosuch-model']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('Error: No local model or version "nosuch-model"');
  });

  it('predictions rm and examples rm; run --example ID of an example kept here', async () => {
    const a = json<ApiPrediction>(await ok(['run', fixtureRef('echo'), '-i', 'text=first', '-i', 'times=1', '--json']));
    const b = json<ApiPrediction>(await ok(['run', fixtureRef('echo'), '-i', 'text=second', '--json']));
    await ok(['examples', 'add', a.id]);
    const fromExample = json<ApiPrediction>(await ok(['run', 'echo', '--example', a.id, '--json']));
    expect(fromExample).toMatchObject({ status: 'succeeded', input: { text: 'first', times: 1 }, output: 'hello first' });

    expect(out(await ok(['examples', 'rm', a.id]))).toContain(`${a.id} is no longer an example`);
    expect(json<unknown[]>(await ok(['examples', 'list', 'echo', '--json']))).toEqual([]);
    const noExample = await cli(['run', 'echo', '--example', a.id]);
    expect(noExample.code).toBe(1);
    expect(noExample.stderr).toMatch(/has no example/);

    expect(out(await ok(['predictions', 'rm', b.id, fromExample.id]))).toBe(`Deleted ${b.id}\nDeleted ${fromExample.id}\n`);
    expect(json<ApiPrediction[]>(await ok(['predictions', 'list', '--json'])).map((p) => p.id)).toEqual([a.id]);
    const gone = await cli(['predictions', 'rm', b.id]);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toContain(`No prediction "${b.id}"`);
  });

  it('model NAME for a local model: its inputs with types, defaults, ranges, choices, descriptions, and the run line', async () => {
    await ok(['pull', fixtureRef('echo')]);
    const page = out(await ok(['model', 'echo']));
    expect(page).toContain('127.0.0.1:5100/fixtures/echo  (local)');
    expect(page).toMatch(/NAME\s+TYPE\s+DEFAULT\s+ALLOWED\s+DESCRIPTION/);
    expect(page).toMatch(/text\*\s+string\s+-\s+-\s+Text to echo/);
    expect(page).toMatch(/times\s+integer\s+2\s+1 to 10\s+Repeat count/);
    expect(page).toMatch(/style\s+string\s+"plain"\s+one of "plain", "shout"\s+Style/);
    expect(page).toContain('Run it:  cogdesk run 127.0.0.1:5100/fixtures/echo -i text=VALUE');
    const j = json<{ id: string; owner: string; name: string; version: { id: string; openapi_schema: object } }>(await ok(['model', 'echo', '--json']));
    expect(j).toMatchObject({ id: '127.0.0.1:5100/fixtures/echo', owner: 'fixtures', name: 'echo' });
  });

  it('run -o PATH writes the output (a file copied, text as text); --quiet prints only the output', async () => {
    const textOut = join(scratch, 'out.txt');
    const r = await ok(['run', fixtureRef('echo'), '-i', 'text=hi', '-o', textOut]);
    expect(out(r)).toBe(`${textOut}\n`);
    expect(readFileSync(textOut, 'utf8')).toBe('hello hi hi\n');

    const input = join(scratch, 'in.bin');
    writeFileSync(input, Buffer.from([1, 2, 3, 4, 5]));
    const fileOut = join(scratch, 'copy.bin');
    await ok(['run', fixtureRef('file'), '-i', `image=@${input}`, '-o', fileOut]);
    expect(existsSync(fileOut)).toBe(true);

    const quiet = await ok(['run', fixtureRef('echo'), '-i', 'text=q', '--quiet']);
    expect(out(quiet)).toBe('hello q q\n');
    expect(quiet.stderr).toBe('');

    const bad = await cli(['run', fixtureRef('echo'), '-i', 'text=hi', '-o', join(scratch, 'no', 'such', 'dir', 'x')]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/Cannot write the output to .*no\/such\/dir\/x/);
  });

  it('completion: bash completes commands, subcommands, options and the local model names (in a real bash)', async () => {
    await ok(['pull', fixtureRef('echo')]);
    const script = join(scratch, 'cogdesk.bash');
    writeFileSync(script, (await ok(['completion', 'bash'])).stdout);
    const binDir = join(scratch, 'bin');
    spawnSync('mkdir', [binDir]);
    writeFileSync(join(binDir, 'cogdesk'), `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`);
    chmodSync(join(binDir, 'cogdesk'), 0o755);
    const complete = (...words: string[]) => {
      const r = spawnSync('bash', ['-c', `source "${script}"; COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _cogdesk; printf '%s\\n' "\${COMPREPLY[@]}"`], {
        encoding: 'utf8',
        env: { ...process.env, COGDESK_HOME: home, PATH: `${binDir}:${process.env.PATH}` },
      });
      expect(r.status, r.stderr).toBe(0);
      return r.stdout.trim().split('\n');
    };
    expect(complete('cogdesk', 'pre')).toEqual(['predictions']);
    expect(complete('cogdesk', 'predictions', '')).toEqual(['list', 'show', 'import', 'rm']);
    expect(complete('cogdesk', 'run', 'x', '--q')).toEqual(['--quiet']);
    expect(complete('cogdesk', 'run', 'fix')).toEqual(['fixtures/echo']);
    for (const shell of ['zsh', 'fish']) expect(out(await ok(['completion', shell]))).toContain('cogdesk');
    const wrong = await cli(['completion', 'tcsh']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/bash, zsh or fish/);
  });
});
