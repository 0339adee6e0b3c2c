import { openDatabase, type Db, type OpenOptions } from './db';
import { ExampleStore } from './examples';
import { LibraryStore } from './library';
import { PredictionStore } from './predictions';
import { EngineStateStore, SettingsStore } from './settings';

export interface Store {
  db: Db;
  library: LibraryStore;
  predictions: PredictionStore;
  examples: ExampleStore;
  settings: SettingsStore;
  engineState: EngineStateStore;
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
    engineState: new EngineStateStore(db),
    close: () => db.close(),
  };
}

export type { Db } from './db';
