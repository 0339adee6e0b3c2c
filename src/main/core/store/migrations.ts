/**
 * The searchable text of a prediction's input (a JSON object): every string and number in it, at any depth,
 * one a line; keys, and data: URIs (whole files), are left out. Invalid JSON is indexed as it is.
 */
const inputText = (input: string) =>
  `CASE WHEN json_valid(${input}) THEN COALESCE((SELECT group_concat(value, char(10)) FROM json_tree(${input})
     WHERE type IN ('text', 'integer', 'real') AND NOT (type = 'text' AND value LIKE 'data:%')), '') ELSE ${input} END`;

/**
 * Numbered migrations. Each runs once, in order, inside a transaction; the database's
 * `user_version` is the number of the last one applied. Never edit a shipped migration: add one.
 */
export const MIGRATIONS: readonly string[] = [
  // 1: the library, predictions and examples.
  `
  CREATE TABLE models (
    id            TEXT PRIMARY KEY,
    owner         TEXT,
    name          TEXT NOT NULL,
    repository    TEXT NOT NULL,
    created_at    TEXT NOT NULL
  );

  CREATE TABLE versions (
    id             TEXT PRIMARY KEY,
    model_id       TEXT NOT NULL REFERENCES models(id) ON DELETE CASCADE,
    image_ref      TEXT NOT NULL,
    image_id       TEXT NOT NULL,
    cog_version    TEXT,
    openapi_schema TEXT NOT NULL,
    cog_config     TEXT,
    legacy_labels  INTEGER NOT NULL DEFAULT 0,
    size_bytes     INTEGER,
    created_at     TEXT NOT NULL
  );
  CREATE INDEX versions_model ON versions(model_id, created_at);

  CREATE TABLE predictions (
    id            TEXT PRIMARY KEY,
    model_id      TEXT NOT NULL,
    version_id    TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('starting','processing','succeeded','failed','canceled')),
    input         TEXT NOT NULL,
    output        TEXT,
    logs          TEXT NOT NULL DEFAULT '',
    error         TEXT,
    source        TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    started_at    TEXT,
    completed_at  TEXT,
    metrics       TEXT,
    container_id  TEXT,
    runner_pid    INTEGER,
    seq           INTEGER NOT NULL
  );
  CREATE INDEX predictions_created ON predictions(seq DESC);
  CREATE INDEX predictions_model ON predictions(model_id, seq DESC);
  CREATE INDEX predictions_status ON predictions(status);

  CREATE TABLE examples (
    prediction_id TEXT PRIMARY KEY REFERENCES predictions(id) ON DELETE CASCADE,
    model_id      TEXT NOT NULL,
    position      INTEGER NOT NULL,
    is_default    INTEGER NOT NULL DEFAULT 0
  );
  CREATE INDEX examples_model ON examples(model_id, position);
  CREATE UNIQUE INDEX examples_one_default ON examples(model_id) WHERE is_default = 1;

  CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );
  `,

  // 2: the remote catalog cache (Replicate's answers, with when they were fetched) and a full-text index
  // over the cached models for searching offline.
  `
  CREATE TABLE catalog_models (
    seq                       INTEGER PRIMARY KEY,
    id                        TEXT NOT NULL UNIQUE,
    owner                     TEXT NOT NULL,
    name                      TEXT NOT NULL,
    body                      TEXT NOT NULL,
    run_count                 INTEGER,
    latest_version_created_at TEXT,
    tags                      TEXT,
    generated_description     TEXT,
    fetched_at                TEXT NOT NULL
  );
  CREATE INDEX catalog_models_latest ON catalog_models(latest_version_created_at DESC);

  CREATE TABLE catalog_documents (
    key        TEXT PRIMARY KEY,
    body       TEXT,
    fetched_at TEXT NOT NULL
  );

  CREATE VIRTUAL TABLE catalog_models_fts USING fts5(
    name, owner, description, readme, tags,
    tokenize = 'unicode61 remove_diacritics 2'
  );
  `,

  // 3: pushes: a local version pushed to a registry as a version of a Replicate model (`owner/name`), with
  // the version id Replicate gave it (the pushed manifest's digest). Goes with its local version.
  // IF NOT EXISTS: a database rolled back to an older user_version by hand still opens.
  `
  CREATE TABLE IF NOT EXISTS pushes (
    version_id        TEXT NOT NULL REFERENCES versions(id) ON DELETE CASCADE,
    registry          TEXT NOT NULL,
    model_id          TEXT NOT NULL,
    remote_version_id TEXT NOT NULL,
    image_ref         TEXT NOT NULL,
    pushed_at         TEXT NOT NULL,
    PRIMARY KEY (version_id, registry, model_id, remote_version_id)
  );
  CREATE INDEX IF NOT EXISTS pushes_model ON pushes(registry, model_id, pushed_at DESC);
  `,

  // 4: what a Replicate version needs, read once from its image's labels in the registry (no pull): a
  // version's image never changes, so a row never expires. gpu: 1 needs a GPU, 0 CPU only, NULL no cog.yaml label.
  `
  CREATE TABLE IF NOT EXISTS remote_requirements (
    version_id  TEXT PRIMARY KEY,
    model_id    TEXT NOT NULL,
    image_ref   TEXT NOT NULL,
    gpu         INTEGER,
    cog_config  TEXT,
    checked_at  TEXT NOT NULL
  );
  `,

  // 5: a full-text index over the predictions' input values for the history's search: trigram, so any
  // substring of 3 or more characters is found through the index (LIKE; detail=none halves its size and
  // answers as fast, FTS5 checks each candidate's text). Its rowid is the prediction's seq (a
  // VACUUM may renumber the table's own rowids, never seq); triggers keep it in step; existing rows are filled in.
  `
  CREATE VIRTUAL TABLE IF NOT EXISTS predictions_fts USING fts5(input, tokenize = 'trigram', detail = none);

  CREATE TRIGGER IF NOT EXISTS predictions_fts_insert AFTER INSERT ON predictions BEGIN
    INSERT INTO predictions_fts (rowid, input) VALUES (new.seq, ${inputText('new.input')});
  END;
  CREATE TRIGGER IF NOT EXISTS predictions_fts_delete AFTER DELETE ON predictions BEGIN
    DELETE FROM predictions_fts WHERE rowid = old.seq;
  END;
  CREATE TRIGGER IF NOT EXISTS predictions_fts_update AFTER UPDATE OF input, seq ON predictions BEGIN
    DELETE FROM predictions_fts WHERE rowid = old.seq;
    INSERT INTO predictions_fts (rowid, input) VALUES (new.seq, ${inputText('new.input')});
  END;

  DELETE FROM predictions_fts;
  INSERT OR REPLACE INTO predictions_fts (rowid, input) SELECT seq, ${inputText('input')} FROM predictions;
  `,

  // 6: a person's own settings for a local model: how many predictions its container runs at once
  // (NULL: what the image says), and whether it is local-only (the local API's routing never runs it on
  // Replicate). Goes with its model.
  `
  CREATE TABLE IF NOT EXISTS model_settings (
    model_id    TEXT PRIMARY KEY REFERENCES models(id) ON DELETE CASCADE,
    concurrency INTEGER CHECK (concurrency IS NULL OR concurrency >= 1),
    local_only  INTEGER NOT NULL DEFAULT 0 CHECK (local_only IN (0, 1)),
    updated_at  TEXT NOT NULL
  );
  `,

  // 7: GPUs. The most GPU memory each version was seen to hold while warm (MiB; measured from nvidia-smi's
  // processes), so its next cold start goes where it fits and room is made for it; and the GPUs a person
  // pinned a model to (a JSON list of uuids, `GPU-...` or `MIG-...`). Both go with their version or model.
  `
  CREATE TABLE IF NOT EXISTS gpu_memory (
    version_id  TEXT PRIMARY KEY REFERENCES versions(id) ON DELETE CASCADE,
    used_mib    INTEGER NOT NULL CHECK (used_mib >= 0),
    gpu_name    TEXT,
    measured_at TEXT NOT NULL
  );
  CREATE TABLE IF NOT EXISTS gpu_pins (
    model_id   TEXT PRIMARY KEY REFERENCES models(id) ON DELETE CASCADE,
    gpu_ids    TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  `,

  // 8: predictions run on Replicate, kept in the same history: a prediction with a row here ran there. Its
  // model_id is `owner/name` and its version_id Replicate's version ('' when none): neither need exist here
  // (predictions has no foreign key to versions). remote_id is Replicate's prediction id (one record each:
  // importing it twice answers the first); stream_url its server-sent events while it runs; synced_at is set
  // once it has finished there and its output files are downloaded here (NULL: Cogdesk still follows it,
  // also after a restart).
  `
  CREATE TABLE IF NOT EXISTS remote_predictions (
    prediction_id TEXT PRIMARY KEY REFERENCES predictions(id) ON DELETE CASCADE,
    remote_id     TEXT NOT NULL UNIQUE,
    web_url       TEXT,
    model         TEXT NOT NULL,
    version       TEXT,
    stream_url    TEXT,
    synced_at     TEXT
  );
  CREATE INDEX IF NOT EXISTS remote_predictions_unsynced ON remote_predictions(synced_at) WHERE synced_at IS NULL;
  `,

  // 9: the hardware (Replicate's SKU) a push created a model with, per registry and `owner/name`: Replicate's
  // API does not say which hardware a model runs on, so this is how a person's own models are priced (cloud
  // runs of the model, local runs of a version pushed to it). Kept when the model's pushes are gone.
  `
  CREATE TABLE IF NOT EXISTS model_hardware (
    registry    TEXT NOT NULL,
    model_id    TEXT NOT NULL,
    sku         TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    PRIMARY KEY (registry, model_id)
  );
  `,
];
