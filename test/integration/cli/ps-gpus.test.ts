/**
 * `cogdesk ps` shows the GPUs (the nvidia-smi stand-in, controlled by a state file) under the containers
 * table: per GPU its memory, utilization and temperature, and what the warm container of a real `cogdesk
 * serve` holds there (the stand-in lists the container's real host pid, from Docker's top). Without an
 * nvidia-smi that answers, ps says nothing about GPUs.
 */
import { spawnSync } from 'node:child_process';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CliVersion } from '../../../src/main/cli/json-library';
import { gpuStandin, RTX4090, STATE_STANDIN, type GpuStandin } from '../../helpers/gpu-standin';
import { assertBuilt, fixtureRef, runCli, tempDirs, type CliRun } from './run-cli';
import { apiPredict, startServe, type ServeProcess } from './serve-process';

const GPU0 = { ...RTX4090('GPU-7bc87ffe-7fd5-477b-ad2f-30505eaa703a', '00000000:01:00.0'), utilization: 87, temperature: 64, baseUsedMiB: 512 };
const GPU1 = { ...RTX4090('GPU-5bc514cc-7ea0-48bd-8870-1c8827d3aca4', '00000000:02:00.0'), utilization: 3, temperature: 41 };

const TWO_GPUS = { driver: '550.54.15', gpus: [GPU0, GPU1] };
let home: string;
let cleanup: () => void;
let serve: ServeProcess | null = null;
let smi: GpuStandin;

beforeAll(() => {
  assertBuilt();
  smi = gpuStandin(TWO_GPUS);
});
afterAll(() => smi.restore());
beforeEach(() => {
  ({ dirs: [home], cleanup } = tempDirs('cogdesk-cli-ps-gpus-'));
});
afterEach(async () => {
  await serve?.stop();
  serve = null;
  smi.set(TWO_GPUS);
  cleanup();
});

const withSmi = { COGDESK_NVIDIA_SMI: STATE_STANDIN, get COGDESK_NVIDIA_SMI_STATE() { return smi.stateFile; } };
async function ok(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  const r = await runCli(args, { home, env });
  expect(r.code, `cogdesk ${args.join(' ')}\nstdout: ${r.stdout.toString()}\nstderr: ${r.stderr}`).toBe(0);
  return r;
}
const out = (r: CliRun) => r.stdout.toString();

/** The host pid of a container's first process, as Docker's top gives it. */
function pidOf(containerId: string): number {
  const r = spawnSync('docker', ['top', containerId, '-o', 'pid'], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return Number(r.stdout.trim().split('\n')[1]!.trim());
}

describe('cogdesk ps and the GPUs', { timeout: 180_000 }, () => {
  it('prints a line per GPU (memory, utilization, temperature) and under it what each warm model holds; --json has gpus per container', async () => {
    const env = { ...withSmi };
    const version = JSON.parse(out(await ok(['pull', fixtureRef('echo'), '--json']))) as CliVersion;
    serve = await startServe(home);
    expect((await apiPredict(serve, version.id, { text: 'hi' })).status).toBe('succeeded');
    const [warm] = JSON.parse(out(await ok(['ps', '--json'], env))) as Array<{ container_id: string }>;
    smi.update((s) => ({ ...s, apps: [{ pid: pidOf(warm!.container_id), gpu: GPU0.uuid, memoryMiB: 20480 }] }));

    const table = out(await ok(['ps'], env));
    expect(table).toMatch(/^CONTAINER\s+MODEL/);
    const gpuPart = table.slice(table.indexOf('\n\nGPU 0') + 2);
    expect(gpuPart.split('\n').filter(Boolean)).toEqual([
      'GPU 0  NVIDIA GeForce RTX 4090  20.5 GiB / 24.0 GiB used  87% utilization  64 °C',
      `  ${version.model} (${warm!.container_id.slice(0, 12)})  20.0 GiB`,
      'GPU 1  NVIDIA GeForce RTX 4090  0 MiB / 24.0 GiB used  3% utilization  41 °C',
    ]);

    const rows = JSON.parse(out(await ok(['ps', '--json'], env))) as Array<{ container_id: string; gpus: unknown[] }>;
    expect(rows).toHaveLength(1);
    expect(rows[0]!.gpus).toEqual([
      {
        index: 0,
        uuid: GPU0.uuid,
        name: 'NVIDIA GeForce RTX 4090',
        held_mib: 20480,
        memory_used_mib: 20992,
        memory_total_mib: 24564,
        utilization_percent: 87,
        temperature_c: 64,
      },
    ]);
  });

  it('says nothing about GPUs where nvidia-smi does not answer; with no warm model the GPUs still show', async () => {
    const absent = { COGDESK_NVIDIA_SMI: `${home}/no-such/nvidia-smi` };
    expect(out(await ok(['ps'], absent))).toBe('No warm models. A model stays warm while the app or `cogdesk serve` runs it.\n');
    expect(JSON.parse(out(await ok(['ps', '--json'], absent)))).toEqual([]);
    expect(out(await ok(['ps'], { ...withSmi }))).toMatch(/^No warm models\..*\n\nGPU 0  NVIDIA GeForce RTX 4090  .*\nGPU 1  NVIDIA GeForce RTX 4090  .*\n$/);
  });
});
