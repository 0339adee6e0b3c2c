/**
 * The basic-auth registry (127.0.0.1:5101, user cogdesk): credentials come from a Docker config file
 * written here (the configPath option); the user's ~/.docker/config.json is never read or written.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { registryAuthFor } from '../../../src/main/core/docker/auth';
import { pullImage } from '../../../src/main/core/docker/pull';
import { engineElsewhere } from './engine-elsewhere';
import { docker, rejectionOf, requireEnv, type FixtureImage, type Fixtures } from './env';
import { removeImageCompletely, removeImages } from './local-images';

let fx: Fixtures;
let priv: FixtureImage;
let dir: string;

function dockerConfig(name: string, auths: Record<string, { auth: string }>): string {
  const path = join(dir, name, 'config.json');
  mkdirSync(join(dir, name), { recursive: true });
  writeFileSync(path, JSON.stringify({ auths }));
  return path;
}
const basic = (user: string, pw: string) => ({ auth: Buffer.from(`${user}:${pw}`).toString('base64') });

beforeAll(async () => {
  fx = await requireEnv();
  priv = fx.images['private-echo']!;
  dir = mkdtempSync(join(tmpdir(), 'cogdesk-auth-it-'));
});

beforeEach(async () => {
  await removeImageCompletely(docker, priv.imageId);
});

afterAll(async () => {
  if (!dir) return; // requireEnv failed: that failure is the report
  rmSync(dir, { recursive: true, force: true });
  // As setup.sh leaves it: the private image is not tagged locally; echo is.
  await removeImages(docker, priv.ref, priv.pinnedRef);
  await pullImage(docker, fx.images.echo!.ref, { auth: null });
});

describe('pulling from the registry with basic auth', () => {
  it('without credentials: registry_unauthorized, telling to docker login to that host', async () => {
    const configPath = dockerConfig('none', {});
    const e = await rejectionOf(pullImage(docker, priv.ref, { configPath }));
    expect(e.code).toBe('registry_unauthorized');
    expect(e.message).toBe(`${fx.authRegistry} requires you to sign in to pull ${priv.ref}`);
    expect(e.hint).toContain(`docker login ${fx.authRegistry}`);
  });

  it('with the right credentials in the Docker config: pulls, with the digest of that registry', async () => {
    const configPath = dockerConfig('good', { [fx.authRegistry]: basic(fx.authUser, fx.authPassword) });
    expect(await registryAuthFor(priv.ref, { configPath })).toMatchObject({ username: fx.authUser });
    const result = await pullImage(docker, priv.ref, { configPath });
    expect(result).toEqual({ ref: priv.ref, imageId: priv.imageId, digest: priv.digest });
  });

  it('with a wrong password: registry_unauthorized saying the saved credentials were refused', async () => {
    const configPath = dockerConfig('bad', { [`http://${fx.authRegistry}`]: basic(fx.authUser, 'wrong-password') });
    const e = await rejectionOf(pullImage(docker, priv.ref, { configPath }));
    expect(e.code).toBe('registry_unauthorized');
    expect(e.message).toBe(`${fx.authRegistry} refused the saved credentials for ${priv.ref}`);
    expect(e.hint).toContain(`docker login ${fx.authRegistry}`);
  });

  it('credentials passed directly win over the config file', async () => {
    const configPath = dockerConfig('ignored', {});
    const auth = { serveraddress: fx.authRegistry, username: fx.authUser, password: fx.authPassword };
    expect((await pullImage(docker, priv.pinnedRef, { configPath, auth })).imageId).toBe(priv.imageId);
  });
});

describe('an engine that is not on this machine', () => {
  it('does not get the registry credentials unless COGDESK_ENGINE_CREDENTIALS names it; the refusal says why and how', async () => {
    const configPath = dockerConfig('for-elsewhere', { [fx.authRegistry]: basic(fx.authUser, fx.authPassword) });
    const elsewhere = await engineElsewhere();
    try {
      const e = await rejectionOf(pullImage(elsewhere.docker, priv.ref, { configPath, env: {} }));
      expect(e.code).toBe('registry_unauthorized');
      expect(e.message).toBe(
        `${fx.authRegistry} requires you to sign in to pull ${priv.ref}. Cogdesk does not send your credentials for ${fx.authRegistry} to the Docker engine at ${elsewhere.address}, which is not on this machine`,
      );
      expect(e.hint).toBe(`To let that engine use them, set COGDESK_ENGINE_CREDENTIALS=${elsewhere.address}; or pull and push on that machine itself.`);
      expect(elsewhere.sawCredentials()).toBe(false);

      // Named by the user: it gets them, and the pull works.
      const allowed = await pullImage(elsewhere.docker, priv.ref, { configPath, env: { COGDESK_ENGINE_CREDENTIALS: elsewhere.address } });
      expect(allowed.imageId).toBe(priv.imageId);
      expect(elsewhere.sawCredentials()).toBe(true);
    } finally {
      await elsewhere.close();
    }
  });
});
