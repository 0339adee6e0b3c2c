/**
 * The one name resolver (src/main/core/library/resolve-name.ts) over a real SQLite library: local model
 * names, version ids full and short, image references, Replicate names, and ambiguity as an error.
 */
import { describe, expect, it } from 'vitest';
import type { Model, Version } from '../../../src/shared/domain';
import { AmbiguousNameError, resolveLocalModel, resolveName } from '../../../src/main/core/library/resolve-name';
import { useTempStore } from '../../helpers/store';

const t = useTempStore();

function add(modelId: string, id: string, imageRef = `${modelId}:latest`, createdAt?: string): Version {
  const parts = modelId.split('/');
  const model: Pick<Model, 'id' | 'owner' | 'name' | 'repository'> = { id: modelId, owner: parts.at(-2) ?? null, name: parts.at(-1)!, repository: modelId };
  return t.store.library.register(model, {
    id,
    modelId,
    imageRef,
    imageId: `sha256:ff${id.slice(2)}`,
    cogVersion: '0.15.5',
    openapiSchema: {},
    cogConfig: null,
    legacyLabels: false,
    sizeBytes: 1,
    createdAt,
  });
}

const ECHO = '127.0.0.1:5100/fixtures/echo';
const A = 'aaaa1111'.padEnd(64, '0');
const A2 = 'aaaa2222'.padEnd(64, '0');
const B = 'bbbb1111'.padEnd(64, '0');
const lib = () => t.store.library;
const local = (ref: string) => {
  const r = resolveName(lib(), ref);
  return r.kind === 'local' ? { id: r.version.id, matched: r.matched } : r;
};

describe('resolveName: local first', () => {
  it('a model by its id, a tail of it, or its API name: the latest version', () => {
    add(ECHO, A, `${ECHO}:v1`, '2026-01-01T00:00:00.000Z');
    add(ECHO, A2, `${ECHO}:v2`, '2026-02-01T00:00:00.000Z');
    add('localhost:5000/solo', B);
    for (const name of [ECHO, 'fixtures/echo', 'echo', ' echo ']) expect(local(name)).toEqual({ id: A2, matched: 'model' });
    expect(local('local/solo')).toEqual({ id: B, matched: 'model' });
  });

  it('a version id, full, short (what `cogdesk models` prints), with sha256:, or a prefix of its image id', () => {
    add(ECHO, A);
    add('other/model', B);
    expect(local(A)).toEqual({ id: A, matched: 'version-id' });
    expect(local(`sha256:${A}`)).toEqual({ id: A, matched: 'version-id' });
    expect(local(A.slice(0, 12))).toEqual({ id: A, matched: 'version-prefix' });
    expect(local('bbbb')).toEqual({ id: B, matched: 'version-prefix' });
    expect(local('ffbb1111')).toEqual({ id: B, matched: 'version-prefix' });
  });

  it('NAME:PREFIX takes that version of the model; an image reference the library has', () => {
    add(ECHO, A, `${ECHO}:v1`, '2026-01-01T00:00:00.000Z');
    add(ECHO, A2, `${ECHO}:v2`, '2026-02-01T00:00:00.000Z');
    expect(local('echo:aaaa1')).toEqual({ id: A, matched: 'model-version' });
    expect(local(`${ECHO}:v1`)).toEqual({ id: A, matched: 'image' });
  });

  it('ambiguity is an error naming every candidate', () => {
    add('one/echo', A);
    add('two/echo', A2);
    const e = (() => {
      try {
        resolveName(lib(), 'echo');
      } catch (err) {
        return err;
      }
    })();
    expect(e).toBeInstanceOf(AmbiguousNameError);
    expect((e as AmbiguousNameError).message).toBe('"echo" fits 2 local models: one/echo, two/echo');
    expect((e as AmbiguousNameError).hint).toMatch(/version id/);
    expect(() => resolveName(lib(), 'aaaa')).toThrow(/"aaaa" fits 2 local versions: aaaa11110000 \(one\/echo\), aaaa22220000 \(two\/echo\)/);
    // An exact id is never ambiguous.
    expect(local('one/echo')).toMatchObject({ kind: 'replicate', local: { id: A } });
    expect(local('aaaa1')).toEqual({ id: A, matched: 'version-prefix' });
  });
});

describe("resolveName: Replicate's names, then images", () => {
  it('owner/name nothing here has is Replicate model, with a full version or a short one', () => {
    expect(resolveName(lib(), 'stability-ai/sdxl')).toEqual({ kind: 'replicate', id: 'stability-ai/sdxl', owner: 'stability-ai', name: 'sdxl', explicit: false, local: null });
    expect(resolveName(lib(), `acme/m:${A}`)).toMatchObject({ kind: 'replicate', id: 'acme/m', version: A, local: null });
    expect(resolveName(lib(), 'acme/m:abc123')).toMatchObject({ kind: 'replicate', id: 'acme/m', versionPrefix: 'abc123' });
    expect(resolveName(lib(), 'r8.im/acme/m')).toMatchObject({ kind: 'replicate', id: 'acme/m', explicit: true });
  });

  it('a local model whose id is exactly owner/name (pulled from Replicate, or cog build) answers as Replicate model, the local version alongside', () => {
    add('acme/m', A);
    add('docker.io/team/built', B);
    expect(resolveName(lib(), 'acme/m')).toMatchObject({ kind: 'replicate', id: 'acme/m', local: { id: A } });
    expect(resolveName(lib(), 'acme/m:aaaa1')).toMatchObject({ kind: 'replicate', version: A, local: { id: A } });
    expect(resolveName(lib(), 'team/built')).toMatchObject({ kind: 'replicate', id: 'team/built', local: { id: B } });
    expect(resolveName(lib(), 'r8.im/acme/m')).toMatchObject({ kind: 'replicate', explicit: true, local: { id: A } });
  });

  it('fixtures/echo for 127.0.0.1:5100/fixtures/echo is the local model, not a Replicate name', () => {
    add(ECHO, A);
    expect(local('fixtures/echo')).toEqual({ id: A, matched: 'model' });
  });

  it('anything else is an image reference to find in Docker or pull', () => {
    expect(resolveName(lib(), 'fixtures/echo:latest')).toEqual({ kind: 'image', ref: 'fixtures/echo:latest' });
    expect(resolveName(lib(), 'ubuntu')).toEqual({ kind: 'image', ref: 'ubuntu' });
    expect(() => resolveName(lib(), '  ')).toThrow(/No model or version given/);
  });
});

describe('resolveLocalModel', () => {
  it('a model by name or by any name of one of its versions; null for what is not here', () => {
    add(ECHO, A);
    expect(resolveLocalModel(lib(), 'echo')?.id).toBe(ECHO);
    expect(resolveLocalModel(lib(), 'aaaa1')?.id).toBe(ECHO);
    expect(resolveLocalModel(lib(), 'nosuch')).toBeNull();
  });
});

describe("the local API's version field goes through the same resolver", () => {
  it('a short id and a model name resolve; unknown is 422 Invalid version; ambiguous is 409 listing both', async () => {
    const { resolveApiVersion } = await import('../../../src/main/core/api-server/names');
    add('one/echo', A);
    add('two/echo', A2);
    const core = { store: t.store };
    expect((await resolveApiVersion(core, 'aaaa1')).id).toBe(A);
    expect((await resolveApiVersion(core, 'two/echo')).id).toBe(A2);
    expect((await resolveApiVersion(core, `one/echo:${A}`)).id).toBe(A);
    await expect(resolveApiVersion(core, 'nosuch')).rejects.toMatchObject({ status: 422, title: 'Invalid version' });
    await expect(resolveApiVersion(core, `one/echo:${A2}`)).rejects.toMatchObject({ status: 422 });
    await expect(resolveApiVersion(core, 'echo')).rejects.toMatchObject({ status: 409, detail: '"echo" fits 2 local models: one/echo, two/echo' });
  });
});
