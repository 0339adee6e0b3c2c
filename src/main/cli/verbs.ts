/**
 * The verbs people reach for from docker and ollama: `cogdesk ps` (the warm containers of this data
 * folder, and per GPU what they hold: ps-gpus.ts), `cogdesk stop [MODEL]` and `cogdesk rm MODEL[:VERSION]`
 * (with the disk it frees).
 */
import type { Command } from 'commander';
import type Docker from 'dockerode';
import type { Version } from '../../shared/domain';
import { CogdeskError } from '../../shared/errors';
import { formatBytes } from '../../shared/format';
import type { Core } from '../core';
import { resolveName } from '../core/library/resolve-name';
import { print, printJson, withCore } from './context';
import { localTime } from './format';

export interface WarmContainer {
  container_id: string;
  model: string;
  version: string;
  status: 'running' | 'stopped';
  /** When the container was started (ISO 8601, UTC). */
  started_at: string;
  /** Its memory use now, in bytes; null when stopped or Docker cannot say. */
  memory_bytes: number | null;
  /** The Cogdesk process that started it (the app, `cogdesk serve` or a `cogdesk run`), and whether it still runs. */
  owner_pid: number;
  owner_alive: boolean;
}

const alive = (pid: number) => {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
};

async function memoryOf(docker: Docker, id: string): Promise<number | null> {
  try {
    const stats = (await docker.getContainer(id).stats({ stream: false })) as { memory_stats?: { usage?: number; stats?: { inactive_file?: number } } };
    const usage = stats.memory_stats?.usage;
    // As `docker stats` shows it: the page cache that can be dropped does not count.
    return typeof usage === 'number' ? usage - (stats.memory_stats?.stats?.inactive_file ?? 0) : null;
  } catch {
    return null;
  }
}

/** The containers Cogdesk started for this data folder, with what they run (from Docker's labels). */
export async function warmContainers(core: Core): Promise<WarmContainer[]> {
  const { LABELS } = await import('../core/docker/containers');
  const docker = await core.docker();
  const list = await docker.listContainers({ all: true, filters: { label: [`${LABELS.managed}=true`, `${LABELS.home}=${core.paths.homeId}`] } });
  return Promise.all(
    list.map(async (c) => {
      const versionId = c.Labels[LABELS.version] ?? '';
      const version = versionId ? core.store.library.getVersion(versionId) : null;
      const running = c.State === 'running';
      const info = await docker.getContainer(c.Id).inspect().catch(() => null);
      const pid = Number(c.Labels[LABELS.pid] ?? 0);
      return {
        container_id: c.Id,
        model: version?.modelId ?? c.Image,
        version: versionId,
        status: running ? ('running' as const) : ('stopped' as const),
        started_at: info?.State?.StartedAt ? new Date(info.State.StartedAt).toISOString() : new Date(c.Created * 1000).toISOString(),
        memory_bytes: running ? await memoryOf(docker, c.Id) : null,
        owner_pid: pid,
        owner_alive: alive(pid),
      };
    }),
  );
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ')).join('\n');
}

export function formatWarm(list: WarmContainer[]): string {
  if (list.length === 0) return 'No warm models. A model stays warm while the app or `cogdesk serve` runs it.';
  return table([
    ['CONTAINER', 'MODEL', 'VERSION', 'STATUS', 'SINCE (LOCAL TIME)', 'MEMORY', 'STARTED BY'],
    ...list.map((c) => [
      c.container_id.slice(0, 12),
      c.model,
      c.version.slice(0, 12),
      c.status,
      localTime(c.started_at),
      c.memory_bytes === null ? '-' : formatBytes(c.memory_bytes),
      `pid ${c.owner_pid}${c.owner_alive ? '' : ' (gone)'}`,
    ]),
  ]);
}

/** The versions a `rm`/`stop` argument names: all of a model's for a model name, one for a version. */
function versionsNamed(core: Core, arg: string): Version[] {
  const r = resolveName(core.store.library, arg);
  const lib = core.store.library;
  if (r.kind === 'local') return r.matched === 'model' ? lib.listVersions(r.model.id) : [r.version];
  if (r.kind === 'replicate' && r.local) return r.version ? [r.local] : lib.listVersions(r.local.modelId);
  throw new CogdeskError({ code: 'not_found', message: `No local model or version "${arg.trim()}"`, hint: 'List the local models with: cogdesk models' });
}

async function stopContainer(docker: Docker, id: string): Promise<void> {
  const c = docker.getContainer(id);
  await c.stop({ t: 5 }).catch((e: { statusCode?: number }) => {
    if (e.statusCode !== 304 && e.statusCode !== 404) throw e;
  });
  await c.remove({ force: true }).catch((e: { statusCode?: number }) => {
    if (e.statusCode !== 404 && e.statusCode !== 409) throw e;
  });
}

export async function stopWarm(core: Core, model?: string): Promise<WarmContainer[]> {
  const ids = model ? new Set(versionsNamed(core, model).map((v) => v.id)) : null;
  const docker = await core.docker();
  const chosen = (await warmContainers(core)).filter((c) => !ids || ids.has(c.version));
  for (const c of chosen) await stopContainer(docker, c.container_id);
  return chosen;
}

export function registerVerbs(program: Command): void {
  program
    .command('ps')
    .description('the warm containers of this data folder: what they run, since when, their memory; per NVIDIA GPU its use and what each holds')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      await withCore('passive', async (core) => {
        const list = await warmContainers(core);
        const { gpuUse, gpusOf, formatGpuUse } = await import('./ps-gpus');
        const use = await gpuUse(await core.docker(), list.filter((c) => c.status === 'running').map((c) => c.container_id));
        if (o.json) return printJson(list.map((c) => ({ ...c, gpus: gpusOf(use, c.container_id) })));
        const gpus = formatGpuUse(use, (id) => list.find((c) => c.container_id === id)?.model ?? id.slice(0, 12));
        print(gpus ? `${formatWarm(list)}\n\n${gpus}` : formatWarm(list));
      });
    });

  program
    .command('stop')
    .description("stop the warm containers of this data folder (a model's only, when named)")
    .argument('[model]', 'a model name, version id or image')
    .action(async (model: string | undefined) => {
      await withCore('passive', async (core) => {
        const stopped = await stopWarm(core, model);
        print(stopped.length ? stopped.map((c) => `Stopped ${c.model} (${c.container_id.slice(0, 12)})`).join('\n') : `Nothing warm${model ? ` for ${model}` : ''}.`);
      });
    });

  program
    .command('rm')
    .description('remove a model (every version) or one version (MODEL:VERSION, or a version id) from this machine: its image and kept weights')
    .argument('<model>', 'a model name, MODEL:VERSION, a version id or an image')
    .option('--json', 'print JSON')
    .action(async (arg: string, o: { json?: boolean }) => {
      await withCore('passive', async (core) => {
        const versions = versionsNamed(core, arg);
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
