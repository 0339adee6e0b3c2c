/**
 * Makes small images without a base image or network: a `docker save` tarball written here (layers of
 * random bytes, any labels) and loaded with `docker load`. Also pushes to the test registries.
 */
import { createCipheriv, createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type Docker from 'dockerode';

export interface LocalImageSpec {
  /** `host:port/repo:tag` to tag it as. */
  ref: string;
  /** Size in bytes of each layer's one file of random bytes. */
  layers: number[];
  labels?: Record<string, string>;
  /** The same seed gives the same bytes, so the same layer digests (pushing again uploads nothing). */
  seed?: string;
}

/** Builds and loads an image; returns its image id. */
export async function loadLocalImage(docker: Docker, spec: LocalImageSpec): Promise<string> {
  const seed = spec.seed ?? `${Date.now()}-${Math.random()}`;
  const layerTars = spec.layers.map((size, i) => tar([{ name: `layer${i}.bin`, data: noise(size, `${seed}/${i}`) }]));
  const diffIds = layerTars.map((t) => `sha256:${sha256(t)}`);
  const config = Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      created: '2026-01-01T00:00:00Z',
      config: { Labels: spec.labels ?? {}, Cmd: ['/nothing'] },
      rootfs: { type: 'layers', diff_ids: diffIds },
      history: layerTars.map(() => ({ created_by: 'cogdesk test' })),
    }),
  );
  const configName = `${sha256(config)}.json`;
  const manifest = [{ Config: configName, RepoTags: [spec.ref], Layers: layerTars.map((_, i) => `l${i}/layer.tar`) }];
  const archive = tar([
    { name: configName, data: config },
    ...layerTars.map((data, i) => ({ name: `l${i}/layer.tar`, data })),
    { name: 'manifest.json', data: Buffer.from(JSON.stringify(manifest)) },
  ]);
  const out = await docker.loadImage(Readable.from([archive]), { quiet: true });
  await drain(out);
  return (await docker.getImage(spec.ref).inspect()).Id;
}

/** Pushes a local image (`host:port/repo:tag`) and returns the manifest digest. */
export async function pushImage(docker: Docker, ref: string, auth?: { username: string; password: string; serveraddress: string }): Promise<string> {
  const colon = ref.lastIndexOf(':');
  const stream = await docker.getImage(ref.slice(0, colon)).push({ tag: ref.slice(colon + 1), ...(auth ? { authconfig: auth } : {}) });
  const text = await drain(stream);
  const failure = text.split('\n').map(tryJson).find((e) => e?.error);
  if (failure) throw new Error(`push ${ref}: ${failure.error}`);
  const digest = /digest: (sha256:[a-f0-9]{64})/.exec(text)?.[1];
  if (!digest) throw new Error(`push ${ref}: no digest in ${text}`);
  return digest;
}

/** Removes images (by reference or id) if present. */
export async function removeImages(docker: Docker, ...refs: string[]): Promise<void> {
  for (const ref of refs) {
    await docker
      .getImage(ref)
      .remove({ force: true })
      .catch((e: { statusCode?: number }) => {
        if (e.statusCode !== 404) throw e;
      });
  }
}

/**
 * Removes an image by id with every tag and digest pointing at it, so the next pull really downloads.
 * Throws when Docker keeps it (a running container uses it): a test must not pass on a pull that did nothing.
 */
export async function removeImageCompletely(docker: Docker, refOrId: string): Promise<void> {
  const id = await docker
    .getImage(refOrId)
    .inspect()
    .then((i) => i.Id, () => undefined);
  if (!id) return;
  // Images other tests built on top of it (the e2e tests' variants) would keep it here: they go first.
  const children = (await docker.listImages({ all: true })).filter((i) => i.ParentId === id).map((i) => i.Id);
  for (const child of children) await removeImageCompletely(docker, child);
  await removeImages(docker, id);
  if (await imageExists(docker, id)) throw new Error(`could not remove image ${refOrId} (${id}): something still uses it`);
}

export async function imageExists(docker: Docker, ref: string): Promise<boolean> {
  try {
    await docker.getImage(ref).inspect();
    return true;
  } catch (e) {
    if ((e as { statusCode?: number }).statusCode === 404) return false;
    throw e;
  }
}

function drain(stream: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    stream.on('data', (c: Buffer) => (text += c.toString()));
    stream.on('end', () => resolve(text));
    stream.on('error', reject);
  });
}

function tryJson(line: string): { error?: string } | undefined {
  try {
    return JSON.parse(line) as { error?: string };
  } catch {
    return undefined;
  }
}

/** Incompressible bytes from a seed (AES-CTR over zeros). */
export function noise(size: number, seed: string): Buffer {
  const key = createHash('sha256').update(seed).digest();
  const cipher = createCipheriv('aes-256-ctr', key, Buffer.alloc(16));
  return Buffer.concat([cipher.update(Buffer.alloc(size)), cipher.final()]);
}

function sha256(b: Buffer): string {
  return createHash('sha256').update(b).digest('hex');
}

/** A minimal ustar archive of regular files. */
export function tar(files: Array<{ name: string; data: Buffer }>): Buffer {
  const parts: Buffer[] = [];
  for (const f of files) {
    const h = Buffer.alloc(512);
    h.write(f.name, 0, 100, 'utf8');
    h.write('0000644\0', 100);
    h.write('0000000\0', 108);
    h.write('0000000\0', 116);
    h.write(f.data.length.toString(8).padStart(11, '0') + '\0', 124);
    h.write('00000000000\0', 136);
    h.write('        ', 148);
    h.write('0', 156);
    h.write('ustar\0', 257);
    h.write('00', 263);
    let sum = 0;
    for (const byte of h) sum += byte;
    h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148);
    parts.push(h, f.data, Buffer.alloc((512 - (f.data.length % 512)) % 512));
  }
  parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}
