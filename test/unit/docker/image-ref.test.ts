import { describe, expect, it } from 'vitest';
import { isImageRef, parseImageRef, repoDigestFor, sameRepository } from '../../../src/main/core/docker/image-ref';
import { CogdeskError } from '../../../src/shared/errors';

const HEX = 'a'.repeat(64);
const DIGEST = `sha256:${'0123456789abcdef'.repeat(4)}`;

describe('parseImageRef', () => {
  it.each([
    ['ubuntu', { registry: 'docker.io', repository: 'library/ubuntu', full: 'docker.io/library/ubuntu:latest' }],
    ['ubuntu:22.04', { registry: 'docker.io', repository: 'library/ubuntu', tag: '22.04', full: 'docker.io/library/ubuntu:22.04' }],
    ['owner/name', { registry: 'docker.io', repository: 'owner/name', full: 'docker.io/owner/name:latest' }],
    ['docker.io/ubuntu', { registry: 'docker.io', repository: 'library/ubuntu', name: 'docker.io/library/ubuntu' }],
    ['index.docker.io/owner/name:v1', { registry: 'docker.io', repository: 'owner/name', full: 'docker.io/owner/name:v1' }],
    ['r8.im/stability-ai/sdxl', { registry: 'r8.im', repository: 'stability-ai/sdxl', full: 'r8.im/stability-ai/sdxl:latest' }],
    [`r8.im/owner/name@${DIGEST}`, { registry: 'r8.im', repository: 'owner/name', digest: DIGEST, full: `r8.im/owner/name@${DIGEST}` }],
    [`r8.im/owner/name:v2@${DIGEST}`, { tag: 'v2', digest: DIGEST, full: `r8.im/owner/name@${DIGEST}` }],
    ['127.0.0.1:5100/fixtures/echo:latest', { registry: '127.0.0.1:5100', repository: 'fixtures/echo', tag: 'latest' }],
    ['localhost/foo', { registry: 'localhost', repository: 'foo', full: 'localhost/foo:latest' }],
    ['localhost:5000/a/b/c', { registry: 'localhost:5000', repository: 'a/b/c' }],
    ['ghcr.io/org/my_model.v2__x-y', { registry: 'ghcr.io', repository: 'org/my_model.v2__x-y' }],
    ['Registry/foo', { registry: 'Registry', repository: 'foo' }],
    ['[::1]:5000/foo', { registry: '[::1]:5000', repository: 'foo' }],
    // Like Docker: "localhost:5000" alone is the image "localhost" with tag "5000".
    ['localhost:5000', { registry: 'docker.io', repository: 'library/localhost', tag: '5000' }],
    ['  ubuntu  ', { repository: 'library/ubuntu' }],
  ])('%s', (ref, expected) => {
    expect(parseImageRef(ref)).toMatchObject(expected);
  });

  it('leaves tag and digest out when not given', () => {
    const p = parseImageRef('owner/name');
    expect('tag' in p).toBe(false);
    expect('digest' in p).toBe(false);
  });

  it.each([
    ['', 'empty'],
    ['   ', 'empty'],
    ['Ubuntu', 'lowercase'],
    ['owner/Name', 'lowercase'],
    ['owner/name:', 'not a valid tag'],
    ['owner/name:-bad', 'not a valid tag'],
    [`owner/name:${'t'.repeat(129)}`, 'not a valid tag'],
    ['owner/name@sha256:abc', 'not a digest'],
    [`owner/name@sha256:${HEX.toUpperCase()}`, 'not a digest'],
    [`owner/name@md5:${HEX}`, 'not a digest'],
    ['owner//name', 'not a valid name component'],
    ['owner/name/', 'not a valid name component'],
    ['owner/-name', 'not a valid name component'],
    ['owner/na me', 'spaces'],
    ['https://r8.im/owner/name', 'URL scheme'],
    ['r8.im/', 'repository name is missing'],
    ['bad_host.com/foo', 'not a valid registry host'],
    [HEX, 'image id'],
    [`r8.im/${'a'.repeat(250)}`, 'longer than 255'],
  ])('rejects %j (%s)', (ref, why) => {
    let err: unknown;
    try {
      parseImageRef(ref);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CogdeskError);
    const e = err as CogdeskError;
    expect(e.code).toBe('bad_request');
    expect(e.message).toContain(why);
    expect(e.hint).toBeTruthy();
  });

  it('suggests the reference without the scheme', () => {
    expect(() => parseImageRef('https://r8.im/owner/name')).toThrow(
      expect.objectContaining({ hint: 'Leave out the scheme: r8.im/owner/name' }),
    );
  });

  it('isImageRef', () => {
    expect(isImageRef('r8.im/a/b')).toBe(true);
    expect(isImageRef('a/B')).toBe(false);
  });
});

describe('repository matching', () => {
  it('treats Docker Hub short and long names as the same repository', () => {
    expect(sameRepository('ubuntu', 'docker.io/library/ubuntu:22.04')).toBe(true);
    expect(sameRepository('owner/x', 'r8.im/owner/x')).toBe(false);
    expect(sameRepository('not valid!', 'ubuntu')).toBe(false);
  });

  it('picks the repo digest of the right registry', () => {
    const digests = [`127.0.0.1:5100/fixtures/echo@${DIGEST}`, `127.0.0.1:5101/private/echo@sha256:${HEX}`, 'garbage'];
    expect(repoDigestFor(digests, '127.0.0.1:5101/private/echo:latest')).toBe(`sha256:${HEX}`);
    expect(repoDigestFor(digests, parseImageRef('127.0.0.1:5100/fixtures/echo'))).toBe(DIGEST);
    expect(repoDigestFor(digests, 'r8.im/fixtures/echo')).toBeUndefined();
    expect(repoDigestFor([`ubuntu@${DIGEST}`], 'docker.io/library/ubuntu:latest')).toBe(DIGEST);
    expect(repoDigestFor(null, 'ubuntu')).toBeUndefined();
  });
});
