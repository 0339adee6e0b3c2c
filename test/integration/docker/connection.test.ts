import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkDocker, connectDocker, dockerErrorToCogdesk, dockerTarget } from '../../../src/main/core/docker/connection';
import { docker, rejectionOf, requireEnv } from './env';

let dir: string;
beforeAll(async () => {
  await requireEnv();
  dir = mkdtempSync(join(tmpdir(), 'cogdesk-conn-'));
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('checkDocker against the real engine', () => {
  it('reports version, API version and OS', async () => {
    const info = await checkDocker(docker);
    expect(info.version).toMatch(/^\d+\.\d+/);
    expect(info.apiVersion).toMatch(/^1\.\d+$/);
    expect(info.os).toBe('linux');
  });

  it('honours an explicit unix:// host, and DOCKER_HOST when none is given', async () => {
    expect((await checkDocker(connectDocker({ host: 'unix:///var/run/docker.sock' }))).os).toBe('linux');
    const saved = process.env.DOCKER_HOST;
    process.env.DOCKER_HOST = 'unix:///var/run/docker.sock';
    try {
      const d = connectDocker();
      expect(dockerTarget(d)).toBe('/var/run/docker.sock');
      expect((await checkDocker(d)).os).toBe('linux');
      // An explicit host wins over DOCKER_HOST.
      expect(dockerTarget(connectDocker({ host: 'tcp://127.0.0.1:1' }))).toBe('tcp://127.0.0.1:1');
    } finally {
      if (saved === undefined) delete process.env.DOCKER_HOST;
      else process.env.DOCKER_HOST = saved;
    }
  });
});

describe('Docker not reachable', () => {
  it('a socket path that does not exist: docker_unavailable naming the socket, with how to start Docker', async () => {
    const missing = join(dir, 'no-such-docker.sock');
    const e = await rejectionOf(checkDocker(connectDocker({ host: `unix://${missing}` })));
    expect(e.code).toBe('docker_unavailable');
    expect(e.message).toBe(`Docker is not running (could not reach ${missing})`);
    expect(e.hint).toContain('sudo systemctl start docker');
    expect(e.hint).toContain('Docker Desktop');
    expect(e.details).toContain('ENOENT');
  });

  it('a socket nobody listens on (a file): docker_unavailable', async () => {
    const stale = join(dir, 'stale.sock');
    writeFileSync(stale, '');
    const e = await rejectionOf(checkDocker(connectDocker({ host: `unix://${stale}` })));
    expect(e.code).toBe('docker_unavailable');
    expect(e.message).toContain(stale);
  });

  it('a TCP port with nothing on it: docker_unavailable naming host and port', async () => {
    const e = await rejectionOf(checkDocker(connectDocker({ host: 'tcp://127.0.0.1:1' })));
    expect(e.code).toBe('docker_unavailable');
    expect(e.message).toBe('Docker is not running (could not reach tcp://127.0.0.1:1)');
  });

  it('an engine that never answers: docker_unavailable after the short timeout', async () => {
    const hang: Server = createServer(() => undefined);
    const sock = join(dir, 'hang.sock');
    await new Promise<void>((r) => hang.listen(sock, r));
    try {
      const t0 = Date.now();
      const e = await rejectionOf(checkDocker(connectDocker({ host: `unix://${sock}` }), { timeoutMs: 500 }));
      expect(Date.now() - t0).toBeLessThan(3000);
      expect(e.code).toBe('docker_unavailable');
      expect(e.message).toBe('Docker is not running (it did not answer in time)');
      expect(e.hint).toBeTruthy();
    } finally {
      hang.close();
    }
  });

  it('rejects hosts it cannot use, with the forms it takes', () => {
    expect(() => connectDocker({ host: 'ftp://x' })).toThrow(expect.objectContaining({ code: 'bad_request', hint: expect.stringContaining('unix://') }));
  });
});

describe('dockerErrorToCogdesk', () => {
  it('maps a missing local image (404) to image_not_found', async () => {
    const err = await docker
      .getImage('127.0.0.1:5100/nope/nothing:latest')
      .inspect()
      .then(() => undefined, (e: unknown) => e);
    const e = dockerErrorToCogdesk(err, { action: 'inspecting the image', ref: '127.0.0.1:5100/nope/nothing:latest' });
    expect(e.code).toBe('image_not_found');
    expect(e.message).toBe('The image 127.0.0.1:5100/nope/nothing:latest is not on this machine');
    expect(e.hint).toContain('Pull it');
  });

  it('maps connection errors to docker_unavailable', async () => {
    const err = await connectDocker({ host: `unix://${join(dir, 'gone.sock')}` })
      .listImages()
      .then(() => undefined, (e: unknown) => e);
    const e = dockerErrorToCogdesk(err, { action: 'listing images' });
    expect(e.code).toBe('docker_unavailable');
    expect(e.message).toContain('gone.sock');
  });

  it('maps a 409 conflict to bad_request with what to do', () => {
    const e = dockerErrorToCogdesk(Object.assign(new Error('(HTTP code 409) unexpected - conflict: image is in use '), { statusCode: 409 }), {
      action: 'removing the image',
    });
    expect(e).toMatchObject({ code: 'bad_request', details: 'conflict: image is in use' });
    expect(e.hint).toBeTruthy();
  });
});
