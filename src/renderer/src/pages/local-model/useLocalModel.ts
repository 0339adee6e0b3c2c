import { useCallback, useEffect, useState } from 'react';
import type { DiskUsage, Example, Model, Version } from '../../../../shared/domain';
import type { ErrorInfo } from '../../../../shared/errors';
import { api } from '../../api';
import { errorInfo } from '../../lib/errors';

export interface LocalModelData {
  model: Model | null;
  /** Newest first. */
  versions: Version[];
  examples: Example[];
  /** This model's share of the disk (images, outputs, predictions), when known. */
  disk: DiskUsage['models'][number] | null;
  loaded: boolean;
  error: ErrorInfo | null;
  reload(): Promise<void>;
}

/** A local model as its page shows it: the model, its versions (newest first), examples and disk use. */
export function useLocalModel(modelId: string): LocalModelData {
  const [state, setState] = useState<Omit<LocalModelData, 'reload'>>({ model: null, versions: [], examples: [], disk: null, loaded: false, error: null });
  const reload = useCallback(async () => {
    try {
      const [models, versions, examples] = await Promise.all([api.listModels(), api.listVersions(modelId), api.listExamples(modelId)]);
      const sorted = [...versions].sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt));
      setState((s) => ({ ...s, model: models.find((m) => m.id === modelId) ?? null, versions: sorted, examples, loaded: true, error: null }));
      const disk = await api.getDiskUsage().catch(() => null);
      setState((s) => ({ ...s, disk: disk?.models.find((m) => m.modelId === modelId) ?? null }));
    } catch (e) {
      setState((s) => ({ ...s, loaded: true, error: errorInfo(e) }));
    }
  }, [modelId]);
  useEffect(() => {
    setState({ model: null, versions: [], examples: [], disk: null, loaded: false, error: null });
    void reload();
  }, [reload]);
  return { ...state, reload };
}

/** The description a local version's schema carries (Cog's default title is not one). */
export function schemaDescription(version: Version | undefined): string | null {
  const info = version?.openapiSchema?.info as { description?: unknown } | undefined;
  return typeof info?.description === 'string' && info.description.trim() ? info.description.trim() : null;
}
