/**
 * `cogdesk serve`, built in-process from registerServeCommands on a fresh Command (the lead wires it into
 * the real program): it listens on 127.0.0.1, prints the URL and token, answers the official client, and
 * stops when told.
 */
import { Command } from 'commander';
import Replicate from 'replicate';
import { afterEach, describe, expect, it } from 'vitest';
import { registerServeCommands } from '../../../src/main/cli/serve';
import { openCore, tempHome } from '../../helpers/core';
import { fixtureImage } from '../../helpers/fixtures';
import { camelCaseKeys } from '../../helpers/json-keys';
import { serveInProcess } from './serve-in-process';

describe('cogdesk serve', () => {
  const cleanups: Array<() => void> = [];
  afterEach(() => {
    for (const c of cleanups.splice(0)) c();
  });

  function newHome(): string {
    const { home, cleanup } = tempHome();
    cleanups.push(cleanup);
    return home;
  }

  async function serve(args: string[], home = newHome()) {
    return { ...(await serveInProcess(args, { home })), home };
  }

  it('prints the URL and token, runs a model for the official client, logs requests, and stops', async () => {
    const home = newHome();
    const setup = await openCore({ home });
    await setup.ensureVersion(fixtureImage('echo'));
    await setup.close();
    const { server, out, err, stop, done } = await serve(['--port', '0'], home);
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    const text = out.join('\n');
    expect(text).toContain(server.url);
    expect(text).toContain(`Token:          ${server.token}`);
    expect(text).toContain(`REPLICATE_BASE_URL=${server.origin}`);

    const replicate = new Replicate({ auth: server.token, baseUrl: server.url });
    const created = await replicate.predictions.create({ version: 'fixtures/echo', input: { text: 'cli' }, wait: 60 });
    expect(created).toMatchObject({ status: 'succeeded', output: 'hello cli cli' });
    expect(err.some((l) => /^POST \/v1\/predictions 201 /.test(l))).toBe(true);
    expect(err.join('\n')).not.toContain(server.token);

    stop.abort();
    await done;
    await expect(fetch(`${server.url}/hardware`)).rejects.toThrow();
  });

  it('prints one JSON line with --json, and keeps the token across restarts of the same data folder', async () => {
    const first = await serve(['--port', '0', '--json', '--quiet']);
    const printed = JSON.parse(first.out[0]) as { url: string; token: string; webhook_secret: string };
    expect(printed).toMatchObject({ url: first.server.url, token: first.server.token, webhook_secret: first.server.webhookSecret });
    expect(camelCaseKeys(printed)).toEqual([]);
    expect(first.err).toEqual([]);
    first.stop.abort();
    await first.done;

    const second = await serve(['--port', '0', '--json', '--quiet'], first.home);
    expect(JSON.parse(second.out[0]).token).toBe(printed.token);
    second.stop.abort();
    await second.done;
  });

  it('raises the body limit that a 413 names with --max-body-mb, and refuses a nonsense limit', async () => {
    const body = JSON.stringify({ version: 'fixtures/echo', input: { text: 'x'.repeat(2 * 1024 * 1024) } });
    const send = (url: string, token: string) =>
      fetch(`${url}/predictions`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body });
    const small = await serve(['--port', '0', '--quiet', '--max-body-mb', '1']);
    const refused = await send(small.server.url, small.server.token);
    expect(refused.status).toBe(413);
    expect(((await refused.json()) as { detail: string }).detail).toContain('--max-body-mb');
    small.stop.abort();
    await small.done;
    const large = await serve(['--port', '0', '--quiet', '--max-body-mb', '4'], small.home);
    const taken = await send(large.server.url, large.server.token);
    expect(taken.status).not.toBe(413);
    await taken.arrayBuffer();
    large.stop.abort();
    await large.done;
    const program = registerServeCommands(new Command().exitOverride(), { coreOptions: { home: newHome() }, out: () => undefined, err: () => undefined });
    program.configureOutput({ writeErr: () => undefined });
    await expect(program.parseAsync(['node', 'cogdesk', 'serve', '--max-body-mb', 'lots'])).rejects.toMatchObject({ message: expect.stringContaining('--max-body-mb must be a number of MiB') });
  });

  it('refuses a port in use, saying what to do', async () => {
    const first = await serve(['--port', '0', '--quiet']);
    const program = registerServeCommands(new Command().exitOverride(), { coreOptions: { home: newHome() }, out: () => undefined, err: () => undefined });
    await expect(program.parseAsync(['node', 'cogdesk', 'serve', '--port', String(first.server.port)])).rejects.toMatchObject({
      message: expect.stringContaining(`Port ${first.server.port} on 127.0.0.1 is already in use`),
      hint: expect.stringContaining('--port'),
    });
    first.stop.abort();
    await first.done;
  });
});
