/** `cogdesk models --json`: each version says which Cog server it runs, through the built CLI and real fixture images. */
import { execFileSync, spawnSync } from 'node:child_process';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { assertBuilt, fixtureRef, runCli, tempDirs } from './run-cli';

let home: string;
let cleanup: () => void;

beforeAll(() => {
  assertBuilt();
  for (const name of ['echo', 'coglet-echo']) {
    const ref = fixtureRef(name);
    if (spawnSync('docker', ['image', 'inspect', ref]).status !== 0) execFileSync('docker', ['pull', ref], { timeout: 120_000 });
  }
}, 300_000);
beforeEach(() => {
  ({ dirs: [home], cleanup } = tempDirs('cogdesk-models-json-'));
});
afterEach(() => cleanup());

describe('cogdesk models --json', { timeout: 120_000 }, () => {
  it('each version has the Cog server its image runs', async () => {
    for (const name of ['echo', 'coglet-echo']) expect((await runCli(['pull', fixtureRef(name)], { home })).code).toBe(0);
    const r = await runCli(['models', '--json'], { home });
    expect(r.code, r.stderr).toBe(0);
    const models = JSON.parse(r.stdout.toString()) as Array<{ versions: Array<{ imageRef: string; server: string | null }> }>;
    const serverOf = (name: string) => models.flatMap((m) => m.versions).find((v) => v.imageRef.includes(`/fixtures/${name}`))?.server;
    expect(serverOf('echo')).toBe('python');
    expect(serverOf('coglet-echo')).toBe('coglet');
  });
});
