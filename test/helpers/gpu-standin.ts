/**
 * The nvidia-smi stand-in a test controls (test/fixtures/nvidia-smi/state): a state file with the GPUs, the
 * driver and its CUDA version, the processes on the GPUs with the memory each holds, and MIG instances.
 * `use()` points the core at it (COGDESK_NVIDIA_SMI, COGDESK_NVIDIA_SMI_STATE); `restore()` undoes that.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const STATE_STANDIN = resolve(dirname(fileURLToPath(import.meta.url)), '../fixtures/nvidia-smi/state/nvidia-smi');

export interface StandinGpu {
  uuid: string;
  name: string;
  /** MiB, as nvidia-smi prints it. */
  memoryTotalMiB: number;
  /** What the display and the driver hold (MiB); the processes' memory comes on top. Default 0. */
  baseUsedMiB?: number;
  pciBusId?: string;
  computeCap?: string;
  utilization?: number;
  temperature?: number;
}

export interface StandinState {
  driver: string;
  /** The driver's highest CUDA version; default from its branch. */
  cuda?: string;
  gpus: StandinGpu[];
  /** Processes on the GPUs: host pid, the GPU's uuid, MiB held. */
  apps?: Array<{ pid: number; gpu: string; memoryMiB: number; name?: string }>;
  mig?: Array<{ parent: number; profile: string; uuid: string }>;
}

/** A real RTX 4090's answers (reference/hardware.md), at 24564 MiB. */
export const RTX4090 = (uuid = 'GPU-7bc87ffe-7fd5-477b-ad2f-30505eaa703a', pci = '00000000:01:00.0'): StandinGpu => ({
  uuid,
  name: 'NVIDIA GeForce RTX 4090',
  memoryTotalMiB: 24564,
  baseUsedMiB: 0,
  pciBusId: pci,
  computeCap: '8.9',
});

const q = (v: string | number) => `"${String(v).replace(/["\\$`]/g, '\\$&')}"`;
const arr = (name: string, values: Array<string | number>) => `${name}=(${values.map(q).join(' ')})`;

function render(s: StandinState): string {
  const apps = s.apps ?? [];
  const mig = s.mig ?? [];
  return [
    arr('GPU_UUID', s.gpus.map((g) => g.uuid)),
    arr('GPU_NAME', s.gpus.map((g) => g.name)),
    arr('GPU_MEM_TOTAL', s.gpus.map((g) => g.memoryTotalMiB)),
    arr('GPU_MEM_USED', s.gpus.map((g) => g.baseUsedMiB ?? 0)),
    arr('GPU_PCI', s.gpus.map((g, i) => g.pciBusId ?? `00000000:0${i + 1}:00.0`)),
    arr('GPU_CC', s.gpus.map((g) => g.computeCap ?? '8.9')),
    arr('GPU_UTIL', s.gpus.map((g) => g.utilization ?? 0)),
    arr('GPU_TEMP', s.gpus.map((g) => g.temperature ?? 35)),
    `DRIVER=${q(s.driver)}`,
    s.cuda ? `CUDA=${q(s.cuda)}` : 'CUDA=',
    arr('APP_PID', apps.map((a) => a.pid)),
    arr('APP_GPU', apps.map((a) => a.gpu)),
    arr('APP_MEM', apps.map((a) => a.memoryMiB)),
    arr('APP_NAME', apps.map((a) => a.name ?? 'python')),
    arr('MIG_PARENT', mig.map((m) => m.parent)),
    arr('MIG_PROFILE', mig.map((m) => m.profile)),
    arr('MIG_UUID', mig.map((m) => m.uuid)),
    '',
  ].join('\n');
}

export interface GpuStandin {
  stateFile: string;
  state: StandinState;
  /** Writes a new state (what the next nvidia-smi call answers). */
  set(state: StandinState): void;
  /** Changes the state: `update((s) => ({ ...s, apps: [...] }))`. */
  update(change: (s: StandinState) => StandinState): void;
  /** Points COGDESK_NVIDIA_SMI and COGDESK_NVIDIA_SMI_STATE at this stand-in. */
  use(): void;
  /** Puts both variables back as they were and removes the state file. */
  restore(): void;
}

export function gpuStandin(initial: StandinState): GpuStandin {
  const dir = mkdtempSync(join(tmpdir(), 'cogdesk-smi-'));
  const stateFile = join(dir, 'state.sh');
  const saved = { smi: process.env.COGDESK_NVIDIA_SMI, state: process.env.COGDESK_NVIDIA_SMI_STATE };
  const s: GpuStandin = {
    stateFile,
    state: initial,
    set(state) {
      s.state = state;
      writeFileSync(stateFile, render(state));
    },
    update(change) {
      s.set(change(s.state));
    },
    use() {
      process.env.COGDESK_NVIDIA_SMI = STATE_STANDIN;
      process.env.COGDESK_NVIDIA_SMI_STATE = stateFile;
    },
    restore() {
      for (const [k, v] of [['COGDESK_NVIDIA_SMI', saved.smi], ['COGDESK_NVIDIA_SMI_STATE', saved.state]] as const) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  s.set(initial);
  return s;
}
