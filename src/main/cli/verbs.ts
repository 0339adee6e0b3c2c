/**
 * The verbs people reach for from docker and ollama: `cogdesk ps` (the warm containers of this data
 * folder, and per GPU what they hold: ps-gpus.ts), `cogdesk stop [MODEL]` and `cogdesk rm MODEL[:VERSION]`
 * (with the disk it frees).
 */
import type { Command } from 'commander';
import { formatBytes } from '../../shared/format';
import type { StoppedContainer, WarmContainerStatus } from '../../shared/warm';
import type { Core } from '../core';
import { findRunningServer, type RunningServer } from '../core/api-server/server-record';
import { versionsNamed } from '../core/library/resolve-name';
import { print, printJson, withCore } from './context';
import { localTime } from './format';
import { callServer } from './server-api';

function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ')).join('\n');
}

/** What it does now, as only the Cogdesk running it can say ("-" when asked of another process). */
function stateOf(c: WarmContainerStatus): string {
  if (c.status === 'stopped') return c.status;
  if (c.state === 'busy') return `busy: ${c.running} running${c.queued ? `, ${c.queued} queued` : ''}`;
  if (c.state === 'idle') return c.idle_until ? `idle, stops at ${localTime(c.idle_until).slice(-8)}` : 'idle';
  if (c.state === 'starting') return 'starting (setup runs)';
  return c.status;
}

export function formatWarm(list: WarmContainerStatus[]): string {
  if (list.length === 0) return 'No warm models. A model stays warm while the app or `cogdesk serve` runs it.';
  return table([
    ['CONTAINER', 'MODEL', 'VERSION', 'STATE', 'SINCE (LOCAL TIME)', 'MEMORY', 'STARTED BY'],
    ...list.map((c) => [
      c.container_id.slice(0, 12),
      c.model,
      c.version.slice(0, 12),
      stateOf(c),
      localTime(c.started_at),
      c.memory_bytes === null ? '-' : formatBytes(c.memory_bytes),
      `pid ${c.owner_pid}${c.owner_alive ? '' : ' (gone)'}`,
    ]),
  ]);
}

/** The warm containers: as the running Cogdesk sees them (it knows their state), else as Docker and this process do. */
async function listWarm(core: Core, server: RunningServer | null): Promise<WarmContainerStatus[]> {
  return server ? callServer<WarmContainerStatus[]>(server, 'GET', '/cogdesk/containers') : core.listWarm();
}

/** Stops them (a model's only, when named) in the running Cogdesk, which cancels what runs there; else here. */
export async function stopWarm(core: Core, server: RunningServer | null, model?: string): Promise<StoppedContainer[]> {
  if (server) return callServer<StoppedContainer[]>(server, 'POST', '/cogdesk/containers/stop', model === undefined ? {} : { model });
  return core.stopWarm(model === undefined ? undefined : versionsNamed(core.store.library, model).map((v) => v.id));
}

export function registerVerbs(program: Command): void {
  program
    .command('ps')
    .description('the warm containers of this data folder: what they run, since when, their memory; per NVIDIA GPU its use and what each holds')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      await withCore('passive', async (core) => {
        const list = await listWarm(core, await findRunningServer(core.paths.home));
        const { gpuUse, gpusOf, formatGpuUse } = await import('./ps-gpus');
        const use = await gpuUse(() => core.docker(), list.filter((c) => c.status === 'running').map((c) => c.container_id));
        if (o.json) return printJson(list.map((c) => ({ ...c, gpus: gpusOf(use, c.container_id) })));
        const gpus = formatGpuUse(use, (id) => list.find((c) => c.container_id === id)?.model ?? id.slice(0, 12));
        print(gpus ? `${formatWarm(list)}\n\n${gpus}` : formatWarm(list));
      });
    });

  program
    .command('stop')
    .description("stop the warm containers of this data folder (a model's only, when named)")
    .argument('[model]', 'a model name, version id or image')
    .option('--json', 'print JSON')
    .action(async (model: string | undefined, o: { json?: boolean }) => {
      await withCore('passive', async (core) => {
        const stopped = await stopWarm(core, await findRunningServer(core.paths.home), model);
        if (o.json) return printJson(stopped);
        const canceled = (c: StoppedContainer) => (c.canceled_predictions.length ? `; canceled ${c.canceled_predictions.join(', ')}, which ran on it` : '');
        print(stopped.length ? stopped.map((c) => `Stopped ${c.model} (${c.container_id.slice(0, 12)})${canceled(c)}`).join('\n') : `Nothing warm${model ? ` for ${model}` : ''}.`);
      });
    });

  program
    .command('rm')
    .description('remove a model (every version) or one version (MODEL:VERSION, or a version id) from this machine: its image and kept weights')
    .argument('<model>', 'a model name, MODEL:VERSION, a version id or an image')
    .option('--json', 'print JSON')
    .action(async (arg: string, o: { json?: boolean }) => {
      await withCore('passive', async (core) => {
        const versions = versionsNamed(core.store.library, arg);
        const docker = await core.docker();
        const removed: Array<{ model: string; version: string; freed_bytes: number }> = [];
        for (const v of versions) {
          const kept = (await core.listKeptWeights(v.id)).reduce((n, k) => n + k.bytes, 0);
          await core.deleteVersion(v.id);
          // The image's disk is freed only when no other tag still holds it.
          const imageGone = await docker.getImage(v.imageId).inspect().then(() => false, () => true);
          removed.push({ model: v.modelId, version: v.id, freed_bytes: kept + (imageGone ? (v.sizeBytes ?? 0) : 0) });
        }
        if (o.json) return printJson(removed);
        const total = removed.reduce((n, r) => n + r.freed_bytes, 0);
        print([...removed.map((r) => `Removed ${r.model} ${r.version.slice(0, 12)}`), `Freed ${formatBytes(total)}`].join('\n'));
      });
    });
}
