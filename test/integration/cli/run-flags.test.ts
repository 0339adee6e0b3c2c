/**
 * `cogdesk run --concurrency N` and `--gpus LIST` reach the core, through the built CLI against the real
 * fixture images (the GPUs are the nvidia-smi stand-in's; this engine has none).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { homePaths } from '../../../src/main/core/paths';
import { openStore } from '../../../src/main/core/store';
import { gpuStandin, RTX4090, type GpuStandin } from '../../helpers/gpu-standin';
import { assertBuilt, fixtureRef, runCli, tempDirs } from './run-cli';

let home: string;
let cleanup: () => void;
let smi: GpuStandin;

beforeAll(() => {
  assertBuilt();
  for (const name of ['echo', 'gpu']) {
    const ref = fixtureRef(name);
    if (spawnSync('docker', ['image', 'inspect', ref]).status !== 0) execFileSync('docker', ['pull', ref], { timeout: 120_000 });
  }
  smi = gpuStandin({ driver: '550.54.15', gpus: [RTX4090('GPU-7bc87ffe-7fd5-477b-ad2f-30505eaa703a', '00000000:01:00.0')] });
}, 300_000);
afterAll(() => smi.restore());
beforeEach(() => {
  ({ dirs: [home], cleanup } = tempDirs('cogdesk-flags-home-'));
});
afterEach(() => cleanup());

function env(): Record<string, string> {
  return { COGDESK_NVIDIA_SMI: process.env.COGDESK_NVIDIA_SMI ?? '', COGDESK_NVIDIA_SMI_STATE: smi.stateFile };
}

describe('cogdesk run flags', { timeout: 180_000 }, () => {
  it('--concurrency N is saved as the model setting before it runs', async () => {
    smi.use();
    const r = await runCli(['run', fixtureRef('echo'), '-i', 'text=a', '--concurrency', '3', '--json'], { home, env: env() });
    expect(r.stderr).not.toContain('unknown option');
    expect(r.code, r.stderr).toBe(0);
    const p = JSON.parse(r.stdout.toString()) as { version: string; status: string };
    expect(p.status).toBe('succeeded');
    const store = openStore(homePaths(home).database);
    try {
      expect(store.modelSettings.concurrencyOfVersion(p.version)).toBe(3);
    } finally {
      store.close();
    }
  });

  it('--concurrency that is not a whole number from 1 to 256 is refused before anything runs', async () => {
    const r = await runCli(['run', fixtureRef('echo'), '-i', 'text=a', '--concurrency', '0'], { home, env: env() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--concurrency must be a whole number from 1 to 256, got "0".');
  });

  it('--gpus LIST pins the cold start to those GPUs: a GPU that is not here fails the start, saying so', async () => {
    smi.use();
    const r = await runCli(['run', fixtureRef('gpu'), '-i', 'text=a', '--gpus', '5', '--json'], { home, env: env() });
    expect(r.stderr).not.toContain('unknown option');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Not started: \S+ is pinned to GPU 5, which this machine does not have \(its GPUs: GPU 0\)/);
  });
});
