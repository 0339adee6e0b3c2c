/**
 * With a Cogdesk running for the data folder (`cogdesk serve` here; the app writes the same record), `pull`,
 * `run`, `ps` and `stop` go through it: the command is done by the process that keeps the models warm. The
 * commands run with DOCKER_HOST pointing at a socket that does not exist, so only what goes through the
 * server can work; without a server the same pull fails. Built CLI, real engine, real serve process.
 */
import { spawn } from 'node:child_process';
import Docker from 'dockerode';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { pushFreshVariant } from '../../e2e/helpers/images';
import type { StoppedContainer, WarmContainerStatus } from '../../../src/shared/warm';
import { assertBuilt, BIN, fixtureRef, runCli, tempDirs, type CliRun } from './run-cli';
import { startServe, type ServeProcess } from './serve-process';

let home: string;
let cleanup: () => void;
let serve: ServeProcess | null = null;

/** Docker the commands cannot reach: only the running Cogdesk can. */
const NO_DOCKER = { DOCKER_HOST: 'unix:///nonexistent/cogdesk-test-docker.sock' };

beforeAll(() => assertBuilt());
beforeEach(() => {
  ({ dirs: [home], cleanup } = tempDirs('cogdesk-cli-through-'));
});
afterEach(async () => {
  await serve?.stop();
  serve = null;
  cleanup();
});

const cli = (args: string[]) => runCli(args, { home, env: NO_DOCKER });
async function ok(args: string[]): Promise<CliRun> {
  const r = await cli(args);
  expect(r.code, `cogdesk ${args.join(' ')}\nstdout: ${r.stdout.toString()}\nstderr: ${r.stderr}`).toBe(0);
  return r;
}
const json = <T>(r: CliRun) => JSON.parse(r.stdout.toString()) as T;

async function api(method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${serve!.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${serve!.token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

async function until<T>(what: string, read: () => Promise<T>, done: (v: T) => boolean): Promise<T> {
  for (let i = 0; i < 300; i++) {
    const v = await read();
    if (done(v)) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('the command line through a running Cogdesk', { timeout: 240_000 }, () => {
  it('without one, a pull needs Docker here and says so', async () => {
    const r = await cli(['pull', fixtureRef('echo')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('DOCKER_HOST=unix:///nonexistent/cogdesk-test-docker.sock is set');
  });

  it('pull, run, ps and stop are done by the running cogdesk serve', async () => {
    serve = await startServe(home);

    const pulled = await ok(['pull', fixtureRef('coglet-echo')]);
    expect(pulled.stderr).toMatch(/^Pulling in the Cogdesk at http:\/\/127\.0\.0\.1:\d+\/v1 \(serve, pid \d+\)\.$/m);
    expect(pulled.stdout.toString()).toContain('Run it:  cogdesk run 127.0.0.1:5100/fixtures/coglet-echo -i text=VALUE');

    const run = await ok(['run', 'coglet-echo', '-i', 'text=hi', '-i', 'times=1']);
    expect(run.stdout.toString()).toBe('hello hi\n');

    // Idle in the server, which says until when.
    const [idle] = json<WarmContainerStatus[]>(await ok(['ps', '--json']));
    expect(idle).toMatchObject({ model: '127.0.0.1:5100/fixtures/coglet-echo', status: 'running', state: 'idle', running: 0, queued: 0, owner_pid: serve.child.pid });
    expect(Date.parse(idle.idle_until!)).toBeGreaterThan(Date.now());
    expect((await ok(['ps'])).stdout.toString()).toMatch(/^CONTAINER\s+MODEL\s+VERSION\s+STATE\s+SINCE \(LOCAL TIME\)/);

    // A slow prediction in the server: ps says busy, and stop cancels it before it stops the container.
    const created = await api('POST', '/predictions', { version: idle.version, input: { text: 'slow', sleep: 60 } });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const busy = await until('the prediction to run', async () => json<WarmContainerStatus[]>(await ok(['ps', '--json']))[0], (c) => c.state === 'busy');
    expect(busy).toMatchObject({ container_id: idle.container_id, running: 1, idle_until: null });
    expect((await ok(['ps'])).stdout.toString()).toContain('busy: 1 running');

    const stop = await ok(['stop', 'coglet-echo']);
    expect(stop.stdout.toString()).toBe(`Stopped 127.0.0.1:5100/fixtures/coglet-echo (${idle.container_id.slice(0, 12)}); canceled ${id}, which ran on it\n`);
    const ended = await until('the prediction to end', async () => (await (await api('GET', `/predictions/${id}`)).json()) as { status: string }, (p) => p.status !== 'processing' && p.status !== 'starting');
    expect(ended.status).toBe('canceled');
    expect(json<unknown[]>(await ok(['ps', '--json']))).toEqual([]);

    // The next run starts a fresh container there.
    expect((await ok(['run', 'coglet-echo', '-i', 'text=again', '-i', 'times=1'])).stdout.toString()).toBe('hello again\n');
    const stopped = json<StoppedContainer[]>(await ok(['stop', '--json']));
    expect(stopped).toHaveLength(1);
    expect(stopped[0]).toMatchObject({ status: 'stopped', canceled_predictions: [] });
    expect(stopped[0].container_id).not.toBe(idle.container_id);
  });

  it('its pull stream: JSON lines ending with the version, or with the error; a bad body is a 400', async () => {
    serve = await startServe(home);
    const good = await api('POST', '/cogdesk/pulls', { image: fixtureRef('echo'), always: true });
    expect(good.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
    const lines = (await good.text()).trim().split('\n').map((l) => JSON.parse(l) as { status: string; version?: string });
    expect(lines.slice(0, -1).every((l) => l.status === 'pulling')).toBe(true);
    expect(lines.at(-1)).toEqual({ status: 'succeeded', version: expect.stringMatching(/^[0-9a-f]{64}$/) });

    const missing = await api('POST', '/cogdesk/pulls', { image: '127.0.0.1:5100/fixtures/no-such-image:latest' });
    const last = JSON.parse((await missing.text()).trim().split('\n').at(-1)!) as { status: string; error: { code: string; message: string } };
    expect(last.status).toBe('failed');
    expect(last.error.code).toBe('image_not_found');

    const bad = await api('POST', '/cogdesk/pulls', {});
    expect(bad.status).toBe(400);
    const unknown = await api('POST', '/cogdesk/containers/stop', { model: 'nosuch' });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { detail: string }).detail).toContain('No local model or version "nosuch"');
  });

  it('a pull whose caller goes away (Ctrl-C) is canceled there: nothing is kept', async () => {
    const docker = new Docker();
    const ref = await pushFreshVariant(docker, 'echo', `cli-through-${process.pid}`, 256 * 1024 * 1024);
    try {
      serve = await startServe(home, {}, { logs: true });
      const aborter = new AbortController();
      const res = await fetch(`${serve.url}/cogdesk/pulls`, {
        method: 'POST',
        signal: aborter.signal,
        headers: { authorization: `Bearer ${serve.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ image: ref, always: true }),
      });
      const reader = res.body!.getReader();
      const first = new TextDecoder().decode((await reader.read()).value);
      expect(first).toMatch(/^\{"status":"pulling"/);
      aborter.abort();
      // The pull ends as canceled there (its log says so): no version, and the image is not in Docker.
      await until('the pull to end', async () => serve!.stderr(), (log) => /^Pull (canceled|failed)|^Pulled/m.test(log));
      expect(serve.stderr()).toMatch(/^Pull canceled: /m);
      expect(json<unknown[]>(await ok(['models', '--json']))).toEqual([]);
      expect(await docker.getImage(ref).inspect().then(() => 'here', () => 'gone')).toBe('gone');
    } finally {
      await docker.getImage(ref).remove({ force: true }).catch(() => undefined);
    }
  });

  it('the running Cogdesk killed (-9) during a pull through it: the command says so and exits 1; the next pull works on its own', async () => {
    const docker = new Docker();
    const ref = await pushFreshVariant(docker, 'echo', `cli-killed-${process.pid}`, 256 * 1024 * 1024);
    try {
      serve = await startServe(home);
      const env: NodeJS.ProcessEnv = { ...process.env, COGDESK_HOME: home };
      delete env.DOCKER_HOST;
      const child = spawn(process.execPath, [BIN, 'pull', ref], { cwd: home, env, stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
      const exited = new Promise<number | null>((r) => child.once('close', (code) => r(code)));
      // Once the pull there shows its progress here, the server dies without a word.
      await until('the pull to run there', async () => stderr, (t) => /Pulling in the Cogdesk[^\n]*\n\[/.test(t));
      serve.child.kill('SIGKILL');
      const r = { code: await exited, stderr };
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toMatch(/^Error: The running Cogdesk at http:\/\/127\.0\.0\.1:\d+\/v1 \(pid \d+\) stopped answering/m);
      expect(r.stderr).toContain('Run the command again: with no Cogdesk running, it does the work itself.');
      // Its record is stale now (the process is gone): the next pull is this command's own.
      const again = await runCli(['pull', ref], { home });
      expect(again.code, again.stderr).toBe(0);
      expect(again.stderr).not.toContain('Pulling in the Cogdesk');
      expect(again.stdout.toString()).toContain(`Pulled ${ref}`);
    } finally {
      await docker.getImage(ref).remove({ force: true }).catch(() => undefined);
    }
  });
});
