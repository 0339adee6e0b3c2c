#!/usr/bin/env node
// The managed-weights fixture (test-only), run by setup.sh after the fixture images are pushed: the model
// image (fixtures/managed-weights:latest plus its predict.py) and its weights pushed to the open test
// registry as an OCI index, the way `cog push` pushes a model with managed weights (replicate/cog,
// specs/weights.md: one OCI manifest per weight, artifactType application/vnd.cog.weight.v1, config
// application/vnd.cog.weight.config.v1+json holding the file index, tar / tar+gzip layers, annotations
// run.cog.weight.name/target/set-digest; the index lists the weight with platform unknown/unknown).
// Written through the registry HTTP API. Idempotent and fast when the registry already has it (its index
// carries the fixture's hash). Also pushes a second index with the same image and weights (tag weights-2),
// another version that shares them. Writes /var/lib/cogdesk-test/managed-weights.json for the tests.
// Usage: node scripts/test-env/managed-weights.mjs [registry (default 127.0.0.1:5100)]
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..', '..');
const FIXTURE = join(ROOT, 'test', 'fixtures', 'cog-images', 'managed-weights');
const REGISTRY = process.argv[2] ?? '127.0.0.1:5100';
const REPO = 'fixtures/managed-weights';
const BASE = `${REGISTRY}/${REPO}:latest`;
const IMAGE = `${REGISTRY}/${REPO}:image`;
const TAG = 'weights';
const OUT = process.env.COGDESK_MANAGED_WEIGHTS_JSON ?? '/var/lib/cogdesk-test/managed-weights.json';
const API = `http://${REGISTRY}/v2/${REPO}`;

const T = {
  index: 'application/vnd.oci.image.index.v1+json',
  manifest: 'application/vnd.oci.image.manifest.v1+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  imageConfig: 'application/vnd.oci.image.config.v1+json',
  layerGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  layerTar: 'application/vnd.oci.image.layer.v1.tar',
  weight: 'application/vnd.cog.weight.v1',
  weightConfig: 'application/vnd.cog.weight.config.v1+json',
};

const log = (m) => process.stderr.write(`[managed-weights] ${m}\n`);
const sha = (b) => `sha256:${createHash('sha256').update(b).digest('hex')}`;
const hex = (b) => createHash('sha256').update(b).digest('hex');

/** Deterministic bytes (a hash chain), so the weights and their digests never change. */
function bytes(seed, n) {
  const out = Buffer.alloc(n);
  let block = createHash('sha256').update(seed).digest();
  for (let i = 0; i < n; i += 32) {
    block.copy(out, i, 0, Math.min(32, n - i));
    block = createHash('sha256').update(block).digest();
  }
  return out;
}

/** Two weights: one of two layers (a 4 MiB file alone in a plain tar, a small one in a gzip bundle), one of one. */
const WEIGHTS = [
  {
    name: 'model',
    target: '/src/weights',
    layers: [
      { gzip: false, files: { 'model.bin': bytes('cogdesk managed weights: model', 4 * 1024 * 1024) } },
      { gzip: true, files: { 'config.json': Buffer.from('{"hidden_size": 8, "layers": 2}\n') } },
    ],
  },
  {
    name: 'tokenizer',
    target: '/opt/tokenizer',
    layers: [{ gzip: true, files: { 'tokenizer.json': Buffer.from('{"vocab": ["a", "b", "c"]}\n'), 'merges/merges.txt': Buffer.from('a b\n') } }],
  },
];

function fixtureHash() {
  const h = createHash('sha256');
  for (const f of [join(HERE, 'managed-weights.mjs'), join(FIXTURE, 'predict.py')]) h.update(readFileSync(f));
  // The base image the generic fixture loop pushed (its own hash covers server.py and the schema).
  h.update(docker(['image', 'inspect', '--format', '{{ index .Config.Labels "cogdesk.fixture-hash" }}', BASE]).trim());
  return h.digest('hex');
}

function docker(args, input) {
  return execFileSync('docker', args, { encoding: 'utf8', input, stdio: ['pipe', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
}

async function registry(path, init = {}) {
  const res = await fetch(path.startsWith('http') ? path : `${API}${path}`, { redirect: 'follow', ...init });
  return res;
}

async function getManifest(reference, accept) {
  const res = await registry(`/manifests/${reference}`, { headers: { accept } });
  if (res.status === 404) return null;
  if (!res.ok) throw new Error(`GET manifest ${reference}: HTTP ${res.status} ${await res.text()}`);
  const body = Buffer.from(await res.arrayBuffer());
  return { body, json: JSON.parse(body.toString('utf8')), digest: res.headers.get('docker-content-digest') ?? sha(body), type: res.headers.get('content-type') };
}

async function putManifest(reference, type, json) {
  const body = Buffer.from(JSON.stringify(json));
  const res = await registry(`/manifests/${reference}`, { method: 'PUT', headers: { 'content-type': type }, body });
  if (res.status !== 201) throw new Error(`PUT manifest ${reference}: HTTP ${res.status} ${await res.text()}`);
  return { digest: sha(body), size: body.length };
}

async function putBlob(body) {
  const digest = sha(body);
  const head = await registry(`/blobs/${digest}`, { method: 'HEAD' });
  if (head.status === 200) return { digest, size: body.length };
  const start = await registry('/blobs/uploads/', { method: 'POST' });
  if (start.status !== 202) throw new Error(`POST blob upload: HTTP ${start.status} ${await start.text()}`);
  const location = new URL(start.headers.get('location'), `http://${REGISTRY}`);
  location.searchParams.set('digest', digest);
  const res = await registry(location.toString(), { method: 'PUT', headers: { 'content-type': 'application/octet-stream' }, body });
  if (res.status !== 201) throw new Error(`PUT blob ${digest}: HTTP ${res.status} ${await res.text()}`);
  return { digest, size: body.length };
}

/**
 * A layer as Cog packs it (specs/weights.md 1.4): a tar of regular files relative to the target, sorted,
 * mtime 0, uid/gid 0, mode 0644 (ustar headers: every name here is short). Written here so that the test
 * environment needs nothing from npm.
 */
function packLayer(files, gzip) {
  const blocks = [];
  for (const name of Object.keys(files).sort()) {
    const body = files[name];
    const h = Buffer.alloc(512);
    const put = (text, at, len) => h.write(text, at, len, 'ascii');
    const octal = (n, at, len) => put(`${n.toString(8).padStart(len - 1, '0')}\0`, at, len);
    put(name, 0, 100);
    octal(0o644, 100, 8);
    octal(0, 108, 8);
    octal(0, 116, 8);
    octal(body.length, 124, 12);
    octal(0, 136, 12);
    put('        ', 148, 8);
    put('0', 156, 1);
    put('ustar\u000000', 257, 8);
    let sum = 0;
    for (const b of h) sum += b;
    put(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8);
    blocks.push(h, body, Buffer.alloc((512 - (body.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  const raw = Buffer.concat(blocks);
  return gzip ? gzipSync(raw, { level: 9 }) : raw;
}

async function pushWeight(w) {
  const layers = [];
  const index = [];
  for (const l of w.layers) {
    const blob = await putBlob(packLayer(l.files, l.gzip));
    const uncompressed = Object.values(l.files).reduce((n, b) => n + b.length, 0);
    layers.push({ mediaType: l.gzip ? T.layerGzip : T.layerTar, ...blob, annotations: { 'run.cog.weight.size.uncompressed': String(uncompressed) } });
    for (const [path, b] of Object.entries(l.files)) index.push({ path, layer: blob.digest, size: b.length, digest: sha(b) });
  }
  index.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const setDigest = sha(index.map((f) => `${f.digest.slice(7)}  ${f.path}`).join('\n'));
  const config = await putBlob(Buffer.from(JSON.stringify({ name: w.name, target: w.target, setDigest, files: index })));
  const annotations = { 'run.cog.weight.name': w.name, 'run.cog.weight.target': w.target, 'run.cog.weight.set-digest': setDigest };
  const manifest = { schemaVersion: 2, mediaType: T.manifest, artifactType: T.weight, config: { mediaType: T.weightConfig, ...config }, layers, annotations };
  const put = await putManifest(sha(Buffer.from(JSON.stringify(manifest))), T.manifest, manifest);
  const size = layers.reduce((n, l) => n + Number(l.annotations['run.cog.weight.size.uncompressed']), 0);
  return {
    descriptor: {
      mediaType: T.manifest,
      ...put,
      artifactType: T.weight,
      platform: { os: 'unknown', architecture: 'unknown' },
      annotations: { 'run.cog.weight.name': w.name, 'run.cog.weight.set-digest': setDigest, 'run.cog.weight.size.uncompressed': String(size) },
    },
    record: {
      name: w.name,
      target: w.target,
      setDigest,
      manifestDigest: put.digest,
      layers: layers.map((l) => ({ digest: l.digest, size: l.size, mediaType: l.mediaType })),
      files: Object.fromEntries(index.map((f) => [f.path, f.digest])),
    },
  };
}

/** The model image as an OCI manifest (Cog pushes OCI; the same blobs as Docker's own push of it). */
async function pushImage(hash, weights) {
  const ctx = mkdtempSync('/tmp/cogdesk-managed-weights-');
  try {
    writeFileSync(join(ctx, 'predict.py'), readFileSync(join(FIXTURE, 'predict.py')));
    // What `cog build` writes into an image with managed weights (specs/weights.md 3.3).
    writeFileSync(join(ctx, 'weights.json'), `${JSON.stringify({ weights: weights.map((w) => ({ name: w.name, target: w.target, setDigest: w.setDigest })) }, null, 2)}\n`);
    writeFileSync(
      join(ctx, 'Dockerfile'),
      [`FROM ${BASE}`, 'COPY predict.py /opt/cog/predict.py', 'COPY weights.json /.cog/weights.json', `LABEL cogdesk.fixture=managed-weights cogdesk.fixture-hash=${hash}`, 'CMD ["python3","-u","/opt/cog/predict.py"]', ''].join('\n'),
    );
    log(`building ${IMAGE}`);
    execFileSync('docker', ['build', '--pull=false', '-q', '-t', IMAGE, ctx], { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, DOCKER_BUILDKIT: '0' } });
    log(`pushing ${IMAGE}`);
    execFileSync('docker', ['push', IMAGE], { stdio: ['ignore', 'ignore', 'inherit'] });
  } finally {
    rmSync(ctx, { recursive: true, force: true });
  }
  const pushed = await getManifest('image', T.dockerManifest);
  if (!pushed) throw new Error(`${IMAGE} is not in the registry after docker push`);
  const oci = {
    schemaVersion: 2,
    mediaType: T.manifest,
    config: { mediaType: T.imageConfig, digest: pushed.json.config.digest, size: pushed.json.config.size },
    layers: pushed.json.layers.map((l) => ({ mediaType: T.layerGzip, digest: l.digest, size: l.size })),
  };
  const put = await putManifest(sha(Buffer.from(JSON.stringify(oci))), T.manifest, oci);
  return { mediaType: T.manifest, ...put, platform: { os: 'linux', architecture: 'amd64' } };
}

async function main() {
  const t0 = Date.now();
  const hash = fixtureHash();
  const have = await getManifest(TAG, T.index);
  let state;
  try {
    state = JSON.parse(readFileSync(OUT, 'utf8'));
  } catch {
    state = null;
  }
  if (have?.json?.annotations?.['cogdesk.fixture-hash'] === hash && state?.hash === hash && state?.indexDigest === have.digest) {
    log(`up to date (${REGISTRY}/${REPO}:${TAG}@${have.digest.slice(0, 19)})`);
    return;
  }
  const weights = [];
  for (const w of WEIGHTS) weights.push(await pushWeight(w));
  const image = await pushImage(hash, weights.map((w) => w.record));
  const index = { schemaVersion: 2, mediaType: T.index, manifests: [image, ...weights.map((w) => w.descriptor)], annotations: { 'cogdesk.fixture-hash': hash } };
  const put = await putManifest(TAG, T.index, index);
  // A second version of the model with the same weights (another index, another digest).
  const other = await putManifest(`${TAG}-2`, T.index, { ...index, annotations: { ...index.annotations, 'cogdesk.variant': '2' } });
  const record = {
    hash,
    ref: `${REGISTRY}/${REPO}:${TAG}`,
    repository: REPO,
    registry: REGISTRY,
    indexDigest: put.digest,
    /** `<registry>/<repository>:weights-2`: the same image and weights under another index. */
    sameWeightsRef: `${REGISTRY}/${REPO}:${TAG}-2`,
    sameWeightsDigest: other.digest,
    imageManifestDigest: image.digest,
    weights: weights.map((w) => w.record),
    weightBytes: weights.reduce((n, w) => n + w.record.layers.reduce((m, l) => m + l.size, 0), 0),
  };
  writeFileSync(`${OUT}.tmp`, `${JSON.stringify(record, null, 2)}\n`);
  renameSync(`${OUT}.tmp`, OUT);
  log(`pushed ${record.ref}@${put.digest} with ${weights.length} weights in ${Date.now() - t0} ms -> ${OUT}`);
}

main().catch((e) => {
  process.stderr.write(`managed-weights.mjs: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
