import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authHost, dockerConfigPath, registryAuthFor } from '../../../src/main/core/docker/auth';

const b64 = (s: string) => Buffer.from(s).toString('base64');
let dir: string;
let savedPath: string | undefined;

/** Writes a Docker config file and returns its path. */
function config(name: string, body: unknown): string {
  const path = join(dir, `${name}.json`);
  writeFileSync(path, typeof body === 'string' ? body : JSON.stringify(body));
  return path;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cogdesk-auth-'));
  // A credential helper like docker-credential-desktop: the server URL on stdin, JSON on stdout.
  const helper = join(dir, 'docker-credential-cogdesktest');
  writeFileSync(
    helper,
    `#!/bin/sh
[ "$1" = get ] || exit 2
read -r server
echo "$server" >> "${join(dir, 'helper-calls.txt')}"
case "$server" in
  127.0.0.1:5101) echo '{"ServerURL":"127.0.0.1:5101","Username":"cogdesk","Secret":"from-helper"}' ;;
  https://index.docker.io/v1/) echo '{"ServerURL":"https://index.docker.io/v1/","Username":"<token>","Secret":"hub-token"}' ;;
  r8.im) echo '{"ServerURL":"r8.im","Username":"someone","Secret":"r8-token"}' ;;
  broken.example.com) echo 'not json' ;;
  *) echo "credentials not found in native keychain"; exit 1 ;;
esac
`,
  );
  chmodSync(helper, 0o755);
  savedPath = process.env.PATH;
  process.env.PATH = `${dir}${delimiter}${process.env.PATH ?? ''}`;
});

afterAll(() => {
  process.env.PATH = savedPath;
  rmSync(dir, { recursive: true, force: true });
});

describe('registryAuthFor: auths in the config file', () => {
  it('decodes auths[host].auth (base64 user:password)', async () => {
    const path = config('plain', { auths: { '127.0.0.1:5101': { auth: b64('cogdesk:cogdesk-test-pw') } } });
    expect(await registryAuthFor('127.0.0.1:5101/private/echo:latest', { configPath: path })).toEqual({
      serveraddress: '127.0.0.1:5101',
      username: 'cogdesk',
      password: 'cogdesk-test-pw',
    });
  });

  it('keeps colons in the password', async () => {
    const path = config('colon', { auths: { 'r8.im': { auth: b64('me:pa:ss') } } });
    expect(await registryAuthFor('r8.im/me/model', { configPath: path })).toMatchObject({ username: 'me', password: 'pa:ss' });
  });

  it('matches keys written as URLs', async () => {
    const path = config('urls', { auths: { 'https://ghcr.io/v2/': { auth: b64('u:p') } } });
    expect(await registryAuthFor('ghcr.io/org/img', { configPath: path })).toMatchObject({ serveraddress: 'ghcr.io', username: 'u' });
  });

  it('finds Docker Hub under https://index.docker.io/v1/', async () => {
    const path = config('hub', { auths: { 'https://index.docker.io/v1/': { auth: b64('hubuser:hubpw') } } });
    expect(await registryAuthFor('ubuntu', { configPath: path })).toEqual({
      serveraddress: 'https://index.docker.io/v1/',
      username: 'hubuser',
      password: 'hubpw',
    });
    expect(await registryAuthFor('docker.io/owner/x:1', { configPath: path })).toMatchObject({ username: 'hubuser' });
  });

  it('uses an identity token when there is one', async () => {
    const path = config('token', { auths: { 'registry.example.com': { identitytoken: 'tok' } } });
    expect(await registryAuthFor('registry.example.com/a', { configPath: path })).toEqual({
      serveraddress: 'registry.example.com',
      identitytoken: 'tok',
    });
  });

  it('is undefined for other registries, a missing file, bad JSON or a bad auth value', async () => {
    const path = config('other', { auths: { 'r8.im': { auth: b64('u:p') } } });
    expect(await registryAuthFor('127.0.0.1:5101/private/echo', { configPath: path })).toBeUndefined();
    expect(await registryAuthFor('r8.im/a/b', { configPath: join(dir, 'missing.json') })).toBeUndefined();
    expect(await registryAuthFor('r8.im/a/b', { configPath: config('garbage', '{not json') })).toBeUndefined();
    expect(await registryAuthFor('r8.im/a/b', { configPath: config('noauth', { auths: { 'r8.im': { auth: b64('nocolon') } } }) })).toBeUndefined();
    expect(await registryAuthFor('r8.im/a/b', { configPath: config('empty', { auths: { 'r8.im': {} } }) })).toBeUndefined();
  });

  it('reads $DOCKER_CONFIG/config.json by default', () => {
    const saved = process.env.DOCKER_CONFIG;
    process.env.DOCKER_CONFIG = '/some/where';
    try {
      expect(dockerConfigPath()).toBe(join('/some/where', 'config.json'));
    } finally {
      if (saved === undefined) delete process.env.DOCKER_CONFIG;
      else process.env.DOCKER_CONFIG = saved;
    }
  });
});

describe('registryAuthFor: credential helpers', () => {
  it('runs credHelpers[host] with the host on stdin', async () => {
    const path = config('helpers', { credHelpers: { '127.0.0.1:5101': 'cogdesktest' } });
    expect(await registryAuthFor('127.0.0.1:5101/private/echo', { configPath: path })).toEqual({
      serveraddress: '127.0.0.1:5101',
      username: 'cogdesk',
      password: 'from-helper',
    });
    expect(readFileSync(join(dir, 'helper-calls.txt'), 'utf8')).toContain('127.0.0.1:5101\n');
  });

  it('runs credsStore for every registry, Docker Hub as https://index.docker.io/v1/, <token> as identity token', async () => {
    const path = config('store', { credsStore: 'cogdesktest', auths: { 'https://index.docker.io/v1/': {} } });
    expect(await registryAuthFor('ubuntu', { configPath: path })).toEqual({
      serveraddress: 'https://index.docker.io/v1/',
      identitytoken: 'hub-token',
    });
    expect(await registryAuthFor('r8.im/a/b', { configPath: path })).toMatchObject({ username: 'someone', password: 'r8-token' });
  });

  it('falls back to auths when the helper knows nothing or prints garbage', async () => {
    const path = config('fallback', {
      credsStore: 'cogdesktest',
      auths: { 'quay.io': { auth: b64('q:w') }, 'broken.example.com': { auth: b64('b:c') } },
    });
    expect(await registryAuthFor('quay.io/a/b', { configPath: path })).toMatchObject({ username: 'q', password: 'w' });
    expect(await registryAuthFor('broken.example.com/a', { configPath: path })).toMatchObject({ username: 'b' });
    expect(await registryAuthFor('nothing.example.com/a', { configPath: path })).toBeUndefined();
  });

  it('a helper binary that is not installed gives undefined, not a crash', async () => {
    const path = config('nohelper', { credsStore: 'cogdesk-no-such-helper', credHelpers: { 'r8.im': 'also-missing' } });
    expect(await registryAuthFor('r8.im/a/b', { configPath: path })).toBeUndefined();
    expect(await registryAuthFor('ubuntu', { configPath: path })).toBeUndefined();
  });
});

describe('authHost', () => {
  it.each([
    ['https://index.docker.io/v1/', 'docker.io'],
    ['index.docker.io', 'docker.io'],
    ['registry-1.docker.io', 'docker.io'],
    ['http://127.0.0.1:5101', '127.0.0.1:5101'],
    ['R8.IM', 'r8.im'],
  ])('%s -> %s', (key, host) => expect(authHost(key)).toBe(host));
});
