/**
 * What `cogdesk weights list --json` prints: one entry per version and weight, snake_case, timestamps in the
 * one format of every `--json` (json-time.ts). `kind: kept` is what a setup downloaded (kept as an image
 * layer); `kind: managed` is a weight of Cog's `weights:` fetched with the pull.
 */
import type { KeptWeightsInfo } from '../../shared/domain';
import type { ManagedWeightsUse } from '../core/library/managed-weights';
import { iso } from './json-time';

export interface CliKeptWeights {
  kind: 'kept';
  /** The library's model id (null when the version is no longer in the library). */
  model: string | null;
  version_id: string;
  bytes: number;
  /** How long the setup that downloaded them took. */
  setup_ms: number;
  created_at: string;
}

export interface CliManagedWeight {
  kind: 'managed';
  model: string | null;
  version_id: string;
  name: string;
  /** Where the container sees it (read-only). */
  target: string;
  manifest_digest: string;
  /** On disk (0 when missing). */
  bytes: number;
  present: boolean;
  created_at: string;
}

export function cliKeptWeights(k: KeptWeightsInfo, model: string | null): CliKeptWeights {
  return { kind: 'kept', model, version_id: k.versionId, bytes: k.bytes, setup_ms: k.setupMs, created_at: iso(k.createdAt) };
}

export function cliManagedWeight(m: ManagedWeightsUse, model: string | null): CliManagedWeight {
  return {
    kind: 'managed',
    model,
    version_id: m.versionId,
    name: m.name,
    target: m.target,
    manifest_digest: m.manifestDigest,
    bytes: m.bytes,
    present: m.present,
    created_at: iso(m.createdAt),
  };
}
