/**
 * What `--json` prints for predictions: Replicate's prediction JSON, built by the local API's serializer
 * (snake_case fields; input and output files as the local paths they are kept at; no `urls`, as there is no
 * server), with every timestamp in one format: ISO 8601 in UTC with milliseconds (`2026-12-06T04:18:40.584Z`).
 * Cog's server writes its own (`...40.584243+00:00`); the history keeps what it wrote.
 */
import type { Example, Prediction } from '../../shared/domain';
import { apiModelString } from '../../shared/model-names';
import { predictionJson } from '../core/api-server/serialize';
import { iso } from './json-time';

/** Beside Replicate's fields: where it ran, and for a run on Replicate its id and page there. */
export type CliPrediction = ReturnType<typeof predictionJson> & { ran_on: Prediction['runOn']; replicate?: { id: string; web_url: string | null } };

export function cliPrediction(p: Prediction): CliPrediction {
  const json = predictionJson({ ...p, createdAt: iso(p.createdAt), startedAt: iso(p.startedAt), completedAt: iso(p.completedAt) });
  return { ...json, ran_on: p.runOn, ...(p.remote ? { replicate: { id: p.remote.id, web_url: p.remote.webUrl } } : {}) };
}

/** An example for `examples list --json`: snake_case, numbered from 1 as the table shows it, its prediction in Replicate's shape. */
export function cliExample(e: Example): { prediction_id: string; model: string; position: number; is_default: boolean; prediction: CliPrediction } {
  return { prediction_id: e.predictionId, model: apiModelString(e.modelId), position: e.position + 1, is_default: e.isDefault, prediction: cliPrediction(e.prediction) };
}
