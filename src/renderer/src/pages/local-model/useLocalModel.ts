import { useCallback, useEffect, useState } from 'react';
import type { DiskUsage, Example, Model, Version } from '../../../../shared/domain';
import type { ErrorInfo } from '../../../../shared/errors';
import { api } from '../../api';
import { errorInfo } from '../../lib/errors';
import { keptByVersion } from '../../lib/library';
import { useEngine } from '../../state/engine';

export interface LocalModelData {
  model: Model | null;
  /** Newest first. */
  versions: Version[];
  examples: Example[];
  /** This model's share of the disk (images, outputs, predictions), when known. */
  disk: DiskUsage['models'][number] | null;
  /** The bytes of weights kept for each version's next start, by version id (none without Docker). */
  kept: Record<string, number>;
  loaded: boolean;
  error: ErrorInfo | null;
  reload(): Promise<void>;
  /** Forgets a version's kept weights (its next start downloads them again), then reloads. */
  forgetKept(versionId: string): Promise<void>;
}

const EMPTY: Omit<LocalModelData, 'reload' | 'forgetKept'> = { model: null, versions: [], examples: [], disk: null, kept: {}, loaded: false, error: null };

/** A local model as its page shows it: the model, its versions (newest first), examples, disk use and kept weights. */
export function useLocalModel(modelId: string): LocalModelData {
  const [state, setState] = useState<Omit<LocalModelData, 'reload' | 'forgetKept'>>({ ...EMPTY });
  const reload = useCallback(async () => {
    try {
      const [models, versions, examples] = await Promise.all([api.listModels(), api.listVersions(modelId), api.listExamples(modelId)]);
      const sorted = [...versions].sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt));
      setState((s) => ({ ...s, model: models.find((m) => m.id === modelId) ?? null, versions: sorted, examples, loaded: true, error: null }));
      const [disk, kept] = await Promise.all([api.getDiskUsage().catch(() => null), api.listKeptWeights().catch(() => [])]);
      setState((s) => ({ ...s, disk: disk?.models.find((m) => m.modelId === modelId) ?? null, kept: keptByVersion(kept) }));
    } catch (e) {
      setState((s) => ({ ...s, loaded: true, error: errorInfo(e) }));
    }
  }, [modelId]);
  useEffect(() => {
    setState({ ...EMPTY });
    void reload();
  }, [reload]);
  const forgetKept = useCallback(
    async (versionId: string) => {
      await api.forgetKeptWeights(versionId);
      await reload();
      void useEngine.getState().refreshStatus(); // a container started from them was stopped
    },
    [reload],
  );
  return { ...state, reload, forgetKept };
}

/** The description a local version's schema carries (Cog's default title is not one). */
export function schemaDescription(version: Version | undefined): string | null {
  const info = version?.openapiSchema?.info as { description?: unknown } | undefined;
  return typeof info?.description === 'string' && info.description.trim() ? info.description.trim() : null;
}
