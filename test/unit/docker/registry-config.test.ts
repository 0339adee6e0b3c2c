/**
 * The registry reader's pure parts (the WWW-Authenticate challenge, picking from an index, the Cog labels,
 * which registries get plain http), and its protocol rules against a small loopback server that answers
 * like a registry with a token service and a blob store on another host: the Bearer flow, credentials
 * never sent to the other host, digests checked, bodies bounded.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { cogConfigFromLabels } from '../../../src/main/core/docker/labels';
import { imageCuda } from '../../../src/main/core/hardware/cuda';
import {
  isLoopbackRegistry,
  MEDIA_TYPES,
  parseChallenge,
  pickFromIndex,
  readRemoteImageConfig,
  registryBaseUrl,
} from '../../../src/main/core/docker/registry-config';
import { CogdeskError } from '../../../src/shared/errors';

describe('parseChallenge', () => {
  it('Docker Hub style Bearer challenge', () => {
    expect(parseChallenge('Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/ubuntu:pull"')).toEqual([
      { scheme: 'bearer', params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:library/ubuntu:pull' } },
    ]);
  });

  it('Basic with a realm (the distribution registry with htpasswd)', () => {
    expect(parseChallenge('Basic realm="cogdesk-test"')).toEqual([{ scheme: 'basic', params: { realm: 'cogdesk-test' } }]);
  });

  it('a scope with several actions (commas inside quotes), escaped quotes, spaces, token values, case', () => {
    expect(parseChallenge('bearer  realm = "https://r8.im/auth" , scope="repository:a/b:pull,push", error=insufficient_scope, note="say \\"hi\\""')).toEqual([
      { scheme: 'bearer', params: { realm: 'https://r8.im/auth', scope: 'repository:a/b:pull,push', error: 'insufficient_scope', note: 'say "hi"' } },
    ]);
  });

  it('several challenges in one header', () => {
    expect(parseChallenge('Basic realm="x", Bearer realm="https://t/token",service="s"')).toEqual([
      { scheme: 'basic', params: { realm: 'x' } },
      { scheme: 'bearer', params: { realm: 'https://t/token', service: 's' } },
    ]);
  });

  it('nothing to parse', () => {
    expect(parseChallenge(null)).toEqual([]);
    expect(parseChallenge('')).toEqual([]);
  });
});

describe('pickFromIndex', () => {
  const d = (digest: string, os: string, architecture: string, variant?: string) => ({
    mediaType: MEDIA_TYPES.ociManifest,
    digest,
    size: 1,
    platform: { os, architecture, ...(variant ? { variant } : {}) },
  });

  it('linux/amd64 by default, skipping attestations and other platforms', () => {
    const list = [d('sha256:arm', 'linux', 'arm64', 'v8'), d('sha256:att', 'unknown', 'unknown'), d('sha256:amd', 'linux', 'amd64')];
    expect(pickFromIndex(list)?.digest).toBe('sha256:amd');
  });

  it('another platform when asked; arm64 prefers v8 or no variant', () => {
    const list = [d('sha256:amd', 'linux', 'amd64'), d('sha256:arm64', 'linux', 'arm64', 'v8')];
    expect(pickFromIndex(list, { os: 'linux', architecture: 'arm64' })?.digest).toBe('sha256:arm64');
  });

  it('amd64 without a variant wins over one with (v2, v3)', () => {
    expect(pickFromIndex([d('sha256:v3', 'linux', 'amd64', 'v3'), d('sha256:plain', 'linux', 'amd64')])?.digest).toBe('sha256:plain');
    expect(pickFromIndex([d('sha256:v3', 'linux', 'amd64', 'v3')])?.digest).toBe('sha256:v3');
  });

  it('null when nothing fits', () => {
    expect(pickFromIndex([d('sha256:arm', 'linux', 'arm64')])).toBeNull();
    expect(pickFromIndex([])).toBeNull();
    expect(pickFromIndex(undefined)).toBeNull();
  });
});

describe('labels and addresses', () => {
  it('cog.yaml from run.cog.config, else org.cogmodel.config; null when absent or broken', () => {
    expect(cogConfigFromLabels({ 'run.cog.config': '{"build":{"gpu":true}}' })).toEqual({ build: { gpu: true } });
    expect(cogConfigFromLabels({ 'org.cogmodel.config': '{"build":{"gpu":false}}' })).toEqual({ build: { gpu: false } });
    expect(cogConfigFromLabels({ 'run.cog.config': '{"build":' })).toBeNull();
    expect(cogConfigFromLabels({ 'run.cog.config': '[1]' })).toBeNull();
    expect(cogConfigFromLabels({})).toBeNull();
  });

  it('plain http only for loopback registries; Docker Hub at registry-1', () => {
    expect(registryBaseUrl('127.0.0.1:5100')).toBe('http://127.0.0.1:5100');
    expect(registryBaseUrl('localhost:5000')).toBe('http://localhost:5000');
    expect(registryBaseUrl('[::1]:5000')).toBe('http://[::1]:5000');
    expect(registryBaseUrl('r8.im')).toBe('https://r8.im');
    expect(registryBaseUrl('10.0.0.5:5000')).toBe('https://10.0.0.5:5000');
    expect(registryBaseUrl('docker.io')).toBe('https://registry-1.docker.io');
    expect(isLoopbackRegistry('127.1.2.3')).toBe(true);
    expect(isLoopbackRegistry('localhost.example.com')).toBe(false);
  });
});

// ---- protocol rules, against a loopback server answering like a registry ----

const sha = (b: Buffer | string) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

interface Seen {
  host: string;
  url: string;
  headers: IncomingHttpHeaders;
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((r) => s.close(() => r()))));
});

async function listen(handler: (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => void): Promise<number> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as { port: number }).port;
}

/**
 * A registry on 127.0.0.1:<port> that wants a Bearer token (from its own /token, which wants Basic
 * user:pw), whose blobs redirect to a store on localhost:<other port> (another host).
 */
async function tokenRegistry(o: { config?: Buffer; configDigest?: string; manifestBody?: Buffer } = {}) {
  const seen: Seen[] = [];
  const config = o.config ?? Buffer.from(JSON.stringify({ config: { Labels: { 'run.cog.config': '{"build":{"gpu":true}}', other: 'x' } } }));
  const store = await listen((req, res) => {
    seen.push({ host: 'store', url: req.url!, headers: req.headers });
    res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(config);
  });
  const manifest =
    o.manifestBody ??
    Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MEDIA_TYPES.ociManifest, config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: o.configDigest ?? sha(config), size: config.length }, layers: [] }));
  const port = await listen((req, res) => {
    seen.push({ host: 'registry', url: req.url!, headers: req.headers });
    if (req.url!.startsWith('/token')) {
      if (req.headers.authorization !== `Basic ${Buffer.from('user:pw').toString('base64')}`) return res.writeHead(401).end();
      return res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token: 'T0KEN' }));
    }
    if (req.headers.authorization !== 'Bearer T0KEN') {
      return res
        .writeHead(401, { 'www-authenticate': `Bearer realm="http://127.0.0.1:${port}/token",service="test",scope="repository:owner/name:pull"` })
        .end(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] }));
    }
    if (req.url!.includes('/manifests/')) return res.writeHead(200, { 'content-type': MEDIA_TYPES.ociManifest }).end(manifest);
    if (req.url!.includes('/blobs/')) return res.writeHead(307, { location: `http://localhost:${store}/blob?signed=1` }).end();
    res.writeHead(404).end();
  });
  return { port, seen, manifestDigest: sha(manifest) };
}

const creds = { serveraddress: 'x', username: 'user', password: 'pw' };

describe('readRemoteImageConfig against a token-protected registry', () => {
  it('answers the Bearer challenge with Basic credentials at the realm, follows the blob redirect without them', async () => {
    const r = await tokenRegistry();
    const ref = `127.0.0.1:${r.port}/owner/name@${r.manifestDigest}`;
    const out = await readRemoteImageConfig(ref, { auth: creds });
    expect(out.labels).toEqual({ 'run.cog.config': '{"build":{"gpu":true}}', other: 'x' });
    expect(cogConfigFromLabels(out.labels)).toEqual({ build: { gpu: true } });

    const token = r.seen.find((s) => s.url.startsWith('/token'))!;
    expect(new URL(token.url, 'http://x').searchParams.get('scope')).toBe('repository:owner/name:pull');
    expect(new URL(token.url, 'http://x').searchParams.get('service')).toBe('test');
    const manifestAsk = r.seen.find((s) => s.url.includes('/manifests/'))!;
    expect(manifestAsk.headers.accept).toContain(MEDIA_TYPES.ociIndex);
    expect(manifestAsk.headers.accept).toContain(MEDIA_TYPES.dockerManifest);
    const atStore = r.seen.filter((s) => s.host === 'store');
    expect(atStore).toHaveLength(1);
    expect(atStore[0]!.headers.authorization).toBeUndefined();
  });

  it("the image's environment comes with its labels: a CUDA_VERSION-only image tells its CUDA before any pull", async () => {
    const env = ['PATH=/usr/local/sbin:/usr/bin', 'CUDA_VERSION=12.4.1', 7];
    const r = await tokenRegistry({ config: Buffer.from(JSON.stringify({ config: { Labels: { 'run.cog.config': '{"build":{"gpu":true}}' }, Env: env } })) });
    const out = await readRemoteImageConfig(`127.0.0.1:${r.port}/owner/name@${r.manifestDigest}`, { auth: creds });
    expect(out.env).toEqual(['PATH=/usr/local/sbin:/usr/bin', 'CUDA_VERSION=12.4.1']);
    expect(imageCuda(cogConfigFromLabels(out.labels), out.env)).toBe('12.4');
    const none = await tokenRegistry();
    expect((await readRemoteImageConfig(`127.0.0.1:${none.port}/owner/name@${none.manifestDigest}`, { auth: creds })).env).toEqual([]);
  });

  it('unauthorized without credentials, and with wrong ones: what to do', async () => {
    const r = await tokenRegistry();
    const ref = `127.0.0.1:${r.port}/owner/name@${r.manifestDigest}`;
    const none = await readRemoteImageConfig(ref, { auth: null }).catch((e: unknown) => e as CogdeskError);
    expect(none).toBeInstanceOf(CogdeskError);
    expect((none as CogdeskError).code).toBe('registry_unauthorized');
    const wrong = await readRemoteImageConfig(ref, { auth: { ...creds, password: 'nope' } }).catch((e: unknown) => e as CogdeskError);
    expect(wrong).toMatchObject({ code: 'registry_unauthorized', message: `127.0.0.1:${r.port} refused the Docker credentials for owner/name` });
    expect((wrong as CogdeskError).hint).toContain(`docker login 127.0.0.1:${r.port}`);
  });

  it('a config blob that does not match its digest is not trusted', async () => {
    const r = await tokenRegistry({ configDigest: sha('something else') });
    const e = await readRemoteImageConfig(`127.0.0.1:${r.port}/owner/name@${r.manifestDigest}`, { auth: creds }).catch((x: unknown) => x as CogdeskError);
    expect(e).toMatchObject({ code: 'registry_error' });
    expect((e as CogdeskError).message).toMatch(/does not match its digest/);
  });

  it('a manifest that does not match the digest asked for is not trusted', async () => {
    const r = await tokenRegistry();
    const e = await readRemoteImageConfig(`127.0.0.1:${r.port}/owner/name@${sha('another manifest')}`, { auth: creds }).catch((x: unknown) => x as CogdeskError);
    expect((e as CogdeskError).message).toMatch(/^the manifest of .* does not match its digest/);
  });

  it('an answer larger than the bound is refused', async () => {
    const big = Buffer.alloc(5 * 1024 * 1024, 0x20);
    const r = await tokenRegistry({ manifestBody: big });
    const e = await readRemoteImageConfig(`127.0.0.1:${r.port}/owner/name:latest`, { auth: creds }).catch((x: unknown) => x as CogdeskError);
    expect(e).toMatchObject({ code: 'registry_error' });
    expect((e as CogdeskError).message).toMatch(/is larger than 4 MiB/);
  });

  it('a registry that does not answer in time: timeout', async () => {
    const port = await listen(() => undefined); // never answers
    const e = await readRemoteImageConfig(`127.0.0.1:${port}/owner/name:latest`, { timeoutMs: 200 }).catch((x: unknown) => x as CogdeskError);
    expect(e).toMatchObject({ code: 'timeout', message: `127.0.0.1:${port} did not answer within 200 ms` });
  });
});
