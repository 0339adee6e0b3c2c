import { describe, expect, it } from 'vitest';
import type { Model } from '../../../src/shared/domain';
import { apiModelName, findApiModel } from '../../../src/main/core/api-server/names';
import { ApiProblem } from '../../../src/main/core/api-server/problem';
import { modelFor } from '../../../src/main/core/models';

const model = (id: string): Model => ({ id, owner: null, name: id.split('/').pop()!, repository: id, createdAt: '', latestVersionId: null, versionCount: 0 });

describe('local model ids as API owner/name', () => {
  it.each([
    ['stability-ai/sdxl', 'stability-ai', 'sdxl'],
    ['127.0.0.1:5100/fixtures/echo', 'fixtures', 'echo'],
    ['ghcr.io/acme/team/upscaler', 'team', 'upscaler'],
    ['docker.io/library/ubuntu', 'library', 'ubuntu'],
    ['localhost:5000/echo', 'local', 'echo'],
    ['localhost/echo', 'local', 'echo'],
    ['registry.example.com/a/b/c/d', 'c', 'd'],
  ])('%s -> %s/%s', (id, owner, name) => {
    expect(apiModelName(id)).toEqual({ owner, name });
  });

  it('agrees with the owner and name the engine records for an image (where it has an owner)', () => {
    for (const ref of ['127.0.0.1:5100/fixtures/echo:latest', 'r8.im/stability-ai/sdxl@sha256:' + 'a'.repeat(64), 'ghcr.io/acme/team/upscaler:v1', 'ubuntu:22.04']) {
      const m = modelFor(ref);
      expect(apiModelName(m.id)).toEqual({ owner: m.owner ?? 'local', name: m.name });
    }
  });

  it('finds a model by its API name; an exact id wins; two others with one name are ambiguous (409)', () => {
    const a = model('127.0.0.1:5100/fixtures/echo');
    const b = model('ghcr.io/fixtures/echo');
    const r8 = model('fixtures/echo');
    expect(findApiModel([a], 'fixtures', 'echo')).toBe(a);
    expect(findApiModel([a, b, r8], 'fixtures', 'echo')).toBe(r8);
    const ambiguous = (() => {
      try {
        findApiModel([a, b], 'fixtures', 'echo');
      } catch (e) {
        return e;
      }
    })() as ApiProblem;
    expect(ambiguous).toBeInstanceOf(ApiProblem);
    expect(ambiguous.status).toBe(409);
    expect(ambiguous.detail).toContain(a.id);
    expect(ambiguous.detail).toContain(b.id);
    expect(() => findApiModel([a], 'fixtures', 'nope')).toThrow(expect.objectContaining({ status: 404 }));
  });
});
