// Version 1: the store's first schema — projects, their posts and sources, the append-only label
// history, cached features, runs and their pseudo-labels. Later versions build on it (migrations.ts).
import type { Migration } from './migrations-types'

/** The three sentiments as a CHECK list, for every label column. */
export const SENTIMENT_CHECK = "('positive','neutral','negative')"

export const INITIAL_SCHEMA: Migration = {
  version: 1,
  name: 'projects, posts, append-only annotations, features, runs, pseudo-labels',
  // The SQL byte for byte as shipped inside migrations.ts, its indentation included.
  sql: `
      CREATE TABLE projects (
        id          INTEGER PRIMARY KEY,
        name        TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(trim(name)) > 0),
        description TEXT NOT NULL DEFAULT '',
        created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
      );

      -- A folder or file a project imported from; images are served only from inside these roots.
      CREATE TABLE sources (
        id          INTEGER PRIMARY KEY,
        project_id  INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        root        TEXT NOT NULL,
        format      TEXT NOT NULL CHECK (format IN ('mvsa','csv','jsonl','folder')),
        imported_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
        report      TEXT NOT NULL DEFAULT '{}'
      );
      CREATE INDEX sources_project ON sources(project_id);

      CREATE TABLE posts (
        id           INTEGER PRIMARY KEY,
        project_id   INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        source_id    INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
        external_id  TEXT NOT NULL,
        text         TEXT NOT NULL,
        image_path   TEXT NOT NULL,   -- relative to the source root
        image_hash   TEXT NOT NULL,   -- sha256 of the image file
        width        INTEGER NOT NULL,
        height       INTEGER NOT NULL,
        split        TEXT NOT NULL DEFAULT 'unassigned'
                     CHECK (split IN ('train','val','test','conflict','unassigned')),
        conflict     INTEGER NOT NULL DEFAULT 0 CHECK (conflict IN (0,1)),
        created_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
        UNIQUE (project_id, external_id)
      );
      CREATE INDEX posts_project_order ON posts(project_id, id);
      CREATE INDEX posts_project_split ON posts(project_id, split, id);

      CREATE TABLE runs (
        id             INTEGER PRIMARY KEY,
        project_id     INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        method         TEXT NOT NULL,
        status         TEXT NOT NULL DEFAULT 'queued'
                       CHECK (status IN ('queued','running','done','failed','cancelled')),
        config         TEXT NOT NULL DEFAULT '{}',
        backend        TEXT,
        backend_reason TEXT,
        error          TEXT,
        created_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
        started_at     TEXT,
        finished_at    TEXT
      );
      CREATE INDEX runs_project ON runs(project_id, id);

      -- History, never rewritten: the current label of a post is its latest row per modality.
      -- label NULL records that a label was cleared (undo).
      CREATE TABLE annotations (
        id         INTEGER PRIMARY KEY,
        project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        post_id    INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
        modality   TEXT NOT NULL CHECK (modality IN ('overall','text','image')),
        label      TEXT CHECK (label IS NULL OR label IN ${SENTIMENT_CHECK}),
        source     TEXT NOT NULL CHECK (source IN ('human','imported','pseudo-accepted','correction')),
        annotator  TEXT NOT NULL,
        run_id     INTEGER REFERENCES runs(id) ON DELETE SET NULL,
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
      );
      CREATE INDEX annotations_post ON annotations(post_id, modality, id);
      CREATE INDEX annotations_project_annotator ON annotations(project_id, annotator, source);
      CREATE TRIGGER annotations_append_only BEFORE UPDATE ON annotations
      BEGIN SELECT RAISE(ABORT, 'annotations are append-only'); END;

      CREATE TABLE features (
        id         INTEGER PRIMARY KEY,
        post_id    INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
        encoder    TEXT NOT NULL,
        view       TEXT NOT NULL,   -- 'clean', 'weak:0', 'strong:0', ...
        dim        INTEGER NOT NULL,
        vector     BLOB NOT NULL,   -- float32, little-endian
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
        UNIQUE (post_id, encoder, view)
      );

      CREATE TABLE run_metrics (
        id     INTEGER PRIMARY KEY,
        run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        step   INTEGER NOT NULL,
        split  TEXT NOT NULL,       -- 'train', 'val', 'test'
        name   TEXT NOT NULL,
        value  REAL NOT NULL
      );
      CREATE INDEX run_metrics_run ON run_metrics(run_id, name, step);

      CREATE TABLE pseudo_labels (
        id               INTEGER PRIMARY KEY,
        run_id           INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        post_id          INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
        label            TEXT NOT NULL CHECK (label IN ${SENTIMENT_CHECK}),
        confidence       REAL NOT NULL,
        text_label       TEXT CHECK (text_label IS NULL OR text_label IN ${SENTIMENT_CHECK}),
        text_confidence  REAL,
        image_label      TEXT CHECK (image_label IS NULL OR image_label IN ${SENTIMENT_CHECK}),
        image_confidence REAL,
        modality         TEXT,      -- the modality the model relied on
        plf_decision     TEXT,      -- 'accepted' / 'rejected'
        plf_reason       TEXT,
        loss             REAL,
        UNIQUE (run_id, post_id)
      );
    `,
}
