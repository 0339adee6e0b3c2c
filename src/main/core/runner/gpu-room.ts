/**
 * Room on the GPUs for a GPU model's cold start, asked by the engine just before the container starts:
 * the CUDA check against the driver, which GPU it gets (gpu-plan.ts decides), the idle warm models stopped
 * to make room (said on the waiting predictions: "Stopped fixtures/gpu to make room on GPU 0"), waiting
 * with the reason while busy ones hold the memory, or failing at once with the numbers. What each warm
 * model holds is measured from nvidia-smi's processes mapped to its container's (Docker's top), and kept
 * per version for its next start. Machines where nvidia-smi sees no GPU keep the old behaviour.
 */
import type Docker from 'dockerode';
import type { GpuLive, GpuUsage } from '../../../shared/hardware';
import { CogdeskError } from '../../../shared/errors';
import type { EventBus } from '../events';
import { containerPids } from '../docker/containers';
import { cudaTooNewError, driverCudaHere } from '../hardware/cuda-gate';
import { cudaMismatch } from '../hardware/cuda';
import { requirementFromCogConfig } from '../hardware/fit';
import { type GpuSelection } from '../hardware/gpu-request';
import { queryLiveGpus, type LiveGpus } from '../hardware/gpu-live';
import type { Store } from '../store';
import { planGpuStart, type PlanGpu, type PlanHolder } from './gpu-plan';
import type { WarmContainer } from './pool';

export interface GpuRoomDeps {
  store: Store;
  events: EventBus;
  pool: () => { list(): WarmContainer[]; discard(versionId: string, containerId: string): Promise<unknown> };
  docker: () => Promise<Docker>;
  /** How often a waiting start looks again (default 1 s). */
  pollMs?: number;
}

export interface GpuRoom {
  /** The GPUs for a version's cold start, room made; `fallback` where nvidia-smi sees no GPU. Throws when it can never fit or nobody waits for it any more. */
  place(versionId: string, fallback: GpuSelection): Promise<GpuSelection>;
  /** Per GPU: memory, load, heat, and what each warm model holds. */
  usage(): Promise<GpuUsage>;
  /**
   * This process's GPUs for a version's next cold starts, over the model's pin (`cogdesk run --gpus 0,1`):
   * nvidia-smi indices or uuids, `all` for every GPU; null drops it.
   */
  pinFor(versionId: string, gpus: string[] | null): void;
  /** What was stopped to make room for this version's start ("Stopped … to make room on GPU 0."), once: for the pool to put at the top of the first prediction's logs. */
  takeNote(versionId: string): string | undefined;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Each store's room (one engine per data folder): the hardware service asks it for the live use. */
const rooms = new WeakMap<Store, GpuRoom>();

/** The room of the engine over this store, when one was created. */
export function gpuRoomOf(store: Store): GpuRoom | undefined {
  return rooms.get(store);
}

export function createGpuRoom(d: GpuRoomDeps): GpuRoom {
  const room = makeRoom(d);
  rooms.set(d.store, room);
  return room;
}

function makeRoom(d: GpuRoomDeps): GpuRoom {
  /** Versions placed and not yet warm: what they will hold counts against their GPUs until they are. */
  const reserved = new Map<string, { gpus: string[]; needMiB: number | null }>();
  /** Where each version was placed (for measuring where nvidia-smi's pids are not the host's: WSL 2, Docker Desktop). */
  const placedOn = new Map<string, string[]>();
  /** What the last placement of each version stopped, until the pool takes it. */
  const notes = new Map<string, string>();
  /** Pins for this process only (`cogdesk run --gpus`), by version. */
  const overrides = new Map<string, string[]>();
  let lock: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = lock.then(fn, fn);
    lock = run.catch(() => undefined);
    return run;
  };

  /** What each warm container holds on each GPU: its processes in nvidia-smi's list, else its measured use where it was placed. */
  async function holders(live: LiveGpus): Promise<Array<PlanHolder & { warm: WarmContainer }>> {
    const warm = d.pool().list();
    const docker = await d.docker().catch(() => null);
    const out: Array<PlanHolder & { warm: WarmContainer }> = [];
    for (const c of warm) {
      reserved.delete(c.versionId);
      const pids = docker ? await containerPids(docker, c.containerId) : new Set<number>();
      const heldMiB: Record<string, number> = {};
      for (const p of live.processes) if (pids.has(p.pid) && p.memoryMiB) heldMiB[p.gpuUuid] = (heldMiB[p.gpuUuid] ?? 0) + p.memoryMiB;
      const seen = Object.entries(heldMiB);
      if (seen.length) {
        const [uuid, most] = seen.sort((a, b) => b[1] - a[1])[0]!;
        d.store.gpu.recordMemory(c.versionId, most, live.gpus.find((g) => g.uuid === uuid)?.name ?? null);
      } else {
        const measured = d.store.gpu.memory(c.versionId)?.usedMiB;
        for (const uuid of placedOn.get(c.versionId) ?? []) if (measured) heldMiB[uuid] = measured;
      }
      if (!Object.keys(heldMiB).length) continue;
      const label = d.store.library.getVersion(c.versionId)?.modelId ?? c.versionId.slice(0, 12);
      out.push({ versionId: c.versionId, label, containerId: c.containerId, heldMiB, busy: c.busy || c.queued > 0 || (c.running ?? 0) > 0, lastUsedAt: c.lastUsedAt ?? 0, warm: c });
    }
    return out;
  }

  /** Tells the predictions waiting for this version's start (their logs until the model's own arrive). */
  function tell(versionId: string, note: string): number {
    const version = d.store.library.getVersion(versionId);
    if (!version) return 0;
    const waiting = d.store.predictions.list({ modelId: version.modelId, status: 'starting', limit: 1000 }).filter((p) => p.versionId === versionId);
    for (const p of waiting) {
      const logs = p.logs.includes(note) ? p.logs : `${p.logs}${p.logs && !p.logs.endsWith('\n') ? '\n' : ''}[cogdesk] ${note}\n`;
      d.events.emit('prediction', d.store.predictions.update(p.id, { logs }));
    }
    return waiting.length;
  }

  async function placeOnce(versionId: string, live: LiveGpus): Promise<{ done: GpuSelection } | { wait: string }> {
    return exclusive(async () => {
      const settings = d.store.settings.get();
      const hold = await holders(live);
      const pinned = resolvePins(overrides.get(versionId) ?? d.store.gpu.pinsOfVersion(versionId), live);
      const allowed = settings.gpuDeviceIds.length ? new Set(settings.gpuDeviceIds) : null;
      const gpus: PlanGpu[] = live.gpus
        .filter((g) => pinned.length || !allowed || allowed.has(g.uuid))
        .map((g) => ({ index: g.index, uuid: g.uuid, name: g.name, totalMiB: g.memoryTotalMiB, freeMiB: g.memoryFreeMiB }));
      // Starts under way hold nothing yet: count what they will.
      for (const [other, r] of reserved) {
        if (other === versionId) continue;
        // A start that failed (nothing waits for it, and it is not warm) holds nothing.
        if (!stillWanted(other)) {
          reserved.delete(other);
          continue;
        }
        for (const g of gpus) if (r.gpus.includes(g.uuid) && g.freeMiB !== null && r.needMiB) g.freeMiB = Math.max(0, g.freeMiB - r.needMiB);
      }
      const needMiB = d.store.gpu.memory(versionId)?.usedMiB ?? null;
      const plan = planGpuStart({ gpus, holders: hold, needMiB, pinned: pinned.length ? pinned : null, capPerGpu: settings.maxWarmGpuModelsPerGpu ?? 0 });
      if (plan.kind === 'never') {
        const label = d.store.library.getVersion(versionId)?.modelId ?? versionId.slice(0, 12);
        throw new CogdeskError({ code: 'container_failed', message: `Not started: ${label} ${plan.reason}.`, hint: 'Pick a smaller model, or run it on a machine with a larger GPU.' });
      }
      if (plan.kind === 'wait') return { wait: plan.reason };
      const where = plan.gpus.map((g) => `GPU ${g.index}`).join(', ');
      const said: string[] = [];
      for (const h of plan.stop) {
        await d.pool().discard(h.versionId, h.containerId);
        placedOn.delete(h.versionId);
        said.push(`Stopped ${h.label} to make room on ${where}.`);
        tell(versionId, said[said.length - 1]!);
      }
      if (said.length) notes.set(versionId, said.join(' '));
      else notes.delete(versionId);
      const uuids = plan.gpus.map((g) => g.uuid);
      reserved.set(versionId, { gpus: uuids, needMiB });
      placedOn.set(versionId, uuids);
      return { done: { uuids } };
    });
  }

  return {
    async place(versionId, fallback) {
      const settings = d.store.settings.get();
      const version = d.store.library.getVersion(versionId);
      // build.cuda, else the image's CUDA_VERSION (NVIDIA's base images set it; Cog builds on them).
      const needs = requirementFromCogConfig(version?.cogConfig, version ? await imageEnv(d, version.imageId) : null).cuda;
      if (needs && !settings.allowCpuFallback) {
        // With the CPU allowed, the start's own refusal ("unsatisfied condition: cuda>=12.4") moves it there.
        const mismatch = cudaMismatch(needs, await driverCudaHere().catch(() => null));
        if (mismatch) throw cudaTooNewError(version?.modelId ?? versionId, mismatch, true);
      }
      let told = '';
      for (;;) {
        const live = await queryLiveGpus();
        if (!live.gpus.length) return fallback;
        const r = await placeOnce(versionId, live);
        if ('done' in r) return r.done;
        if (r.wait !== told) {
          told = r.wait;
          if (tell(versionId, r.wait) === 0) {
            throw new CogdeskError({ code: 'canceled', message: 'Not started: nothing waits for it any more', hint: r.wait });
          }
        } else if (!stillWanted(versionId)) {
          throw new CogdeskError({ code: 'canceled', message: 'Not started: nothing waits for it any more', hint: r.wait });
        }
        await sleep(d.pollMs ?? 1000);
      }
    },

    pinFor(versionId, gpus) {
      if (gpus?.length) overrides.set(versionId, gpus);
      else overrides.delete(versionId);
    },

    takeNote(versionId) {
      const note = notes.get(versionId);
      notes.delete(versionId);
      return note;
    },

    async usage() {
      const live = await queryLiveGpus();
      const hold = live.gpus.length ? await holders(live) : [];
      const gpus: GpuLive[] = live.gpus.map((g) => ({
        ...g,
        models: hold
          .filter((h) => (h.heldMiB[g.uuid] ?? 0) > 0)
          .map((h) => ({ versionId: h.versionId, modelId: d.store.library.getVersion(h.versionId)?.modelId ?? null, containerId: h.containerId, memoryMiB: h.heldMiB[g.uuid]!, busy: h.busy })),
      }));
      return { gpus, message: live.message, at: new Date().toISOString() };
    },
  };

  function stillWanted(versionId: string): boolean {
    const version = d.store.library.getVersion(versionId);
    return Boolean(version && d.store.predictions.list({ modelId: version.modelId, status: 'starting', limit: 1000 }).some((p) => p.versionId === versionId));
  }
}


/** Pins as uuids: nvidia-smi indices become their GPU's uuid (or its MIG instances'), `all` every GPU; unknown ones stay (the plan names them). */
function resolvePins(pins: string[], live: LiveGpus): string[] {
  if (pins.some((p) => p.toLowerCase() === 'all')) return live.gpus.map((g) => g.uuid);
  const out = pins.flatMap((p) => {
    if (!/^\d+$/.test(p)) return [p];
    const at = live.gpus.filter((g) => g.index === Number(p)).map((g) => g.uuid);
    return at.length ? at : [`GPU ${p}`];
  });
  return [...new Set(out)];
}

/** The environment of a local image (`CUDA_VERSION=12.1.1`, ...); null when it cannot be read. */
async function imageEnv(d: GpuRoomDeps, imageId: string): Promise<string[] | null> {
  try {
    const info = await (await d.docker()).getImage(imageId).inspect();
    return info.Config?.Env ?? null;
  } catch {
    return null;
  }
}
