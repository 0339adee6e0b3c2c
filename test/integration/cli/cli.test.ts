/**
 * The built `cogdesk` command, run as a real subprocess (`node bin/cogdesk.js ...`) against the real Docker
 * engine, the test registries (scripts/test-env/setup.sh) and a fresh COGDESK_HOME per test.
 */
import Database from 'better-sqlite3';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Model, Version } from '../../../src/shared/domain';
import type { cliExample } from '../../../src/main/cli/json';

type CliExample = ReturnType<typeof cliExample>;
import type { ApiPrediction } from '../../../src/main/core/api-server/serialize';
import { homePaths } from '../../../src/main/core/paths';
import { openStore } from '../../../src/main/core/store';
import { managedContainers } from '../../helpers/core';
import { camelCaseKeys } from '../../helpers/json-keys';

const ROOT = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
const BIN = join(ROOT, 'bin', 'cogdesk.js');
const BUILT_CLI = join(ROOT, 'out', 'main', 'cli.js');
const FIXTURES_JSON = process.env.COGDESK_FIXTURES ?? '/var/lib/cogdesk-test/fixtures.json';
const CLI_TIMEOUT_MS = 60_000;

interface FixtureImage {
  ref: string;
  registry: string;
  repository: string;
  digest: string;
  imageId: string;
}
interface Fixtures {
  openRegistry: string;
  authRegistry: string;
  authUser: string;
  authPassword: string;
  images: Record<string, FixtureImage>;
}

let fx: Fixtures;
const img = (name: string): FixtureImage => {
  const image = fx.images[name];
  if (!image) throw new Error(`${FIXTURES_JSON} has no "${name}" fixture: run scripts/test-env/setup.sh`);
  return image;
};
const hexOf = (digest: string) => digest.replace(/^sha256:/, '');

// ---- the docker CLI, for setting the stage (never for what is under test) ----

function dockerCli(...args: string[]): { code: number | null; out: string } {
  const r = spawnSync('docker', args, { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}
const imagePresent = (ref: string) => dockerCli('image', 'inspect', ref).code === 0;
function ensureImage(ref: string): void {
  if (imagePresent(ref)) return;
  const r = dockerCli('pull', ref);
  if (r.code !== 0) throw new Error(`could not restore fixture image ${ref}: ${r.out}`);
}

// ---- running the CLI ----

interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** stdout as the chunks arrived. */
  stdoutChunks: string[];
}

let home: string;
/** An empty Docker config folder: no test ever reads the user's ~/.docker/config.json. */
let dockerConfig: string;
let scratch: string;

/**
 * Runs `node bin/cogdesk.js ...args` with COGDESK_HOME=home; then checks that the command left no container
 * of its home behind (the CLI stops its own containers on exit).
 */
async function cli(
  args: string[],
  o: { env?: Record<string, string | undefined>; home?: string; onStdout?: (chunk: string, child: ReturnType<typeof spawn>) => void } = {},
): Promise<CliResult> {
  const h = o.home ?? home;
  const env: NodeJS.ProcessEnv = { ...process.env, COGDESK_HOME: h, DOCKER_CONFIG: dockerConfig };
  delete env.DOCKER_HOST;
  delete env.COGDESK_CLI_MAIN;
  for (const [k, v] of Object.entries(o.env ?? {})) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  const child = spawn(process.execPath, [BIN, ...args], { cwd: scratch, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const stdoutChunks: string[] = [];
  let stderr = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stdout.on('data', (c: string) => {
    stdoutChunks.push(c);
    o.onStdout?.(c, child);
  });
  child.stderr.on('data', (c: string) => (stderr += c));
  // A guard so a hung command fails its test with what it printed, instead of hanging the suite.
  const guard = setTimeout(() => child.kill('SIGKILL'), CLI_TIMEOUT_MS - 5_000);
  const { code, signal } = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res, rej) => {
    child.on('error', rej);
    child.on('close', (c, s) => res({ code: c, signal: s }));
  });
  clearTimeout(guard);
  const result: CliResult = { code, signal, stdout: stdoutChunks.join(''), stderr, stdoutChunks };
  if (signal) throw new Error(`cogdesk ${args.join(' ')} was killed (${signal}).\nstdout: ${result.stdout}\nstderr: ${stderr}`);
  const left = await managedContainers(homePaths(h).homeId);
  expect(left.map((c) => `${c.Id.slice(0, 12)} ${c.Image} ${c.State}`), `containers left by: cogdesk ${args.join(' ')}`).toEqual([]);
  return result;
}

/** Runs a command that must succeed, and answers its stdout parsed as JSON. */
async function cliJson<T>(args: string[], o: { env?: Record<string, string | undefined>; home?: string } = {}): Promise<T> {
  const r = await cli(args, o);
  expect(r.code, `cogdesk ${args.join(' ')}\nstderr: ${r.stderr}`).toBe(0);
  return JSON.parse(r.stdout) as T;
}

/** Runs an echo prediction and answers it (via --json). */
async function runEcho(text = 'hi'): Promise<ApiPrediction> {
  const p = await cliJson<ApiPrediction>(['run', img('echo').ref, '-i', `text=${text}`, '--json']);
  expect(p.status).toBe('succeeded');
  return p;
}

/** Runs the fail fixture and answers the id of the failed prediction (from the hint on stderr). */
async function runFail(): Promise<string> {
  const r = await cli(['run', img('fail').ref]);
  expect(r.code).toBe(1);
  const id = /cogdesk predictions show ([a-z2-7]{26})/.exec(r.stderr)?.[1];
  expect(id, `no prediction id in stderr: ${r.stderr}`).toBeTruthy();
  return id!;
}

const listPredictions = (...extra: string[]) => cliJson<ApiPrediction[]>(['predictions', 'list', '--json', ...extra]);

/**
 * What a home's library holds, read from its database (`cogdesk models` would add every Cog image Docker
 * has first: these tests check what a command itself recorded).
 */
function library(h = home): Array<Model & { versions: Version[] }> {
  const file = homePaths(h).database;
  if (!existsSync(file)) return [];
  const store = openStore(file);
  try {
    return store.library.listModels().map((m) => ({ ...m, versions: store.library.listVersions(m.id) }));
  } finally {
    store.close();
  }
}

// ---- the stage ----

beforeAll(async () => {
  if (!existsSync(BUILT_CLI)) {
    throw new Error(`${BUILT_CLI} is missing: the CLI tests run the built command. Build it first: npx electron-vite build (or npm run build).`);
  }
  try {
    fx = JSON.parse(readFileSync(FIXTURES_JSON, 'utf8')) as Fixtures;
  } catch (e) {
    throw new Error(`Cannot read ${FIXTURES_JSON} (${String(e)}): run scripts/test-env/setup.sh first.`);
  }
  const info = dockerCli('info', '--format', '{{.ServerVersion}}');
  if (info.code !== 0) throw new Error(`The CLI tests need a running Docker engine (docker info: ${info.out}): run scripts/test-env/setup.sh.`);
  for (const [registry, want] of [[fx.openRegistry, 200], [fx.authRegistry, 401]] as const) {
    const status = await fetch(`http://${registry}/v2/`).then((r) => r.status, (e: unknown) => String(e));
    if (status !== want) throw new Error(`The test registry ${registry} answers ${status} on /v2/ (expected ${want}): run scripts/test-env/setup.sh.`);
  }
  // Earlier runs (or other test files) may have removed a fixture image: put back what these tests run.
  for (const name of ['echo', 'file', 'stream', 'fail', 'no-labels', 'bad-schema']) ensureImage(img(name).ref);
}, 300_000);

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'cogdesk-cli-home-'));
  dockerConfig = mkdtempSync(join(tmpdir(), 'cogdesk-cli-dockercfg-'));
  scratch = mkdtempSync(join(tmpdir(), 'cogdesk-cli-scratch-'));
});

afterEach(() => {
  for (const d of [home, dockerConfig, scratch]) rmSync(d, { recursive: true, force: true });
});

// ---- the tests ----

describe('cogdesk (the built CLI)', { timeout: CLI_TIMEOUT_MS }, () => {
  it('--help lists the commands', async () => {
    const r = await cli(['--help']);
    expect(r.code).toBe(0);
    for (const command of ['pull', 'run', 'predictions', 'models', 'examples']) expect(r.stdout).toMatch(new RegExp(`^\\s+${command}\\b`, 'm'));
    const sub = await cli(['predictions', '--help']);
    expect(sub.code).toBe(0);
    expect(sub.stdout).toMatch(/^\s+list\b/m);
    expect(sub.stdout).toMatch(/^\s+show\b/m);
  });

  describe('pull', () => {
    it(
      'pulls an image that is not here: progress with a percent on stderr, then the model and its version are in the library',
      async () => {
        const echo = img('echo');
        const privateEcho = img('private-echo');
        try {
          // The private fixture is the same image: with its tag gone too, the image really leaves the machine.
          dockerCli('rmi', privateEcho.ref);
          dockerCli('rmi', '-f', echo.ref);
          expect(imagePresent(echo.ref), `${echo.ref} is still here after docker rmi -f`).toBe(false);

          const r = await cli(['pull', echo.ref]);
          expect(r.code, r.stderr).toBe(0);
          expect(r.stderr).toMatch(/\d+%/);
          expect(r.stdout).toContain(hexOf(echo.digest));
          expect(imagePresent(echo.ref)).toBe(true);

          const models = library();
          expect(models).toHaveLength(1);
          const [m] = models;
          expect(m).toMatchObject({ id: echo.repository, latestVersionId: hexOf(echo.digest), versionCount: 1 });
          expect(m.versions).toHaveLength(1);
          expect(m.versions[0].id).toMatch(/^[a-f0-9]{64}$/);
          expect(m.versions[0]).toMatchObject({ id: hexOf(echo.digest), modelId: echo.repository, imageId: echo.imageId, legacyLabels: false });
        } finally {
          ensureImage(echo.ref);
        }
      },
      120_000,
    );

    it('an image the registry does not have: non-zero exit, stderr says what failed and what to do', async () => {
      const ref = `${fx.openRegistry}/fixtures/does-not-exist:latest`;
      const r = await cli(['pull', ref]);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain(`Error: ${ref} was not found on ${fx.openRegistry}`);
      expect(r.stderr).toMatch(/Check the image name/);
      expect(library()).toEqual([]);
    });

    describe('a private image (registry with basic auth)', () => {
      afterEach(() => {
        dockerCli('rmi', img('private-echo').ref);
      });

      it('without credentials: exit 1, says it needs signing in and to docker login', async () => {
        const priv = img('private-echo');
        dockerCli('rmi', priv.ref);
        const r = await cli(['pull', priv.ref]);
        expect(r.code).toBe(1);
        expect(r.stderr).toMatch(/requires you to sign in|unauthori[sz]ed/i);
        expect(r.stderr).toContain(`docker login ${fx.authRegistry}`);
        expect(imagePresent(priv.ref)).toBe(false);
        expect(library()).toEqual([]);
      });

      it('with the credentials in DOCKER_CONFIG: the pull succeeds', async () => {
        const priv = img('private-echo');
        dockerCli('rmi', priv.ref);
        const auth = Buffer.from(`${fx.authUser}:${fx.authPassword}`).toString('base64');
        writeFileSync(join(dockerConfig, 'config.json'), JSON.stringify({ auths: { [fx.authRegistry]: { auth } } }));
        const r = await cli(['pull', priv.ref]);
        expect(r.code, r.stderr).toBe(0);
        expect(r.stdout).toContain(`Pulled ${priv.ref}`);
        expect(imagePresent(priv.ref)).toBe(true);
        const models = library();
        expect(models.map((m) => [m.id, m.versions.map((v) => v.id)])).toEqual([[priv.repository, [hexOf(priv.digest)]]]);
      });
    });
  });

  describe('run', () => {
    it('runs the echo model: the output on stdout, logs on stderr, exit 0', async () => {
      const r = await cli(['run', img('echo').ref, '-i', 'text=hi', '-i', 'times=3', '-i', 'style=shout']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toBe('hello HI HI HI\n');
      expect(r.stderr).toContain("predicting text='hi' times=3");
    });

    it('--json prints the whole prediction, kept as the history has it', async () => {
      const r = await cli(['run', img('echo').ref, '-i', 'text=hi', '-i', 'times=3', '-i', 'style=shout', '--json']);
      expect(r.code, r.stderr).toBe(0);
      const p = JSON.parse(r.stdout) as ApiPrediction;
      // Replicate's prediction JSON, as the local API answers it (snake_case, ISO 8601 UTC), minus the urls.
      expect(p).toMatchObject({
        status: 'succeeded',
        source: 'web',
        output: 'hello HI HI HI',
        input: { text: 'hi', times: 3, style: 'shout' },
        model: 'fixtures/echo',
        version: hexOf(img('echo').digest),
        error: null,
        data_removed: false,
      });
      for (const at of [p.created_at, p.started_at, p.completed_at]) expect(at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(Object.keys(p).filter((k) => /[A-Z]/.test(k))).toEqual([]);
      expect(p.id).toMatch(/^[a-z2-7]{26}$/);
      expect(typeof p.metrics?.predict_time).toBe('number');
      expect(p.metrics!.predict_time).toBeGreaterThanOrEqual(0);
      expect(p.logs).toContain("predicting text='hi' times=3");
      expect(await cliJson<ApiPrediction>(['predictions', 'show', p.id, '--json'])).toEqual(p);
    });

    it.each([
      ['times=11 (out of range)', ['text=hi', 'times=11'], [/times/, /at most 10/]],
      ['times=abc (not an integer)', ['text=hi', 'times=abc'], [/times/, /integer/]],
      ['style=loud (not a choice)', ['text=hi', 'style=loud'], [/style/, /plain, shout/]],
      ['no text (required)', ['times=2'], [/text is required/]],
      ['nope=1 (no such input)', ['text=hi', 'nope=1'], [/"nope"/]],
      ['badarg (not key=value)', ['badarg'], [/"badarg"/, /key=value/]],
    ] as Array<[string, string[], RegExp[]]>)('a bad input, %s: exit 1, stderr names the field, and no prediction is made', async (_, inputs, expected) => {
      const r = await cli(['run', img('echo').ref, ...inputs.flatMap((i) => ['-i', i])]);
      expect(r.code).toBe(1);
      for (const re of expected) expect(r.stderr).toMatch(re);
      expect(r.stdout).toBe('');
      expect(await listPredictions()).toEqual([]);
    });

    it('a file input (key=@path): the output is a file under COGDESK_HOME/outputs; the history keeps paths, never base64', async () => {
      const content = 'Cogdesk file fixture: 0123456789 abcdefgh\n';
      const input = join(scratch, 'input.txt');
      writeFileSync(input, content);
      const r = await cli(['run', img('file').ref, '-i', `image=@${input}`]);
      expect(r.code, r.stderr).toBe(0);
      const out = r.stdout.trim();
      expect(out.startsWith(homePaths(home).outputs + sep), `${out} is not under ${homePaths(home).outputs}`).toBe(true);
      expect(readFileSync(out, 'utf8')).toBe([...content].reverse().join(''));

      const db = new Database(homePaths(home).database);
      try {
        const rows = db.prepare('SELECT input, output FROM predictions').all() as Array<{ input: string; output: string }>;
        expect(rows).toHaveLength(1);
        expect(JSON.parse(rows[0].input)).toEqual({ image: input });
        expect(JSON.parse(rows[0].output)).toBe(out);
        for (const text of [rows[0].input, rows[0].output]) {
          expect(text).not.toMatch(/base64/);
          expect(text).not.toMatch(/data:/);
        }
      } finally {
        db.close();
      }
    });

    it('a file input that does not exist: exit 1, stderr names the path, no prediction is made', async () => {
      expect(existsSync('/nope.txt')).toBe(false);
      const r = await cli(['run', img('file').ref, '-i', 'image=@/nope.txt']);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('/nope.txt');
      expect(r.stderr).toMatch(/image/);
      expect(await listPredictions()).toEqual([]);
    });

    it('a streaming model: the tokens on stdout, its logs on stderr', async () => {
      const r = await cli(['run', img('stream').ref, '-i', 'prompt=w', '-i', 'n=3', '-i', 'delay=0.1']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toBe('w-0 w-1 w-2 \n');
      for (const line of ['token 0', 'token 1', 'token 2']) expect(r.stderr).toContain(line);
      const [p] = await listPredictions();
      expect(p).toMatchObject({ status: 'succeeded', output: ['w-0 ', 'w-1 ', 'w-2 '] });
    });

    it('a streaming model: tokens are written as they come, not all at the end', async () => {
      // A second between tokens: the first token reaches stdout in a write of its own.
      const r = await cli(['run', img('stream').ref, '-i', 'prompt=s', '-i', 'n=3', '-i', 'delay=1']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toBe('s-0 s-1 s-2 \n');
      expect(r.stdoutChunks.length).toBeGreaterThan(1);
      expect(r.stdoutChunks[0]).toContain('s-0 ');
      expect(r.stdoutChunks[0]).not.toContain('s-2');
    });

    it('a model that fails: exit 1, stderr has the error; the history keeps the traceback in its logs', async () => {
      const r = await cli(['run', img('fail').ref]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('boom');
      const id = /cogdesk predictions show ([a-z2-7]{26})/.exec(r.stderr)?.[1];
      expect(id, r.stderr).toBeTruthy();
      const p = await cliJson<ApiPrediction>(['predictions', 'show', id!, '--json']);
      expect(p).toMatchObject({ id, status: 'failed', model: 'fixtures/fail' });
      expect(p.error).toContain('boom');
      expect(p.logs).toContain('Traceback (most recent call last)');
      expect(p.logs).toContain('ValueError: boom');
    });

    it('Ctrl-C cancels the running prediction: exit 130, the history says canceled and keeps the tokens so far', async () => {
      let interrupted = false;
      const r = await cli(['run', img('stream').ref, '-i', 'prompt=x', '-i', 'n=100', '-i', 'delay=0.1'], {
        onStdout: (chunk, child) => {
          if (!interrupted && chunk.includes('x-1 ')) {
            interrupted = true;
            child.kill('SIGINT');
          }
        },
      });
      expect(interrupted).toBe(true);
      expect(r.code).toBe(130);
      expect(r.stderr).toMatch(/was canceled/);
      const id = /cogdesk predictions show ([a-z2-7]{26})/.exec(r.stderr)?.[1];
      const p = await cliJson<ApiPrediction>(['predictions', 'show', id!, '--json']);
      expect(p.status).toBe('canceled');
      expect((p.output as string[]).length).toBeGreaterThanOrEqual(2);
      expect((p.output as string[]).length).toBeLessThan(100);
    });

    it('an image without Cog labels: exit 1 with a clear message; it is not added to the library', async () => {
      const ref = img('no-labels').ref;
      const r = await cli(['run', ref, '-i', 'text=a']);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`Error: ${ref} has no Cog labels`);
      expect(r.stderr).toMatch(/cog build/);
      expect(library()).toEqual([]);
      expect(await listPredictions()).toEqual([]);
    });

    it('an image whose schema label is broken: exit 1 with a clear message; it is not added to the library', async () => {
      const ref = img('bad-schema').ref;
      const r = await cli(['run', ref, '-i', 'text=a']);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`Error: ${ref} has a Cog schema label that Cogdesk cannot read`);
      expect(r.stderr).toMatch(/Rebuild the image/);
      expect(library()).toEqual([]);
      expect(await listPredictions()).toEqual([]);
    });
  });

  describe('predictions', () => {
    it('list (table and --json, newest first), show, and the --status and --model filters', async () => {
      const ok = await runEcho('one');
      const failedId = await runFail();

      const table = await cli(['predictions', 'list']);
      expect(table.code).toBe(0);
      const lines = table.stdout.trimEnd().split('\n');
      expect(lines[0]).toMatch(/^ID\s+MODEL\s+ON\s+STATUS\s+CREATED \(LOCAL TIME\)\s+PREDICT TIME\s+SOURCE$/);
      expect(lines).toHaveLength(3);
      expect(lines[1]).toMatch(new RegExp(`^${failedId}\\s.*\\sfailed\\s.*\\scli$`));
      expect(lines[2]).toMatch(new RegExp(`^${ok.id}\\s.*\\ssucceeded\\s.*\\scli$`));

      expect((await listPredictions()).map((p) => p.id)).toEqual([failedId, ok.id]);
      expect((await listPredictions('--status', 'failed')).map((p) => p.id)).toEqual([failedId]);
      expect((await listPredictions('--status', 'succeeded')).map((p) => p.id)).toEqual([ok.id]);
      expect(await listPredictions('--status', 'canceled')).toEqual([]);
      expect((await listPredictions('--model', 'fixtures/echo')).map((p) => p.id)).toEqual([ok.id]);
      expect((await listPredictions('--model', img('fail').repository)).map((p) => p.id)).toEqual([failedId]);
      expect((await listPredictions('--limit', '1')).map((p) => p.id)).toEqual([failedId]);

      const show = await cli(['predictions', 'show', ok.id]);
      expect(show.code).toBe(0);
      expect(show.stdout).toContain(`ID:        ${ok.id}`);
      expect(show.stdout).toMatch(/Status:\s+succeeded/);
      expect(show.stdout).toContain('hello one one');

      const bad = await cli(['predictions', 'list', '--status', 'bogus']);
      expect(bad.code).not.toBe(0);
      expect(bad.stderr).toMatch(/bogus/);
    });

    it('an empty history says how to make a prediction', async () => {
      const r = await cli(['predictions', 'list']);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/No predictions yet/);
    });

    it('--limit that is not a number: an error that names --limit', async () => {
      await runEcho();
      const r = await cli(['predictions', 'list', '--limit', 'abc']);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(/limit/i);
    });

    it('an unknown prediction id: exit 1, "No prediction"', async () => {
      for (const args of [
        ['predictions', 'show', 'nosuchprediction0000000000'],
        ['predictions', 'show', 'nosuchprediction0000000000', '--json'],
        ['examples', 'add', 'nosuchprediction0000000000'],
      ]) {
        const r = await cli(args);
        expect(r.code, args.join(' ')).toBe(1);
        expect(r.stderr).toContain('No prediction "nosuchprediction0000000000"');
        expect(r.stdout).toBe('');
      }
    });
  });

  describe('models', () => {
    it('a table of the local models: what was run, and every Cog image Docker has (as `cog build` leaves them)', async () => {
      await runEcho();
      const r = await cli(['models']);
      expect(r.code, r.stderr).toBe(0);
      const lines = r.stdout.trimEnd().split('\n');
      expect(lines[0]).toMatch(/^MODEL\s+VERSIONS\s+LATEST VERSION$/);
      const rows = lines.slice(1).map((l) => l.split(/\s+/));
      expect(rows).toContainEqual([img('echo').repository, '1', hexOf(img('echo').digest).slice(0, 12)]);
      // Found in Docker without a pull: the other fixtures; not the image without Cog labels.
      expect(rows.map((row) => row[0])).toContain(img('stream').repository);
      expect(rows.map((row) => row[0])).not.toContain(img('no-labels').repository);
      // The one whose schema label cannot be read is named, with why.
      expect(r.stderr).toContain(`Not listed: ${img('bad-schema').ref}`);
      expect(library().map((m) => m.id)).toContain(img('stream').repository);
    });
  });

  describe('examples', () => {
    it('add (default, --default, a failed one refused), list by full id and by short name', async () => {
      const echo = img('echo');
      const a = await runEcho('a');
      const b = await runEcho('b');
      const failedId = await runFail();

      const addA = await cli(['examples', 'add', a.id]);
      expect(addA.code, addA.stderr).toBe(0);
      expect(addA.stdout.trim()).toBe(`Added ${a.id} as example #1 of ${echo.repository} (default)`);

      const addFailed = await cli(['examples', 'add', failedId]);
      expect(addFailed.code).toBe(1);
      expect(addFailed.stderr).toMatch(/Prediction [a-z2-7]+ failed/);
      expect(addFailed.stderr).toMatch(/only a succeeded prediction can be an example/);
      expect(await cliJson<CliExample[]>(['examples', 'list', img('fail').repository, '--json'])).toEqual([]);

      // snake_case, numbered from 1 as the table shows them, the prediction in Replicate's shape.
      const byId = await cliJson<CliExample[]>(['examples', 'list', echo.repository, '--json']);
      expect(byId.map((e) => [e.prediction_id, e.position, e.is_default, e.model])).toEqual([[a.id, 1, true, 'fixtures/echo']]);
      expect(byId[0].prediction).toMatchObject({ id: a.id, input: { text: 'a' }, output: 'hello a a', model: 'fixtures/echo' });

      const addB = await cli(['examples', 'add', b.id, '--default']);
      expect(addB.code, addB.stderr).toBe(0);
      expect(addB.stdout.trim()).toBe(`Added ${b.id} as example #2 of ${echo.repository} (default)`);

      const byName = await cliJson<CliExample[]>(['examples', 'list', 'fixtures/echo', '--json']);
      expect(byName.map((e) => [e.prediction_id, e.position, e.is_default])).toEqual([
        [a.id, 1, false],
        [b.id, 2, true],
      ]);
      expect(await cliJson<CliExample[]>(['examples', 'list', echo.repository, '--json'])).toEqual(byName);

      const table = await cli(['examples', 'list', 'fixtures/echo']);
      expect(table.code).toBe(0);
      const lines = table.stdout.trimEnd().split('\n');
      expect(lines[0]).toMatch(/^#\s+PREDICTION\s+DEFAULT\s+INPUT$/);
      expect(lines[1]).toMatch(new RegExp(`^1\\s+${a.id}\\s+\\{"text":"a"\\}$`));
      expect(lines[2]).toMatch(new RegExp(`^2\\s+${b.id}\\s+yes\\s+\\{"text":"b"\\}$`));

      const unknown = await cli(['examples', 'list', 'nobody/nothing']);
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toContain('No model "nobody/nothing"');
    });
  });

  describe('without Docker (DOCKER_HOST at a socket that does not exist)', () => {
    const noDocker = { DOCKER_HOST: 'unix:///tmp/nonexistent.sock' };

    it('reading the library still works; run fails with "Docker is not running" and a hint that names DOCKER_HOST', async () => {
      expect(existsSync('/tmp/nonexistent.sock')).toBe(false);
      const ok = await runEcho();

      const models = await cli(['models'], { env: noDocker });
      expect(models.code, models.stderr).toBe(0);
      expect(models.stdout).toContain(img('echo').repository);
      const list = await cli(['predictions', 'list', '--json'], { env: noDocker });
      expect(list.code, list.stderr).toBe(0);
      expect((JSON.parse(list.stdout) as ApiPrediction[]).map((p) => p.id)).toEqual([ok.id]);

      const r = await cli(['run', img('echo').ref, '-i', 'text=hi'], { env: noDocker });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('Docker is not running');
      // The hint names the real cause: DOCKER_HOST points at it (starting Docker would not help).
      expect(r.stderr).toContain('DOCKER_HOST=unix:///tmp/nonexistent.sock is set, so Cogdesk talks to the engine it names: start that engine, or unset DOCKER_HOST');
      expect((await listPredictions()).map((p) => p.id)).toEqual([ok.id]);
    });

    it('in a fresh home too: models exit 0, run exits 1 naming Docker', async () => {
      const models = await cli(['models'], { env: noDocker });
      expect(models.code, models.stderr).toBe(0);
      expect(models.stdout).toMatch(/No models yet/);
      const r = await cli(['run', img('echo').ref, '-i', 'text=hi'], { env: noDocker });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('Docker is not running');
      expect(r.stderr).toContain('DOCKER_HOST=unix:///tmp/nonexistent.sock is set');
    });
  });

  it('hardware: the GPUs a stand-in nvidia-smi reports, their SKU, and what Docker is missing', async () => {
    const smi = join(ROOT, 'test/fixtures/nvidia-smi/h100/nvidia-smi');
    const report = await cliJson<{ hardware: { gpus: Array<{ name: string }> }; match: { kind: string; sku: string | null } }>(['hardware', '--json'], {
      env: { COGDESK_NVIDIA_SMI: smi },
    });
    expect(report.hardware.gpus.map((g) => g.name)).toEqual(['NVIDIA H100 80GB HBM3']);
    expect(report.match).toMatchObject({ kind: 'exact', sku: 'gpu-h100' });
    expect(camelCaseKeys(report)).toEqual([]);
    const text = await cli(['hardware'], { env: { COGDESK_NVIDIA_SMI: smi } });
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/gpu-h100/);
    expect(text.stdout).toMatch(/NVIDIA Container Toolkit/);
    const none = await cli(['hardware'], { env: { COGDESK_NVIDIA_SMI: '/nonexistent/nvidia-smi' } });
    expect(none.code).toBe(0);
    expect(none.stdout).toMatch(/Models run on the CPU here/);
  });

  it('hardware --probe of an image that is not here: the report still prints, and the exit is 1', async () => {
    const smi = join(ROOT, 'test/fixtures/nvidia-smi/h100/nvidia-smi');
    const json = await cli(['hardware', '--json', '--probe', '127.0.0.1:5100/fixtures/nosuch:none'], { env: { COGDESK_NVIDIA_SMI: smi } });
    expect(json.code, json.stderr).toBe(1);
    expect((JSON.parse(json.stdout) as { docker: { probe: { ok: boolean; conclusive: boolean } } }).docker.probe).toMatchObject({ ok: false, conclusive: false });
    expect(json.stderr).toMatch(/^Error: the GPU probe could not run: /);
    const text = await cli(['hardware', '--probe', '127.0.0.1:5100/fixtures/nosuch:none'], { env: { COGDESK_NVIDIA_SMI: smi } });
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/Probe failed: /);
  });

  it('the data folder is COGDESK_HOME: another home sees none of this one', async () => {
    await runEcho();
    const other = join(scratch, 'other-home');
    mkdirSync(other);
    expect(await cliJson<ApiPrediction[]>(['predictions', 'list', '--json'], { home: other })).toEqual([]);
    expect(library(other)).toEqual([]);
    expect(existsSync(homePaths(home).database)).toBe(true);
  });
});
