/**
 * `cogdesk hardware [--json] [--probe IMAGE]`, run in-process on a fresh commander program (the command is
 * registered by registerHardwareCommands), against the real Docker engine and the nvidia-smi stand-ins.
 * Once the lead wires it into src/main/cli/index.ts, test/integration/cli/cli.test.ts can run the built
 * `node bin/cogdesk.js hardware --json` as well.
 */
import { Command } from 'commander';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CliHardware as HardwareOverview } from '../../../src/main/cli/json-hardware';
import { camelCaseKeys } from '../../helpers/json-keys';
import { registerHardwareCommands } from '../../../src/main/cli/hardware';
import { TOOLKIT_INSTALL_URL, TOOLKIT_MISSING } from '../../../src/main/core/hardware/gpu-request';
import { homePaths } from '../../../src/main/core/paths';
import { openStore } from '../../../src/main/core/store';
import { fixtureImage } from '../../helpers/fixtures';

const STANDINS = resolve(dirname(fileURLToPath(import.meta.url)), '../../fixtures/nvidia-smi');
const smi = (scenario: string) => join(STANDINS, scenario, 'nvidia-smi');

const saved = { home: process.env.COGDESK_HOME, smi: process.env.COGDESK_NVIDIA_SMI };
let home = '';

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'cogdesk-hw-'));
  process.env.COGDESK_HOME = home;
  delete process.env.COGDESK_NVIDIA_SMI;
});

afterEach(() => {
  vi.restoreAllMocks();
  if (saved.home === undefined) delete process.env.COGDESK_HOME;
  else process.env.COGDESK_HOME = saved.home;
  if (saved.smi === undefined) delete process.env.COGDESK_NVIDIA_SMI;
  else process.env.COGDESK_NVIDIA_SMI = saved.smi;
  rmSync(home, { recursive: true, force: true });
});

/** Runs `cogdesk <args>` with only the hardware command registered; returns what it printed on stdout. */
async function run(...args: string[]): Promise<string> {
  const program = new Command().name('cogdesk').exitOverride();
  registerHardwareCommands(program);
  let out = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  });
  try {
    await program.parseAsync(args, { from: 'user' });
  } finally {
    vi.restoreAllMocks();
  }
  return out;
}

describe('cogdesk hardware', () => {
  it('--json: the GPUs, the matching SKU, Docker GPU support and what is missing', async () => {
    process.env.COGDESK_NVIDIA_SMI = smi('h100');
    const v = JSON.parse(await run('hardware', '--json')) as HardwareOverview;
    expect(v.hardware.gpus).toEqual([expect.objectContaining({ name: 'NVIDIA H100 80GB HBM3', memory_total_mib: 81559, compute_capability: '9.0', uuid: 'GPU-8c9f276c-4397-4c9a-9807-a0e7dd9608fb' })]);
    expect(v.hardware.cpu_only).toBe(false);
    expect(v.hardware.nvidia_smi).toMatchObject({ status: 'ok', compute_cap_note: null });
    expect(v.hardware.detected_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(v.match).toMatchObject({ kind: 'exact', sku: 'gpu-h100', groups: [expect.objectContaining({ count: 1, memory_mib: 81559 })] });
    expect(v.docker).toMatchObject({ reachable: true, nvidia_runtime: false, cdi_spec_dirs: expect.any(Array), docker_desktop: false, gpus: 'no', missing: TOOLKIT_MISSING });
    // snake_case all through, as every --json of the CLI.
    expect(camelCaseKeys(v)).toEqual([]);
    expect(v.missing).toEqual([{ what: 'Docker GPU support', message: TOOLKIT_MISSING, hint: expect.stringContaining(TOOLKIT_INSTALL_URL) }]);
  });

  it('without --json: a report a person reads', async () => {
    process.env.COGDESK_NVIDIA_SMI = smi('t4-old-driver');
    const text = await run('hardware');
    expect(text).toContain('GPUs (');
    expect(text).toMatch(/0\s+Tesla T4\s+15 GB/);
    expect(text).toContain("Replicate hardware: 1 × Tesla T4 (15 GB): matches Replicate's gpu-t4.");
    expect(text).toContain('Compute capability unknown: this driver cannot report compute capability');
    expect(text).toContain('GPUs in containers: no (NVIDIA Container Toolkit missing)');
    expect(text).toContain('Missing:\n  - Docker GPU support: NVIDIA Container Toolkit missing');
    expect(text).toContain(TOOLKIT_INSTALL_URL);
  });

  it('on this machine: no GPU, and why', async () => {
    const text = await run('hardware');
    expect(text).toContain('GPUs: none. nvidia-smi was not found');
    expect(text).toContain('Models run on the CPU here.');
    expect(text).toContain("Replicate hardware: No NVIDIA GPU: this machine runs models on the CPU, like Replicate's cpu.");
    expect(text).toMatch(/ {2}- NVIDIA driver: nvidia-smi was not found/);
    expect(text).toMatch(/ {2}- Docker GPU support: NVIDIA Container Toolkit missing/);
  });

  it('mixed GPUs are described, not matched', async () => {
    process.env.COGDESK_NVIDIA_SMI = smi('mixed');
    const v = JSON.parse(await run('hardware', '--json')) as HardwareOverview;
    expect(v.match.kind).toBe('mixed');
    expect(v.match.sentence).toContain('No Replicate SKU mixes GPU kinds');
  });

  it('--probe IMAGE: proves it with a container, and the refusal is what is missing', async () => {
    process.env.COGDESK_NVIDIA_SMI = smi('l40s-2x');
    const v = JSON.parse(await run('hardware', '--json', '--probe', fixtureImage('echo'))) as HardwareOverview;
    expect(v.docker.probe).toMatchObject({ ok: false, conclusive: true, error: { details: 'could not select device driver "nvidia" with capabilities: [[gpu]]' } });
    expect(camelCaseKeys(v)).toEqual([]);
    expect(v.missing).toEqual([expect.objectContaining({ what: 'Docker GPU support', message: `Docker cannot give containers a GPU: ${TOOLKIT_MISSING}` })]);
  });

  it("uses the library's Docker host setting when there is a library", async () => {
    const store = openStore(homePaths(home).database);
    try {
      store.settings.update({ dockerHost: 'unix:///nonexistent/cogdesk-setting.sock' });
    } finally {
      store.close();
    }
    const v = JSON.parse(await run('hardware', '--json')) as HardwareOverview;
    expect(v.docker.reachable).toBe(false);
    expect(v.docker.error?.message).toContain('/nonexistent/cogdesk-setting.sock');
  });

  it('honours DOCKER_HOST: an engine that is not there is what is missing', async () => {
    const before = process.env.DOCKER_HOST;
    process.env.DOCKER_HOST = 'unix:///nonexistent/docker.sock';
    try {
      const v = JSON.parse(await run('hardware', '--json')) as HardwareOverview;
      expect(v.docker.reachable).toBe(false);
      expect(v.missing.map((m) => m.what)).toEqual(['NVIDIA driver', 'Docker']);
    } finally {
      if (before === undefined) delete process.env.DOCKER_HOST;
      else process.env.DOCKER_HOST = before;
    }
  });
});
