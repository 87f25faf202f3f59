/**
 * Schema migrations, in order. Each runs once, inside a transaction, and bumps PRAGMA user_version.
 * Never edit a shipped migration: append a new one.
 */
export const MIGRATIONS: string[] = [
  `
  CREATE TABLE datasets (
    id             TEXT PRIMARY KEY,
    name           TEXT NOT NULL,
    format         TEXT NOT NULL,
    content_hash   TEXT NOT NULL UNIQUE,
    source         TEXT,
    item_count     INTEGER NOT NULL,
    rejected_json  TEXT NOT NULL DEFAULT '[]',
    created_at     TEXT NOT NULL
  );
  CREATE TABLE items (
    dataset_id          TEXT NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
    idx                 INTEGER NOT NULL,
    source_line         INTEGER NOT NULL,
    case_text           TEXT NOT NULL,
    options_json        TEXT NOT NULL,
    reference_letter    TEXT NOT NULL,
    reference_reasoning TEXT,
    PRIMARY KEY (dataset_id, idx)
  );
  CREATE TABLE runs (
    id             TEXT PRIMARY KEY,
    dataset_id     TEXT NOT NULL REFERENCES datasets(id),
    status         TEXT NOT NULL,
    config_json    TEXT NOT NULL,
    item_idxs_json TEXT NOT NULL,
    total          INTEGER NOT NULL,
    created_at     TEXT NOT NULL,
    started_at     TEXT,
    finished_at    TEXT,
    error          TEXT,
    owner_pid      INTEGER,
    heartbeat_at   INTEGER,
    mirror_status  TEXT NOT NULL DEFAULT 'disabled',
    mirror_error   TEXT,
    weave_url      TEXT
  );
  CREATE INDEX runs_created ON runs(created_at DESC);
  CREATE TABLE results (
    run_id            TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    item_idx          INTEGER NOT NULL,
    model             TEXT NOT NULL,
    status            TEXT NOT NULL CHECK (status IN ('ok', 'error')),
    raw               TEXT,
    letter            TEXT,
    exact             INTEGER,
    format_ok         INTEGER,
    latency_ms        REAL,
    first_token_ms    REAL,
    eval_count        INTEGER,
    tokens_per_second REAL,
    attempts          INTEGER NOT NULL,
    error             TEXT,
    created_at        TEXT NOT NULL,
    PRIMARY KEY (run_id, item_idx, model)
  );
  CREATE INDEX results_run_model ON results(run_id, model, exact);
  CREATE INDEX results_run_status ON results(run_id, status);
  CREATE TABLE verdicts (
    run_id       TEXT NOT NULL,
    item_idx     INTEGER NOT NULL,
    model        TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('scored', 'unparseable', 'error')),
    score        INTEGER,
    explanation  TEXT,
    raw          TEXT,
    error        TEXT,
    judge_model  TEXT NOT NULL,
    attempts     INTEGER NOT NULL,
    created_at   TEXT NOT NULL,
    PRIMARY KEY (run_id, item_idx, model),
    FOREIGN KEY (run_id, item_idx, model) REFERENCES results(run_id, item_idx, model) ON DELETE CASCADE
  );
  CREATE INDEX verdicts_run_model ON verdicts(run_id, model, score);
  `,
  // Ownership by a random per-process id and the host name: process ids alone collide across containers.
  `
  ALTER TABLE runs ADD COLUMN owner_id TEXT;
  ALTER TABLE runs ADD COLUMN owner_host TEXT;
  `,
  // Per-option probabilities and self-consistency (older results have none: calibration counts only those that do),
  // every sample of a self-consistent run, and a run's human name, notes and creator.
  `
  ALTER TABLE results ADD COLUMN confidence REAL;
  ALTER TABLE results ADD COLUMN probabilities_json TEXT;
  ALTER TABLE results ADD COLUMN reference_letter TEXT;
  ALTER TABLE results ADD COLUMN vote_letter TEXT;
  ALTER TABLE results ADD COLUMN vote_exact INTEGER;
  ALTER TABLE results ADD COLUMN agreement REAL;
  CREATE TABLE samples (
    run_id             TEXT NOT NULL,
    item_idx           INTEGER NOT NULL,
    model              TEXT NOT NULL,
    sample_idx         INTEGER NOT NULL,
    raw                TEXT NOT NULL,
    letter             TEXT,
    confidence         REAL,
    probabilities_json TEXT,
    created_at         TEXT NOT NULL,
    PRIMARY KEY (run_id, item_idx, model, sample_idx),
    FOREIGN KEY (run_id, item_idx, model) REFERENCES results(run_id, item_idx, model) ON DELETE CASCADE
  );
  ALTER TABLE runs ADD COLUMN name TEXT;
  ALTER TABLE runs ADD COLUMN notes TEXT;
  ALTER TABLE runs ADD COLUMN created_by TEXT;
  `,
  // A dataset the server imports in slices (so a large file does not stall other requests) is hidden until its
  // last item is stored; a crash part-way leaves an incomplete row that the next import of that content replaces.
  `
  ALTER TABLE datasets ADD COLUMN complete INTEGER NOT NULL DEFAULT 1;
  `,
  // The dashboard on a 10,000-question run: a result row carries the model's whole reply, so reading the rows to
  // filter a results page or to sum up a run reads megabytes. These covering indexes hold just the columns those
  // queries need, in the order they need them: per item (results table, distributions) and per model in item order
  // (summary figures, judge scores). They supersede the (run_id, model, exact) and (run_id, model, score) indexes.
  `
  CREATE INDEX results_by_item ON results(run_id, item_idx, model, status, exact, letter, confidence, latency_ms);
  CREATE INDEX results_by_model ON results(run_id, model, status, item_idx, exact, letter, format_ok, latency_ms,
    tokens_per_second, confidence, reference_letter, agreement, vote_letter, vote_exact, probabilities_json);
  CREATE INDEX verdicts_by_item ON verdicts(run_id, item_idx, model, status, score);
  CREATE INDEX verdicts_by_model ON verdicts(run_id, model, status, item_idx, score);
  DROP INDEX results_run_model;
  DROP INDEX verdicts_run_model;
  `,
  // A run's revision: bumped in the same transaction as every write to its results or verdicts, whichever process
  // writes, so a summary computed at one revision is known to be current while the revision stands.
  `
  CREATE TABLE run_revisions (run_id TEXT PRIMARY KEY, revision INTEGER NOT NULL) WITHOUT ROWID;
  CREATE TRIGGER results_insert_revises_run AFTER INSERT ON results BEGIN
    INSERT INTO run_revisions (run_id, revision) VALUES (NEW.run_id, 1)
      ON CONFLICT (run_id) DO UPDATE SET revision = revision + 1;
  END;
  CREATE TRIGGER results_update_revises_run AFTER UPDATE ON results BEGIN
    INSERT INTO run_revisions (run_id, revision) VALUES (NEW.run_id, 1)
      ON CONFLICT (run_id) DO UPDATE SET revision = revision + 1;
  END;
  CREATE TRIGGER results_delete_revises_run AFTER DELETE ON results BEGIN
    INSERT INTO run_revisions (run_id, revision) VALUES (OLD.run_id, 1)
      ON CONFLICT (run_id) DO UPDATE SET revision = revision + 1;
  END;
  CREATE TRIGGER verdicts_insert_revises_run AFTER INSERT ON verdicts BEGIN
    INSERT INTO run_revisions (run_id, revision) VALUES (NEW.run_id, 1)
      ON CONFLICT (run_id) DO UPDATE SET revision = revision + 1;
  END;
  CREATE TRIGGER verdicts_update_revises_run AFTER UPDATE ON verdicts BEGIN
    INSERT INTO run_revisions (run_id, revision) VALUES (NEW.run_id, 1)
      ON CONFLICT (run_id) DO UPDATE SET revision = revision + 1;
  END;
  CREATE TRIGGER verdicts_delete_revises_run AFTER DELETE ON verdicts BEGIN
    INSERT INTO run_revisions (run_id, revision) VALUES (OLD.run_id, 1)
      ON CONFLICT (run_id) DO UPDATE SET revision = revision + 1;
  END;
  `,
  // The summary's Brier score read one number per result instead of parsing its per-option probabilities (JSON) each
  // time: summing json_each over 10,000 results took ~14 ms per model, on every summary computed afresh, which a live
  // run's dashboard polls after each finished item. brier_term is the result's multi-class Brier term,
  // Σ over its letters of (p − 1[reference])², written with the result (eval/store/results.ts, brierTerm) and computed
  // here for the rows already stored; the reference is the stored one, else a right answer's letter, else A (as the
  // summary from rows does); null without probabilities (or with unreadable ones). The per-model covering index
  // carries it instead of the probabilities themselves, which nothing else reads from it.
  `
  ALTER TABLE results ADD COLUMN brier_term REAL;
  UPDATE results SET brier_term = COALESCE((
      SELECT SUM((j.value - (j.key = ref.letter)) * (j.value - (j.key = ref.letter)))
      FROM json_each(results.probabilities_json) j,
           (SELECT COALESCE(results.reference_letter, CASE WHEN results.exact = 1 THEN results.letter END, 'A')
              AS letter) ref
    ), 0)
    WHERE probabilities_json IS NOT NULL AND probabilities_json != '' AND json_valid(probabilities_json);
  DROP INDEX results_by_model;
  CREATE INDEX results_by_model ON results(run_id, model, status, item_idx, exact, letter, format_ok, latency_ms,
    tokens_per_second, confidence, reference_letter, agreement, vote_letter, vote_exact, brier_term);
  `,
];
