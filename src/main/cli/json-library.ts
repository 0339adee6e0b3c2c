/**
 * What `cogdesk models --json` and `cogdesk pull --json` print: the library's models and versions in
 * Replicate's model and version shapes (the local API's, serialize.ts: snake_case, ISO 8601 UTC timestamps),
 * with Cogdesk's own fields beside them in snake_case. Without a server there is no `url`, as predictions
 * printed by the CLI have no `urls`.
 */
import type { Core } from '../core';
import type { CogServer } from '../../shared/cog-server';
import type { Model, Version } from '../../shared/domain';
import { localModelFields } from '../core/api-server/serialize';
import { cliPrediction, type CliPrediction } from './json';
import { iso } from './json-time';

/** What Cogdesk knows of a version beyond its record. */
export interface VersionExtras {
  /** The size of its kept weights (0 when none; null when Docker cannot say). */
  keptWeightsBytes: number | null;
  /** The Cog server its image runs (python, go, coglet); null when its labels do not tell. */
  server: CogServer | null;
}

export interface CliVersion {
  // Replicate's version object.
  id: string;
  created_at: string;
  /** "" when the image has no Cog version label (Replicate's clients need a string). */
  cog_version: string;
  openapi_schema: Record<string, unknown>;
  // Cogdesk's.
  /** The library's id of its model, as `cogdesk models`, `ps` and `rm` print it (`owner` and `name` are in the model's JSON). */
  model: string;
  /** The image reference it was pulled or found as. */
  image: string;
  image_id: string;
  size_bytes: number | null;
  kept_weights_bytes: number | null;
  server: CogServer | null;
  cog_config: Record<string, unknown> | null;
  legacy_labels: boolean;
}

export function cliVersion(v: Version, extras: VersionExtras): CliVersion {
  return {
    id: v.id,
    created_at: iso(v.createdAt),
    cog_version: v.cogVersion ?? '',
    openapi_schema: v.openapiSchema && typeof v.openapiSchema === 'object' ? v.openapiSchema : {},
    model: v.modelId,
    image: v.imageRef,
    image_id: v.imageId,
    size_bytes: v.sizeBytes,
    kept_weights_bytes: extras.keptWeightsBytes,
    server: extras.server,
    cog_config: v.cogConfig,
    legacy_labels: v.legacyLabels,
  };
}

export interface CliModel {
  // Replicate's model object (no `url`: there is no server).
  owner: string;
  name: string;
  description: string;
  visibility: 'private';
  github_url: null;
  paper_url: null;
  license_url: null;
  cover_image_url: null;
  is_official: false;
  /** Predictions of this model in the history here. */
  run_count: number;
  default_example: CliPrediction | null;
  latest_version: CliVersion | null;
  // Cogdesk's.
  /** The library's id of the model (the image repository, or Replicate's `owner/name`). */
  id: string;
  repository: string;
  created_at: string;
  version_count: number;
  versions: CliVersion[];
}

/** A model, its default example and its versions (newest first, as listVersions gives them). */
export async function cliModel(core: Core, m: Model, extrasOf: (v: Version) => VersionExtras): Promise<CliModel> {
  const versions = (await core.listVersions(m.id)).map((v) => cliVersion(v, extrasOf(v)));
  const example = (await core.listExamples(m.id).catch(() => [])).find((e) => e.isDefault);
  return {
    ...localModelFields(m),
    run_count: core.store.predictions.countForModel(m.id),
    default_example: example ? cliPrediction(example.prediction) : null,
    latest_version: versions.find((v) => v.id === m.latestVersionId) ?? null,
    id: m.id,
    repository: m.repository,
    created_at: iso(m.createdAt),
    version_count: m.versionCount,
    versions,
  };
}

export const cliModels = (core: Core, models: Model[], extrasOf: (v: Version) => VersionExtras): Promise<CliModel[]> =>
  Promise.all(models.map((m) => cliModel(core, m, extrasOf)));

/** `pull --json`: the pulled version in the shape of `models --json`'s versions. */
export async function cliPulledVersion(core: Core, v: Version): Promise<CliVersion> {
  const { serverOfVersion } = await import('../../shared/cog-server');
  const kept = await core.listKeptWeights(v.id).catch(() => null);
  return cliVersion(v, { keptWeightsBytes: kept ? kept.reduce((n, k) => n + k.bytes, 0) : null, server: serverOfVersion(v) });
}
