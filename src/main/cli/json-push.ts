/**
 * What `cogdesk push --json` prints (the plan with `--dry-run`, else the result): snake_case, field by field,
 * timestamps in the one format of every `--json` (json-time.ts). Replicate has no push object; the model part
 * uses its names (`visibility`, `latest_version_id`), the hardware Replicate's `{sku, name}`.
 */
import type { HardwareChoice, PushLink, PushPlan, PushProgress, PushResult, RegistryLoginStatus } from '../../shared/push';
import { iso } from './json-time';

const link = (l: PushLink) => ({
  version_id: l.versionId,
  registry: l.registry,
  model: l.modelId,
  remote_version_id: l.remoteVersionId,
  image: l.imageRef,
  pushed_at: iso(l.pushedAt),
});

const hardware = (h: HardwareChoice) => ({ sku: h.sku, name: h.name, source: h.source, reason: h.reason });

const credentials = (c: RegistryLoginStatus) => ({
  registry: c.registry,
  source: c.source,
  username: c.username,
  where: c.where,
  kept: c.kept ? { username: c.kept.username, where: c.kept.where } : null,
});

export function cliPushPlan(p: PushPlan) {
  return {
    version: { id: p.version.id, model: p.version.modelId, image: p.version.imageRef, image_id: p.version.imageId },
    registry: p.registry,
    destination: { owner: p.destination.owner, name: p.destination.name, id: p.destination.id, image: p.destination.image },
    account: p.account,
    model: p.model.exists
      ? { exists: true as const, visibility: p.model.visibility, url: p.model.url, latest_version_id: p.model.latestVersionId }
      : { exists: false as const, visibility: p.model.visibility, hardware: hardware(p.model.hardware), description: p.model.description },
    credentials: credentials(p.credentials),
    already_pushed: p.alreadyPushed ? link(p.alreadyPushed) : null,
    warnings: p.warnings,
  };
}

const progress = (p: PushProgress) => ({
  ref: p.ref,
  phase: p.phase,
  layers: { total: p.layers.total, done: p.layers.done, pushing: p.layers.pushing, already_exists: p.layers.alreadyExists },
  bytes_done: p.bytesDone,
  bytes_total: p.bytesTotal,
  percent: p.percent,
  message: p.message,
});

export function cliPushResult(r: PushResult) {
  return { link: link(r.link), created_model: r.createdModel, url: r.url, progress: progress(r.progress) };
}

export type CliPushPlan = ReturnType<typeof cliPushPlan>;
export type CliPushResult = ReturnType<typeof cliPushResult>;
