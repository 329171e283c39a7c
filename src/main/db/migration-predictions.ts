// Version 9: predictions, a trained model applied to a project's posts (`predict`).
import type { Migration } from './migrations-types'

export const PREDICTIONS: Migration = {
  version: 9,
  name: 'predictions: a trained model applied to a project\'s posts',
  // `predict` applies a finished run (or an exported ONNX model) to any project whose posts have
  // the same encoder pair's features. Each application is a set; a post's latest set is what the
  // grid shows. Probabilities are the calibrated ones the model's graph outputs.
  sql: `
    CREATE TABLE prediction_sets (
      id          INTEGER PRIMARY KEY,
      project_id  INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
      run_id      INTEGER REFERENCES runs(id) ON DELETE SET NULL,
      model_path  TEXT,
      method      TEXT NOT NULL,
      encoder     TEXT NOT NULL,
      metadata    TEXT NOT NULL,
      posts       INTEGER NOT NULL,
      missing     INTEGER NOT NULL,
      elapsed_ms  REAL NOT NULL,
      created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
    );
    CREATE INDEX prediction_sets_project ON prediction_sets(project_id, id);
    CREATE TABLE predictions (
      set_id      INTEGER NOT NULL REFERENCES prediction_sets(id) ON DELETE CASCADE,
      post_id     INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
      label       TEXT NOT NULL CHECK (label IN ('negative', 'neutral', 'positive')),
      confidence  REAL NOT NULL,
      p_negative  REAL NOT NULL,
      p_neutral   REAL NOT NULL,
      p_positive  REAL NOT NULL,
      PRIMARY KEY (set_id, post_id)
    ) WITHOUT ROWID;
  `,
}
