/**
 * How many predictions a model's container runs at once, in order: the person's own setting for the model,
 * the image's env `COG_MAX_CONCURRENCY` (Cog >= 0.17 bakes it in), `run.cog.config` `.concurrency.max`,
 * the Go runtime's health body `concurrency.max`, else 1. Beyond it Cogdesk queues.
 */
import type Docker from 'dockerode';
import type { ConcurrencySource } from '../../../shared/domain';

export type { ConcurrencySource };

export interface ConcurrencyLimit {
  limit: number;
  source: ConcurrencySource;
}

/** The most a person may set (coglet's own examples go to 32; more is almost surely a typo). */
export const MAX_CONCURRENCY = 256;

const positive = (v: unknown): number | null => {
  const n = typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : v;
  return typeof n === 'number' && Number.isInteger(n) && n >= 1 ? Math.min(n, MAX_CONCURRENCY) : null;
};

/** `COG_MAX_CONCURRENCY` from Docker's `Config.Env` list (`KEY=value`). */
export function concurrencyFromEnv(env: readonly string[] | null | undefined): number | null {
  const entry = [...(env ?? [])].reverse().find((e) => e.startsWith('COG_MAX_CONCURRENCY='));
  return entry ? positive(entry.slice('COG_MAX_CONCURRENCY='.length)) : null;
}

/** `concurrency.max` of cog.yaml (the `run.cog.config` label, as JSON text or parsed). */
export function concurrencyFromCogConfig(config: unknown): number | null {
  let value = config;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return null;
    }
  }
  const c = (value as { concurrency?: { max?: unknown } } | null)?.concurrency;
  return positive(c?.max);
}

/** The Go runtime's health body says `concurrency: {max, current}`; the other servers say nothing. */
export function concurrencyFromHealth(health: unknown): number | null {
  return positive((health as { concurrency?: { max?: unknown } } | null)?.concurrency?.max);
}

export function resolveConcurrency(o: { setting?: number | null; env?: number | null; config?: number | null; health?: number | null }): ConcurrencyLimit {
  if (positive(o.setting)) return { limit: positive(o.setting)!, source: 'setting' };
  if (o.env) return { limit: o.env, source: 'env' };
  if (o.config) return { limit: o.config, source: 'cog-config' };
  if (o.health) return { limit: o.health, source: 'health' };
  return { limit: 1, source: 'default' };
}

/** What the image (or a running container, for one adopted from an earlier Cogdesk) says about its limit. */
export async function imageConcurrency(docker: Docker, o: { image?: string; containerId?: string }): Promise<{ env: number | null; config: number | null }> {
  try {
    const info = o.containerId ? await docker.getContainer(o.containerId).inspect() : await docker.getImage(o.image!).inspect();
    const labels = (info.Config?.Labels ?? {}) as Record<string, string>;
    return {
      env: concurrencyFromEnv(info.Config?.Env),
      config: concurrencyFromCogConfig(labels['run.cog.config'] ?? labels['org.cogmodel.config']),
    };
  } catch {
    return { env: null, config: null };
  }
}
