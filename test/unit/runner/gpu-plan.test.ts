/** Where a GPU model's cold start goes and what makes room for it: the pure decision (gpu-plan.ts). */
import { describe, expect, it } from 'vitest';
import { planGpuStart, type PlanGpu, type PlanHolder } from '../../../src/main/core/runner/gpu-plan';

const gpu = (index: number, freeMiB: number, totalMiB = 24564): PlanGpu => ({ index, uuid: `GPU-${index}`, name: 'NVIDIA GeForce RTX 4090', totalMiB, freeMiB });
const holder = (label: string, on: number, mib: number, o: Partial<PlanHolder> = {}): PlanHolder => ({
  versionId: label,
  label,
  containerId: `c-${label}`,
  heldMiB: { [`GPU-${on}`]: mib },
  busy: false,
  lastUsedAt: 0,
  ...o,
});

describe('planGpuStart', () => {
  it('one GPU: the one with the most free memory where it fits', () => {
    const plan = planGpuStart({ gpus: [gpu(0, 8000), gpu(1, 20000)], holders: [], needMiB: 6000, pinned: null, capPerGpu: 0 });
    expect(plan).toMatchObject({ kind: 'start', gpus: [{ index: 1 }], stop: [] });
    // Before its first start the need is unknown: the most free.
    expect(planGpuStart({ gpus: [gpu(0, 23000), gpu(1, 20000)], holders: [], needMiB: null, pinned: null, capPerGpu: 0 })).toMatchObject({ gpus: [{ index: 0 }] });
  });

  it('stops the least recently used idle model, only as many as needed, never a busy one', () => {
    const holders = [holder('a', 0, 10000, { lastUsedAt: 2 }), holder('b', 0, 10000, { lastUsedAt: 1 }), holder('busy', 0, 3000, { busy: true, lastUsedAt: 0 })];
    const plan = planGpuStart({ gpus: [gpu(0, 1500)], holders, needMiB: 8000, pinned: null, capPerGpu: 0 });
    expect(plan.kind).toBe('start');
    if (plan.kind === 'start') expect(plan.stop.map((h) => h.label)).toEqual(['b']);
  });

  it('waits, naming who holds the memory, when only busy models could make room', () => {
    const plan = planGpuStart({ gpus: [gpu(0, 4000)], holders: [holder('heldout/sdxl', 0, 20480, { busy: true })], needMiB: 8192, pinned: null, capPerGpu: 0 });
    expect(plan).toEqual({ kind: 'wait', reason: 'Waiting for room on GPU 0: it needs 8 GB of GPU memory, and heldout/sdxl (20 GB) is running a prediction. It starts when that finishes.' });
  });

  it('fails at once with the numbers when it needs more than any GPU has', () => {
    const plan = planGpuStart({ gpus: [gpu(0, 24000), gpu(1, 24000, 12288)], holders: [], needMiB: 30000, pinned: null, capPerGpu: 0 });
    expect(plan).toEqual({
      kind: 'never',
      reason: "needs 29 GB of GPU memory (measured when it last ran); the largest GPU here, GPU 0 (NVIDIA GeForce RTX 4090), has 24 GB: it cannot run on this machine's GPUs",
    });
  });

  it('pinned: exactly those GPUs, together, room made on each', () => {
    const holders = [holder('x', 1, 20000)];
    const plan = planGpuStart({ gpus: [gpu(0, 24000), gpu(1, 4000)], holders, needMiB: 8000, pinned: ['GPU-0', 'GPU-1'], capPerGpu: 0 });
    expect(plan).toMatchObject({ kind: 'start', gpus: [{ index: 0 }, { index: 1 }], stop: [{ label: 'x' }] });
    expect(planGpuStart({ gpus: [gpu(0, 24000)], holders: [], needMiB: 1, pinned: ['GPU-7'], capPerGpu: 0 }).kind).toBe('never');
  });

  it('the cap of warm models per GPU stops the least recently used idle one, or picks another GPU', () => {
    const holders = [holder('a', 0, 1000, { lastUsedAt: 5 }), holder('b', 0, 1000, { lastUsedAt: 3 })];
    expect(planGpuStart({ gpus: [gpu(0, 20000)], holders, needMiB: 1000, pinned: null, capPerGpu: 2 })).toMatchObject({ kind: 'start', stop: [{ label: 'b' }] });
    expect(planGpuStart({ gpus: [gpu(0, 20000), gpu(1, 10000)], holders, needMiB: 1000, pinned: null, capPerGpu: 2 })).toMatchObject({ kind: 'start', gpus: [{ index: 1 }], stop: [] });
  });

  it('MIG instances are GPUs of their own', () => {
    const mig = (i: number, free: number): PlanGpu => ({ index: 0, uuid: `MIG-${i}`, name: 'NVIDIA A100-SXM4-40GB MIG 3g.20gb', totalMiB: 20480, freeMiB: free });
    expect(planGpuStart({ gpus: [mig(0, 2000), mig(1, 20000)], holders: [], needMiB: 8000, pinned: null, capPerGpu: 0 })).toMatchObject({ kind: 'start', gpus: [{ uuid: 'MIG-1' }] });
  });
});
