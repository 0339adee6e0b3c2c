import { describe, expect, it } from 'vitest';
import { CogdeskError } from '../../../src/shared/errors';
import { checkTargets, parseWeightManifest, weightDescriptors, type ManagedWeight } from '../../../src/main/core/docker/weight-manifests';

const D = (c: string) => `sha256:${c.repeat(64)}`;
const REF = 'r8.im/acme/flux@sha256:' + 'f'.repeat(64);

/** A weight manifest as `cog push` writes it (replicate/cog specs/weights.md 2.2). */
function manifest(over: Record<string, unknown> = {}) {
  return {
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    artifactType: 'application/vnd.cog.weight.v1',
    config: { mediaType: 'application/vnd.cog.weight.config.v1+json', digest: D('c'), size: 512 },
    layers: [
      { mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: D('a'), size: 15, annotations: { 'run.cog.weight.size.uncompressed': '20' } },
      { mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: D('b'), size: 4000 },
    ],
    annotations: { 'run.cog.weight.name': 'z-image-turbo', 'run.cog.weight.target': '/src/weights', 'run.cog.weight.set-digest': D('d') },
    ...over,
  };
}

function failure(f: () => unknown): CogdeskError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(CogdeskError);
    return e as CogdeskError;
  }
  throw new Error('expected a CogdeskError');
}

describe('weightDescriptors', () => {
  it('finds the weights of an index by artifactType or by the weight-name annotation, not the image', () => {
    const index = {
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: [
        { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: D('1'), size: 1, platform: { os: 'linux', architecture: 'amd64' } },
        { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: D('2'), size: 1, artifactType: 'application/vnd.cog.weight.v1', platform: { os: 'unknown', architecture: 'unknown' } },
        { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: D('3'), size: 1, annotations: { 'run.cog.weight.name': 'vae' } },
        { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: D('4'), size: 1, platform: { os: 'unknown', architecture: 'unknown' }, annotations: { 'vnd.docker.reference.type': 'attestation-manifest' } },
      ],
    };
    expect(weightDescriptors(index).map((d) => d.digest)).toEqual([D('2'), D('3')]);
  });

  it('finds none in a plain manifest or something that is not an index', () => {
    expect(weightDescriptors(manifest())).toEqual([]);
    expect(weightDescriptors(null)).toEqual([]);
    expect(weightDescriptors({ manifests: 'x' })).toEqual([]);
  });
});

describe('parseWeightManifest', () => {
  it('reads the name, target, set digest and each layer with its compression', () => {
    const w = parseWeightManifest(manifest(), D('9'), REF);
    expect(w).toEqual({
      name: 'z-image-turbo',
      target: '/src/weights',
      setDigest: D('d'),
      manifestDigest: D('9'),
      layers: [
        { digest: D('a'), size: 15, mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', compression: 'gzip' },
        { digest: D('b'), size: 4000, mediaType: 'application/vnd.oci.image.layer.v1.tar', compression: 'none' },
      ],
      bytes: 4015,
    });
  });

  it('accepts zstd layers and a target with a trailing slash', () => {
    const w = parseWeightManifest(
      manifest({ layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+zstd', digest: D('a'), size: 1 }], annotations: { 'run.cog.weight.name': 'w', 'run.cog.weight.target': '/models/w/' } }),
      D('9'),
      REF,
    );
    expect(w.layers[0].compression).toBe('zstd');
    expect(w.target).toBe('/models/w');
    expect(w.setDigest).toBeNull();
  });

  it('refuses a layer media type it cannot unpack, naming it and the ones it knows', () => {
    const e = failure(() => parseWeightManifest(manifest({ layers: [{ mediaType: 'application/vnd.cog.weight.layer.v2+lz4', digest: D('a'), size: 1 }] }), D('9'), REF));
    expect(e.code).toBe('registry_error');
    expect(e.message).toBe(
      `The weight "z-image-turbo" of ${REF} has a layer of media type application/vnd.cog.weight.layer.v2+lz4 (layer 1), which Cogdesk cannot unpack: it knows application/vnd.oci.image.layer.v1.tar, application/vnd.oci.image.layer.v1.tar+gzip, application/vnd.oci.image.layer.v1.tar+zstd`,
    );
    expect(e.hint).toMatch(/update Cogdesk/);
  });

  it('refuses a config that is not a Cog weight config', () => {
    const e = failure(() => parseWeightManifest(manifest({ config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: D('c'), size: 1 } }), D('9'), REF));
    expect(e.message).toBe(`The weight "z-image-turbo" of ${REF} has a config of media type application/vnd.oci.image.config.v1+json, which is not a Cog weight (application/vnd.cog.weight.config.v1+json)`);
  });

  it('refuses a manifest that is not an OCI image manifest', () => {
    const e = failure(() => parseWeightManifest(manifest({ mediaType: 'application/vnd.oci.image.index.v1+json' }), D('9'), REF));
    expect(e.message).toMatch(/is a application\/vnd\.oci\.image\.index\.v1\+json, not an OCI image manifest/);
  });

  it.each([
    ['no name', { 'run.cog.weight.target': '/src/weights' }, /of r8\.im.* \(sha256:999999999999\) has no run\.cog\.weight\.name annotation/],
    ['no target', { 'run.cog.weight.name': 'w' }, /"w" .* has no run\.cog\.weight\.target annotation \(where it goes in the container\)/],
    ['a relative target', { 'run.cog.weight.name': 'w', 'run.cog.weight.target': 'weights' }, /has the target "weights", which is not an absolute folder/],
    ['a target that climbs', { 'run.cog.weight.name': 'w', 'run.cog.weight.target': '/src/../etc' }, /has the target "\/src\/\.\.\/etc"/],
    ['the root as target', { 'run.cog.weight.name': 'w', 'run.cog.weight.target': '/' }, /has the target "\/"/],
  ])('refuses %s', (_what, annotations, message) => {
    const e = failure(() => parseWeightManifest(manifest({ annotations }), D('9'), REF));
    expect(e.message).toMatch(message);
    expect(e.hint).toMatch(/cog push/);
  });

  it('refuses layers without a digest or size, and a manifest without layers', () => {
    expect(failure(() => parseWeightManifest(manifest({ layers: [] }), D('9'), REF)).message).toMatch(/has no layers$/);
    expect(failure(() => parseWeightManifest(manifest({ layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: 'md5:x', size: 1 }] }), D('9'), REF)).message).toMatch(/a layer without a sha256 digest \(layer 1\)/);
    expect(failure(() => parseWeightManifest(manifest({ layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: D('a') }] }), D('9'), REF)).message).toMatch(/a layer without a size \(layer 1\)/);
  });
});

describe('checkTargets', () => {
  const w = (name: string, target: string) => ({ name, target }) as ManagedWeight;
  it('lets disjoint targets be', () => {
    expect(() => checkTargets([w('a', '/src/weights'), w('b', '/src/weights-2'), w('c', '/opt/x')], REF)).not.toThrow();
  });
  it('refuses two weights at one target, or one inside another', () => {
    expect(failure(() => checkTargets([w('a', '/src/weights'), w('b', '/src/weights')], REF)).message).toBe(`The weights "a" and "b" of ${REF} go to the same place (/src/weights, /src/weights)`);
    expect(failure(() => checkTargets([w('a', '/src'), w('b', '/src/weights')], REF)).message).toMatch(/"a" and "b" .* \(\/src, \/src\/weights\)/);
  });
});
