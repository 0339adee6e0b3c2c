import { openDatabase, type Db, type OpenOptions } from './db';
import { ExampleStore } from './examples';
import { GpuStore } from './gpu';
import { LibraryStore } from './library';
import { ModelSettingsStore } from './model-settings';
import { PredictionStore } from './predictions';
import { EngineStateStore, SettingsStore } from './settings';

export interface Store {
  db: Db;
  library: LibraryStore;
  predictions: PredictionStore;
  examples: ExampleStore;
  settings: SettingsStore;
  /** A person's own settings per local model (its concurrency). */
  modelSettings: ModelSettingsStore;
  engineState: EngineStateStore;
  /** What each version holds on a GPU once warm, and the GPUs a person pinned a model to. */
  gpu: GpuStore;
  close(): void;
}

export function openStore(file: string, options: OpenOptions = {}): Store {
  const db = openDatabase(file, options);
  const predictions = new PredictionStore(db);
  return {
    db,
    library: new LibraryStore(db),
    predictions,
    examples: new ExampleStore(db, predictions),
    settings: new SettingsStore(db),
    modelSettings: new ModelSettingsStore(db),
    engineState: new EngineStateStore(db),
    gpu: new GpuStore(db),
    close: () => db.close(),
  };
}

export type { Db } from './db';
