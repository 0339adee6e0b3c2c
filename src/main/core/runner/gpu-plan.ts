/**
 * Where a GPU model's cold start goes, and what must make room for it: a pure decision over the GPUs as
 * they are now, the warm models on them (what each holds, whether it is running a prediction, when it was
 * last used), and what the model needs (measured at an earlier start; unknown before its first).
 *
 * - A model pinned to GPUs gets exactly those (all of them together); otherwise one GPU: among those where
 *   it fits as things are, the one with the most free memory.
 * - Where it fits nowhere as things are, idle warm models are stopped, least recently used first, on the
 *   GPU that needs the fewest stopped; a model running a prediction is never stopped.
 * - A model that needs more than a GPU has at all fails at once, with the numbers; one that would fit once
 *   busy models finish waits, with who holds the memory.
 * - A cap of warm GPU models per GPU (0: none) counts like memory: reaching it stops the least recently used idle one.
 */
import { formatGB } from '../hardware/match';

export interface PlanGpu {
  index: number;
  uuid: string;
  name: string;
  totalMiB: number | null;
  freeMiB: number | null;
}

export interface PlanHolder {
  versionId: string;
  /** `owner/name`, for messages. */
  label: string;
  containerId: string;
  /** MiB held on each GPU (by uuid). */
  heldMiB: Record<string, number>;
  /** Running (or about to run) a prediction: never stopped. */
  busy: boolean;
  lastUsedAt: number;
}

export interface PlanInput {
  gpus: PlanGpu[];
  holders: PlanHolder[];
  /** MiB the model needs on each GPU it gets; null before its first start. */
  needMiB: number | null;
  /** The GPUs it is pinned to (uuids), or null for any one. */
  pinned: string[] | null;
  /** Warm GPU models per GPU at most; 0 for no cap. */
  capPerGpu: number;
  /** Memory kept free besides the need (the CUDA context, fragments), MiB. */
  marginMiB?: number;
}

export type Plan =
  | { kind: 'start'; gpus: PlanGpu[]; stop: PlanHolder[] }
  | { kind: 'wait'; reason: string }
  /** `reason` follows the model's name: "needs 29 GB of GPU memory …". */
  | { kind: 'never'; reason: string };

const DEFAULT_MARGIN_MIB = 256;

export function planGpuStart(input: PlanInput): Plan {
  const margin = input.marginMiB ?? DEFAULT_MARGIN_MIB;
  const need = input.needMiB === null ? null : input.needMiB + margin;
  const byUuid = new Map(input.gpus.map((g) => [g.uuid, g]));

  if (input.pinned) {
    const missing = input.pinned.filter((u) => !byUuid.has(u));
    if (missing.length) {
      return { kind: 'never', reason: `is pinned to ${missing.join(', ')}, which this machine does not have (its GPUs: ${input.gpus.map(describe).join(', ') || 'none'}): change the model's GPUs` };
    }
    const set = input.pinned.map((u) => byUuid.get(u)!);
    const tooSmall = need === null ? undefined : set.find((g) => g.totalMiB !== null && need > g.totalMiB);
    if (tooSmall) return { kind: 'never', reason: tooBig(input.needMiB!, [tooSmall]) };
    const stop = makeRoom(set, input, need);
    return stop ? { kind: 'start', gpus: set, stop } : { kind: 'wait', reason: waitReason(set, input, need) };
  }

  if (input.gpus.length === 0) return { kind: 'never', reason: 'needs a GPU, and none of the GPUs it may use is here (Settings: GPUs)' };
  const possible = need === null ? input.gpus : input.gpus.filter((g) => g.totalMiB === null || need <= g.totalMiB);
  if (possible.length === 0) return { kind: 'never', reason: tooBig(input.needMiB!, input.gpus) };

  // Fits as things are: the GPU with the most free memory.
  const fitsNow = possible.filter((g) => fits(g, need, new Set()) && underCap(g, input, new Set()));
  if (fitsNow.length) {
    const best = [...fitsNow].sort((a, b) => (b.freeMiB ?? -1) - (a.freeMiB ?? -1) || a.index - b.index)[0]!;
    return { kind: 'start', gpus: [best], stop: [] };
  }
  // Else where the fewest idle models must stop (then the most memory is left).
  let best: { gpu: PlanGpu; stop: PlanHolder[]; left: number } | null = null;
  for (const g of possible) {
    const stop = makeRoom([g], input, need);
    if (!stop) continue;
    const left = (g.freeMiB ?? 0) + stop.reduce((s, h) => s + (h.heldMiB[g.uuid] ?? 0), 0);
    if (!best || stop.length < best.stop.length || (stop.length === best.stop.length && left > best.left)) best = { gpu: g, stop, left };
  }
  if (best) return { kind: 'start', gpus: [best.gpu], stop: best.stop };
  return { kind: 'wait', reason: waitReason(possible, input, need) };
}

function holdersOn(g: PlanGpu, input: PlanInput): PlanHolder[] {
  return input.holders.filter((h) => (h.heldMiB[g.uuid] ?? 0) > 0);
}

function fits(g: PlanGpu, need: number | null, stopped: Set<PlanHolder>): boolean {
  if (need === null || g.freeMiB === null) return true;
  const freed = [...stopped].reduce((s, h) => s + (h.heldMiB[g.uuid] ?? 0), 0);
  return g.freeMiB + freed >= need;
}

function underCap(g: PlanGpu, input: PlanInput, stopped: Set<PlanHolder>): boolean {
  return input.capPerGpu <= 0 || holdersOn(g, input).filter((h) => !stopped.has(h)).length < input.capPerGpu;
}

/** The idle models to stop (least recently used first) so that it fits on every GPU of `set`; null when stopping every idle one is not enough. */
function makeRoom(set: PlanGpu[], input: PlanInput, need: number | null): PlanHolder[] | null {
  const stopped = new Set<PlanHolder>();
  const ok = () => set.every((g) => fits(g, need, stopped) && underCap(g, input, stopped));
  const idle = input.holders.filter((h) => !h.busy && set.some((g) => (h.heldMiB[g.uuid] ?? 0) > 0)).sort((a, b) => a.lastUsedAt - b.lastUsedAt);
  for (const h of idle) {
    if (ok()) break;
    stopped.add(h);
  }
  if (!ok()) return null;
  // Keep the ones that turned out not to be needed (a later, bigger one made the room alone).
  for (const h of [...stopped]) {
    stopped.delete(h);
    if (!ok()) stopped.add(h);
  }
  return [...stopped];
}

function waitReason(set: PlanGpu[], input: PlanInput, need: number | null): string {
  const busy = input.holders.filter((h) => h.busy && set.some((g) => (h.heldMiB[g.uuid] ?? 0) > 0));
  const who = busy.map((h) => `${h.label} (${formatGB(Object.values(h.heldMiB).reduce((s, v) => s + v, 0))})`).join(', ');
  const where = set.map(describe).join(', ');
  const capped = input.capPerGpu > 0 && set.every((g) => !underCap(g, input, new Set()));
  const what = need === null || capped ? (capped ? `the most warm GPU models per GPU (${input.capPerGpu}) are running` : 'no GPU is free') : `it needs ${formatGB(input.needMiB!)} of GPU memory`;
  return `Waiting for room on ${where}: ${what}${who ? `, and ${who} ${busy.length > 1 ? 'are' : 'is'} running a prediction` : ''}. It starts when ${busy.length > 1 ? 'they finish' : busy.length ? 'that finishes' : 'memory frees up'}.`;
}

function tooBig(needMiB: number, gpus: PlanGpu[]): string {
  const largest = [...gpus].sort((a, b) => (b.totalMiB ?? 0) - (a.totalMiB ?? 0))[0];
  const has = largest ? `the largest GPU here, GPU ${largest.index} (${largest.name}), has ${largest.totalMiB === null ? 'an unknown amount' : formatGB(largest.totalMiB)}` : 'there is no GPU here';
  return `needs ${formatGB(needMiB)} of GPU memory (measured when it last ran); ${has}: it cannot run on this machine's GPUs`;
}

function describe(g: PlanGpu): string {
  return `GPU ${g.index}${g.uuid.startsWith('MIG-') ? ` (${g.name})` : ''}`;
}
