import { useEffect, useState } from 'react';
import type { PredictionFile } from '../../../shared/domain';
import type { ErrorInfo } from '../../../shared/errors';
import { api } from '../api';
import { errorInfo } from '../lib/errors';

const cache = new Map<string, Promise<PredictionFile>>();
const MAX_CACHED = 40;

function load(predictionId: string, path: string): Promise<PredictionFile> {
  const key = `${predictionId}\n${path}`;
  let hit = cache.get(key);
  if (!hit) {
    hit = api.readPredictionFile(predictionId, path);
    hit.catch(() => cache.delete(key));
    cache.set(key, hit);
    while (cache.size > MAX_CACHED) cache.delete(cache.keys().next().value!);
  }
  return hit;
}

/** A prediction's file (output, or uploaded input) read through the contract as a data: URI. */
export function usePredictionFile(predictionId: string, path: string): { file: PredictionFile | null; error: ErrorInfo | null } {
  const [state, setState] = useState<{ file: PredictionFile | null; error: ErrorInfo | null }>({ file: null, error: null });
  useEffect(() => {
    let live = true;
    setState({ file: null, error: null });
    load(predictionId, path).then(
      (file) => live && setState({ file, error: null }),
      (e) => live && setState({ file: null, error: errorInfo(e) }),
    );
    return () => {
      live = false;
    };
  }, [predictionId, path]);
  return state;
}
