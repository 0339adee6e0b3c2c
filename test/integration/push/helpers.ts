/**
 * What the push tests share: Cog images built here (the echo fixture plus a layer of random bytes, so every
 * push really uploads something new), a fresh repository name per test, a Docker config with a `cog login`
 * for the test registry, and the registry's own view of a pushed tag.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { docker } from '../../helpers/core';
import { AUTH_PASSWORD, AUTH_REGISTRY, AUTH_USER, fixtureImage } from '../../helpers/fixtures';
import { FAKE_TOKEN, startFakeOffline, type FakeReplicate } from '../../fakes/replicate-api';
import { setEnv } from '../../helpers/env';

/** `cogdesk/push-<random>`: a repository no test pushed to before. */
export function freshRepo(prefix = 'push'): string {
  return `${AUTH_USER}/${prefix}-${randomBytes(5).toString('hex')}`;
}

/** The images the tests built, removed by removeBuiltImages(). */
const built = new Set<string>();

/**
 * Builds `cogdesk-push-test/<name>:latest` from the echo fixture (so it carries its `run.cog.*` labels) with
 * one more layer of `payloadBytes` random bytes: what `cog build` gives, as far as a push can tell.
 */
export async function buildCogImage(payloadBytes = 64 * 1024, name = `m-${randomBytes(4).toString('hex')}`): Promise<string> {
  const tag = `cogdesk-push-test/${name}:latest`;
  const dir = mkdtempSync(join(tmpdir(), 'cogdesk-push-build-'));
  try {
    writeFileSync(join(dir, 'Dockerfile'), `FROM ${fixtureImage('echo')}\nCOPY payload.bin /payload.bin\nLABEL cogdesk.test=push\n`);
    writeFileSync(join(dir, 'payload.bin'), randomBytes(payloadBytes));
    const stream = await docker.buildImage({ context: dir, src: ['Dockerfile', 'payload.bin'] }, { t: tag, rm: true });
    const out = await new Promise<Array<{ error?: string }>>((resolve, reject) =>
      docker.modem.followProgress(stream, (err: Error | null, res: Array<{ error?: string }>) => (err ? reject(err) : resolve(res))),
    );
    const failed = out.find((e) => e.error);
    if (failed) throw new Error(`building ${tag} failed: ${failed.error}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  built.add(tag);
  return tag;
}

export async function removeBuiltImages(): Promise<void> {
  for (const tag of built) {
    await docker.getImage(tag).remove({ force: true }).catch(() => undefined);
    built.delete(tag);
  }
}

/** A temp DOCKER_CONFIG folder, with a `cog login` for `host` when credentials are given. */
export function dockerConfig(o: { host?: string; user?: string; password?: string } = {}): { dir: string; path: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'cogdesk-push-docker-'));
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'config.json');
  const auths = o.host ? { [o.host]: { auth: Buffer.from(`${o.user ?? AUTH_USER}:${o.password ?? AUTH_PASSWORD}`).toString('base64') } } : {};
  writeFileSync(path, JSON.stringify({ auths }));
  return { dir, path, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The digest the registry serves for `<repo>:latest` (null when it has no such tag): what was pushed. */
export async function registryDigest(repo: string, registry = AUTH_REGISTRY): Promise<string | null> {
  const res = await fetch(`http://${registry}/v2/${repo}/manifests/latest`, {
    method: 'HEAD',
    headers: {
      authorization: `Basic ${Buffer.from(`${AUTH_USER}:${AUTH_PASSWORD}`).toString('base64')}`,
      accept: 'application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json',
    },
  });
  return res.ok ? res.headers.get('docker-content-digest') : null;
}

/** Whether Docker has this reference locally. */
export async function hasLocal(ref: string): Promise<boolean> {
  return docker
    .getImage(ref)
    .inspect()
    .then(() => true)
    .catch(() => false);
}

/**
 * The fake Replicate API as the push tests need it: the account behind the API token is `cogdesk`, the
 * test registry's user, whose CLI token is the registry password; versions are made from the manifests
 * pushed to the htpasswd registry.
 */
export function startPushFake(): Promise<FakeReplicate> {
  return startFakeOffline({
    account: { username: AUTH_USER, name: 'Cogdesk Pusher' },
    cliTokens: { [AUTH_PASSWORD]: AUTH_USER },
    registry: { url: `http://${AUTH_REGISTRY}`, username: AUTH_USER, password: AUTH_PASSWORD },
  });
}

/**
 * The stage of an in-process `cogdesk push` test: a fresh data folder, a Docker config without a `cog login`,
 * and the environment that points the CLI at them, the fake Replicate API and the htpasswd registry (this
 * machine has no NVIDIA GPU: a new model defaults to cpu). `restore` puts everything back.
 */
export function cliPushStage(fake: FakeReplicate, prefix: string): { home: string; config: ReturnType<typeof dockerConfig>; restore: () => void } {
  const home = mkdtempSync(join(tmpdir(), prefix));
  const config = dockerConfig();
  const restoreEnv = setEnv({
    COGDESK_HOME: home,
    COGDESK_REPLICATE_API: fake.url,
    REPLICATE_API_TOKEN: FAKE_TOKEN,
    COGDESK_REGISTRY: AUTH_REGISTRY,
    COGDESK_REGISTRY_VERIFY_URL: fake.verifyUrl,
    DOCKER_CONFIG: config.dir,
    COGDESK_NVIDIA_SMI: join(__dirname, '..', '..', 'fixtures', 'nvidia-smi', 'no-devices', 'nvidia-smi'),
  });
  return {
    home,
    config,
    restore() {
      restoreEnv();
      rmSync(home, { recursive: true, force: true });
      config.cleanup();
    },
  };
}
