/** Engine and registry messages (as Docker 20.10-27 word them) mapped to errors a person can act on. */
import { describe, expect, it } from 'vitest';
import { dockerErrorToCogdesk, dockerUnavailable, registryError, startDockerHint } from '../../../src/main/core/docker/docker-errors';
import { CogdeskError } from '../../../src/shared/errors';

const hub = { ref: 'docker.io/someone/private:latest', registry: 'docker.io', withAuth: false };
const r8 = { ref: 'r8.im/owner/model:latest', registry: 'r8.im', withAuth: true };

describe('registryError', () => {
  it.each([
    [
      "pull access denied for someone/private, repository does not exist or may require 'docker login': denied: requested access to the resource is denied",
      hub,
      'image_not_found',
      /sign in with `docker login`/,
    ],
    ['unauthorized: authentication required', r8, 'registry_unauthorized', /`docker login r8\.im`.*Replicate/],
    ['Head "http://h/v2/x/manifests/latest": no basic auth credentials', { ...hub, registry: 'h:1' }, 'registry_unauthorized', /docker login h:1/],
    ['manifest for r8.im/owner/model:v9 not found: manifest unknown: manifest unknown', r8, 'image_not_found', /check the image name/i],
    ['no matching manifest for linux/arm64/v8 in the manifest list entries', r8, 'pull_failed', /linux\/amd64/],
    ['toomanyrequests: You have reached your pull rate limit.', hub, 'registry_error', /wait/i],
    ['Get "https://10.0.0.5:5000/v2/": http: server gave HTTP response to HTTPS client', hub, 'registry_error', /insecure-registries/],
    ['Get "https://r8.im/v2/": x509: certificate signed by unknown authority', r8, 'registry_error', /certificate/],
    ['failed to register layer: write /x: no space left on device', r8, 'pull_failed', /disk space/],
    ['Get "https://r8.im/v2/": dial tcp: lookup r8.im: no such host', r8, 'pull_failed', /reachable/],
    ['unexpected EOF', r8, 'pull_failed', /pull again/],
    ['read tcp 1.2.3.4:5->6.7.8.9:443: read: connection reset by peer', r8, 'pull_failed', /pull again/],
    ['unknown blob', r8, 'pull_failed', /push it again/],
    ['something nobody expected', r8, 'pull_failed', /pull again/i],
  ])('%s', (msg, ctx, code, hint) => {
    const e = registryError(msg, ctx);
    expect(e).toBeInstanceOf(CogdeskError);
    expect(e.code).toBe(code);
    expect(e.hint).toMatch(hint);
    expect(e.details).toBe(msg);
  });

  it('says whether saved credentials were refused or none were there', () => {
    expect(registryError('denied', { ...r8, withAuth: false }).message).toBe('r8.im requires you to sign in to pull r8.im/owner/model:latest');
    expect(registryError('denied', r8).message).toBe('r8.im refused the saved credentials for r8.im/owner/model:latest');
  });
});

describe('dockerUnavailable', () => {
  const err = (code: string) => Object.assign(new Error(`connect ${code} /var/run/docker.sock`), { code });

  it('permission denied: tells how to join the docker group', () => {
    const e = dockerUnavailable('/var/run/docker.sock', err('EACCES'));
    expect(e.code).toBe('docker_unavailable');
    expect(e.message).toBe('Permission denied when connecting to Docker at /var/run/docker.sock');
    if (process.platform === 'linux') expect(e.hint).toContain('usermod -aG docker');
  });

  it('not running: names the socket, with a hint for each platform', () => {
    expect(dockerUnavailable('/var/run/docker.sock', err('ECONNREFUSED')).message).toBe('Docker is not running (could not reach /var/run/docker.sock)');
    expect(startDockerHint('linux')).toContain('sudo systemctl start docker');
    expect(startDockerHint('darwin')).toContain('Docker Desktop');
    expect(startDockerHint('win32')).toContain('Docker Desktop');
  });
});

describe('dockerErrorToCogdesk', () => {
  it('passes CogdeskErrors through and strips dockerode prefixes', () => {
    const original = new CogdeskError({ code: 'timeout', message: 'x', hint: 'y' });
    expect(dockerErrorToCogdesk(original, { action: 'a' })).toBe(original);
    const e = dockerErrorToCogdesk(Object.assign(new Error('(HTTP code 500) server error - boom '), { statusCode: 500 }), { action: 'starting the container' });
    expect(e).toMatchObject({ code: 'internal', message: 'Docker failed while starting the container: boom', details: 'boom' });
    expect(e.hint).toBeTruthy();
  });

  it('routes pull failures through the registry classifier', () => {
    const e = dockerErrorToCogdesk(Object.assign(new Error('(HTTP code 404) unexpected - manifest unknown '), { statusCode: 404 }), {
      action: 'pulling',
      ref: 'r8.im/a/b:latest',
      registry: 'r8.im',
    });
    expect(e.code).toBe('image_not_found');
  });

  it('an aborted request is canceled', () => {
    const abort = Object.assign(new Error('The operation was aborted'), { name: 'AbortError', code: 'ABORT_ERR' });
    expect(dockerErrorToCogdesk(abort, { action: 'inspecting' }).code).toBe('canceled');
  });
});
