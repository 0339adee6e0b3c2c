/**
 * Kept weights: most models download their weights in `setup()` into the container's own file system, so a
 * fresh container downloads them again at every cold start, and cannot start at all offline. Once a
 * container's setup has succeeded (READY, before any prediction reaches it), what setup wrote is committed as
 * one layer on top of the version's image (`docker commit`, without pausing); the next cold start of the same
 * version, with the same environment and the same GPU request, starts from that image, and a setup that finds
 * its files skips the download. Docker's image list is the record: each kept image carries its version, key,
 * size and data folder in its labels.
 *
 * - Weights already in the image are never copied: a setup that writes less than the threshold keeps nothing.
 * - A setup that fails, is canceled or killed keeps nothing: only a READY container is committed.
 * - Nothing a prediction writes is kept: the commit happens before the first prediction is sent.
 * - Keeping never fails a prediction: when there is no room on Docker's disk, or Docker refuses, it says why.
 */
import type Docker from 'dockerode';
import { createHash } from 'node:crypto';
import { statfs } from 'node:fs/promises';
import { formatBytes } from '../../../shared/format';

export const WEIGHTS_LABELS = {
  version: 'cogdesk.weights.version',
  key: 'cogdesk.weights.key',
  home: 'cogdesk.weights.home',
  bytes: 'cogdesk.weights.bytes',
  setupMs: 'cogdesk.weights.setup-ms',
  base: 'cogdesk.weights.base',
} as const;

/** The repository kept images are tagged in (`cogdesk-weights:<version>-<key>`). */
export const WEIGHTS_REPO = 'cogdesk-weights';

/** The tag a version's kept weights get (`cogdesk-weights:<version>-<key>`, each shortened to 12). */
const keptTag = (versionId: string, key: string) => `${WEIGHTS_REPO}:${versionId.slice(0, 12)}-${key.slice(0, 12)}`;

export interface KeptWeights {
  versionId: string;
  /** The kept image (the version's image plus what setup wrote). */
  imageId: string;
  /** What setup wrote: the size of the kept layer. */
  bytes: number;
  /** How long the setup that wrote it took. */
  setupMs: number;
  createdAt: string;
}

export interface WeightsOptions {
  docker: () => Promise<Docker>;
  homeId: string;
  enabled: () => boolean;
  /** A setup that wrote less keeps nothing (its weights are in the image, or it has none). */
  minBytes?: number;
}

/** What a start found or did about kept weights, said on the predictions that started it. */
export interface KeepOutcome {
  kept: boolean;
  note: string | null;
}

const DEFAULT_MIN_BYTES = 32 * 1024 * 1024;
/** Room left on Docker's disk after keeping, so that keeping never fills it. */
const RESERVE_BYTES = 2 * 1024 * 1024 * 1024;

export function seconds(ms: number): string {
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${s % 60} s`;
}

export class WeightsKeeper {
  constructor(private readonly o: WeightsOptions) {}

  get minBytes(): number {
    return this.o.minBytes ?? DEFAULT_MIN_BYTES;
  }

  /** What a setup's result depends on: the version's image, the environment it starts with, GPU or not. */
  keyFor(versionId: string, image: string, env: Record<string, string> | undefined, gpu: boolean): string {
    const stable = Object.entries(env ?? {})
      .filter(([k]) => k !== 'PORT') // where it listens changes nothing that setup writes
      .sort(([a], [b]) => a.localeCompare(b));
    return createHash('sha256').update(JSON.stringify({ versionId, image, env: stable, gpu })).digest('hex');
  }

  /**
   * The kept image for a key in this data folder, if there is one (and keeping is on). Looked up by the tag
   * keep() gives it (one inspect, on every cold start's path), and by its labels among all images only when
   * that tag is another data folder's.
   */
  async find(key: string, versionId: string): Promise<{ imageId: string; bytes: number } | null> {
    if (!this.o.enabled()) return null;
    const docker = await this.o.docker().catch(() => null);
    if (!docker) return null;
    const tagged = await docker.getImage(keptTag(versionId, key)).inspect().catch(() => null);
    if (!tagged) return null;
    const labels = tagged.Config?.Labels ?? {};
    if (labels[WEIGHTS_LABELS.key] === key && labels[WEIGHTS_LABELS.home] === this.o.homeId) {
      return { imageId: tagged.Id, bytes: Number(labels[WEIGHTS_LABELS.bytes] ?? 0) };
    }
    const images = await docker
      .listImages({ filters: { label: [`${WEIGHTS_LABELS.key}=${key}`, `${WEIGHTS_LABELS.home}=${this.o.homeId}`] } })
      .catch(() => []);
    const image = images[0];
    return image ? { imageId: image.Id, bytes: Number(image.Labels?.[WEIGHTS_LABELS.bytes] ?? 0) } : null;
  }

  /** Commits what a READY container's setup wrote, when it is worth keeping and there is room. */
  async keep(containerId: string, o: { versionId: string; image: string; key: string; setupMs: number }): Promise<KeepOutcome> {
    if (!this.o.enabled()) return { kept: false, note: null };
    try {
      const docker = await this.o.docker();
      const info = (await docker.getContainer(containerId).inspect({ size: true } as never)) as unknown as { SizeRw?: number };
      const bytes = Number(info.SizeRw ?? 0);
      if (bytes < this.minBytes) return { kept: false, note: null };
      const free = await dockerDiskFree(docker);
      if (free !== null && free - bytes < RESERVE_BYTES) {
        return {
          kept: false,
          note: `Setup wrote ${formatBytes(bytes)} in ${seconds(o.setupMs)}; not kept for the next start: only ${formatBytes(free)} is free on Docker's disk. Free some space and the next start keeps it.`,
        };
      }
      const base = await docker.getImage(o.image).inspect();
      const config = base.Config ?? {};
      await docker.getContainer(containerId).commit({
        _query: {
          container: containerId,
          repo: WEIGHTS_REPO,
          tag: keptTag(o.versionId, o.key).slice(WEIGHTS_REPO.length + 1),
          pause: false,
          comment: `Cogdesk: what setup wrote for version ${o.versionId}`,
        },
        // The version's own configuration, not the container's (its environment, port and labels are Cogdesk's).
        _body: {
          Env: config.Env,
          Cmd: config.Cmd,
          Entrypoint: config.Entrypoint,
          WorkingDir: config.WorkingDir,
          User: config.User,
          ExposedPorts: config.ExposedPorts,
          Labels: {
            ...(config.Labels ?? {}),
            [WEIGHTS_LABELS.version]: o.versionId,
            [WEIGHTS_LABELS.key]: o.key,
            [WEIGHTS_LABELS.home]: this.o.homeId,
            [WEIGHTS_LABELS.bytes]: String(bytes),
            [WEIGHTS_LABELS.setupMs]: String(Math.round(o.setupMs)),
            [WEIGHTS_LABELS.base]: o.image,
          },
        },
      } as never);
      return { kept: true, note: `Setup wrote ${formatBytes(bytes)} in ${seconds(o.setupMs)}; kept for the next start.` };
    } catch (e) {
      return { kept: false, note: `What setup wrote could not be kept for the next start: ${e instanceof Error ? e.message : String(e)}` };
    }
  }

  /** The kept weights of this data folder, of one version or all. */
  async list(versionId?: string): Promise<KeptWeights[]> {
    const labels = [`${WEIGHTS_LABELS.home}=${this.o.homeId}`];
    if (versionId) labels.push(`${WEIGHTS_LABELS.version}=${versionId}`);
    const images = await (await this.o.docker()).listImages({ filters: { label: labels } });
    return images.map((i) => ({
      versionId: i.Labels?.[WEIGHTS_LABELS.version] ?? '',
      imageId: i.Id,
      bytes: Number(i.Labels?.[WEIGHTS_LABELS.bytes] ?? 0),
      setupMs: Number(i.Labels?.[WEIGHTS_LABELS.setupMs] ?? 0),
      createdAt: new Date(i.Created * 1000).toISOString(),
    }));
  }

  /** Removes a version's kept weights; answers the bytes freed. A container still using one keeps it (and says so). */
  async forget(versionId: string): Promise<number> {
    let freed = 0;
    const docker = await this.o.docker();
    for (const kept of await this.list(versionId)) {
      await docker.getImage(kept.imageId).remove({ force: false });
      freed += kept.bytes;
    }
    return freed;
  }
}

/** Free bytes on the disk that holds Docker's data, when the engine is on this machine; null otherwise. */
async function dockerDiskFree(docker: Docker): Promise<number | null> {
  try {
    const info = (await docker.info()) as { DockerRootDir?: string };
    if (!info.DockerRootDir) return null;
    const s = await statfs(info.DockerRootDir);
    return Number(s.bavail) * Number(s.bsize);
  } catch {
    return null;
  }
}
