// Version 11: label checks (issue 15, part 2), the human labels that are probably wrong. A check
// stores, per labeled post it looked at and listed, the label it was given (and the history row
// that gave it), the label the out-of-fold model confidently suggests, the out-of-fold
// probabilities and the rank. Reviewing a listed post is a decision of its own: `accepted` wrote
// the suggested label as a correction (annotation_id; before_annotation_id is what it replaced),
// `kept` left the label as it was. Decisions are undone newest first, per reviewer and check;
// one whose post someone labeled since is left standing and skipped by the next Undo.
import type { Migration } from './migrations-types'

const SENTIMENT = "('negative','neutral','positive')"

export const LABEL_CHECKS: Migration = {
  version: 11,
  name: 'label checks: likely label errors and their review',
  sql: `
    CREATE TABLE label_checks (
      id          INTEGER PRIMARY KEY,
      project_id  INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
      encoder     TEXT NOT NULL,
      status      TEXT NOT NULL CHECK (status IN ('running','done','failed','cancelled')),
      settings    TEXT NOT NULL,
      checked     INTEGER NOT NULL DEFAULT 0,
      listed      INTEGER NOT NULL DEFAULT 0,
      error       TEXT,
      created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
      finished_at TEXT
    );
    CREATE INDEX label_checks_project ON label_checks(project_id, id);

    CREATE TABLE label_check_items (
      check_id        INTEGER NOT NULL REFERENCES label_checks(id) ON DELETE CASCADE,
      post_id         INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
      rank            INTEGER NOT NULL,
      given           TEXT NOT NULL CHECK (given IN ${SENTIMENT}),
      given_annotation_id INTEGER REFERENCES annotations(id) ON DELETE SET NULL,
      suggested       TEXT NOT NULL CHECK (suggested IN ${SENTIMENT}),
      p_negative      REAL NOT NULL,
      p_neutral       REAL NOT NULL,
      p_positive      REAL NOT NULL,
      margin          REAL NOT NULL,
      PRIMARY KEY (check_id, post_id)
    ) WITHOUT ROWID;
    CREATE UNIQUE INDEX label_check_items_rank ON label_check_items(check_id, rank);

    CREATE TABLE label_check_decisions (
      id                   INTEGER PRIMARY KEY,
      check_id             INTEGER NOT NULL REFERENCES label_checks(id) ON DELETE CASCADE,
      post_id              INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
      annotator            TEXT NOT NULL,
      kind                 TEXT NOT NULL CHECK (kind IN ('accepted','kept')),
      label                TEXT CHECK (label IS NULL OR label IN ${SENTIMENT}),
      annotation_id        INTEGER REFERENCES annotations(id) ON DELETE SET NULL,
      before_annotation_id INTEGER REFERENCES annotations(id) ON DELETE SET NULL,
      replaces_id          INTEGER REFERENCES label_check_decisions(id) ON DELETE SET NULL,
      state                TEXT NOT NULL DEFAULT 'done' CHECK (state IN ('done','undone','replaced')),
      -- 0 once an undo found someone had labeled the post since: it stands, and Undo reaches the one before.
      undoable             INTEGER NOT NULL DEFAULT 1,
      created_at           TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
    );
    CREATE UNIQUE INDEX label_check_decisions_current ON label_check_decisions(check_id, post_id) WHERE state = 'done';
    CREATE INDEX label_check_decisions_stack ON label_check_decisions(check_id, annotator, state, id);
  `,
}
