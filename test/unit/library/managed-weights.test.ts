import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ManagedWeight } from '../../../src/main/core/docker/weight-manifests';
import { declaredWeights, ManagedWeights } from '../../../src/main/core/library/managed-weights';

const weight = (c: string, target = `/w/${c}`): ManagedWeight => ({
  name: c,
  target,
  setDigest: null,
  manifestDigest: `sha256:${c.repeat(64)}`,
  layers: [],
  bytes: 0,
});
const plan = (...weights: ManagedWeight[]) => ({ ref: 'r/x:1', registry: 'r', repository: 'x', weights });

/** A weight as a finished fetch leaves it: its files and the ready marker. */
function place(store: ManagedWeights, w: ManagedWeight, bytes = 10): void {
  const dir = store.dirOf(w);
  mkdirSync(join(dir, '.cog'), { recursive: true });
  writeFileSync(join(dir, 'file.bin'), Buffer.alloc(bytes));
  writeFileSync(join(dir, '.cog', 'ready'), 'x');
}

describe('managed weights in the data folder', () => {
  const roots: string[] = [];
  const open = () => {
    const root = mkdtempSync(join(tmpdir(), 'cogdesk-mw-'));
    roots.push(root);
    return new ManagedWeights(root);
  };
  afterEach(() => roots.splice(0).forEach((r) => rmSync(r, { recursive: true, force: true })));

  it('a weight counts only with its ready marker', () => {
    const store = open();
    const a = weight('a');
    mkdirSync(store.dirOf(a), { recursive: true });
    writeFileSync(join(store.dirOf(a), 'half.bin'), 'x');
    expect(store.has(a)).toBe(false);
    expect(store.missing(plan(a))).toEqual([a]);
    place(store, a);
    expect(store.has(a)).toBe(true);
    expect(store.missing(plan(a))).toEqual([]);
  });

  it('forgetting a version frees only what no other version (or running pull) uses', async () => {
    const store = open();
    const [a, b, c] = [weight('a'), weight('b'), weight('c')];
    [a, b, c].forEach((w) => place(store, w, 100));
    await store.record('v1', plan(a, b));
    await store.record('v2', plan(b));
    // A pull of this process still fetching c (its pending record) keeps it.
    mkdirSync(join(store.root, 'versions'), { recursive: true });
    writeFileSync(join(store.root, 'versions', `pending-${process.pid}-1.json`), JSON.stringify({ versionId: `pending-${process.pid}-1`, weights: [c] }));
    expect(await store.forgetVersion('v1')).toBeGreaterThanOrEqual(100);
    expect(readdirSync(join(store.root, 'sha256')).sort()).toEqual([b, c].map((w) => w.manifestDigest.slice(7)));
    expect((await store.list()).map((u) => [u.versionId, u.name, u.present])).toEqual([['v2', 'b', true]]);
  });

  it('what a killed pull left (its pending record, its temporary folder) is swept', async () => {
    const store = open();
    const c = weight('c');
    place(store, c);
    const dead = 2 ** 22 + 12345; // above the kernel's pid_max default: never a live process
    mkdirSync(join(store.root, 'versions'), { recursive: true });
    writeFileSync(join(store.root, 'versions', `pending-${dead}-1.json`), JSON.stringify({ versionId: `pending-${dead}-1`, weights: [c] }));
    mkdirSync(join(store.root, 'tmp', `${dead}-abc`), { recursive: true });
    await store.collect();
    expect(readdirSync(join(store.root, 'sha256'))).toEqual([]);
    expect(readdirSync(join(store.root, 'versions'))).toEqual([]);
    expect(readdirSync(join(store.root, 'tmp'))).toEqual([]);
  });

  it('a version with no managed weights mounts nothing; one that needs them and has no record says to pull again', async () => {
    const store = open();
    expect(await store.mountsFor({ id: 'a'.repeat(64), imageRef: 'x/y:1', cogConfig: { build: {} } })).toEqual([]);
    await expect(store.mountsFor({ id: 'b'.repeat(64), imageRef: '127.0.0.1:1/y:1', cogConfig: { weights: [{ name: 'base', source: 'hf://x/y', target: '/src/weights' }] } })).rejects.toMatchObject({
      code: 'setup_failed',
      message: expect.stringMatching(/^127\.0\.0\.1:1\/y:1 needs its managed weights \(base\), which Cogdesk has not fetched, and they could not be fetched now: /),
      hint: 'Pull it again when its registry can be reached: cogdesk pull 127.0.0.1:1/y:1',
    });
  });

  it('mounts each recorded weight read-only at its target', async () => {
    const store = open();
    const a = weight('a', '/src/weights');
    place(store, a);
    await store.record('v1', plan(a));
    expect(await store.mountsFor({ id: 'v1', imageRef: 'x/y:1', cogConfig: null })).toEqual([{ source: store.dirOf(a), target: '/src/weights', readOnly: true }]);
  });
});

describe('declaredWeights', () => {
  it('reads the names of cog.yaml weights with a target; anything else is none', () => {
    expect(declaredWeights({ weights: [{ name: 'a', target: '/a' }, { target: '/b' }, { name: 'c' }, 'x'] })).toEqual(['a', '/b']);
    expect(declaredWeights({ weights: 'a' })).toEqual([]);
    expect(declaredWeights(null)).toEqual([]);
  });
});
