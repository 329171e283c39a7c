// Forward-only schema migrations. Each entry moves the store from version N-1 to N inside one
// transaction; `PRAGMA user_version` records where a database stands. Never edit a shipped entry:
// add a new one.

import type { Migration } from './migrations-types'
import { INITIAL_SCHEMA, SENTIMENT_CHECK } from './migration-initial-schema'
import { STAT_COUNTS } from './migration-stat-counts'
import { PREDICTIONS } from './migration-predictions'
import { LABEL_CHECKS } from './migration-label-checks'
import { REVIEW_COUNTS } from './migration-review-counts'
import { TEACHER_LABELS } from './migration-teacher-labels'
import { PREDICTION_WRITER } from './migration-prediction-writer'
import { PLF_EVIDENCE } from './migration-plf-evidence'
import { RUN_DELETION } from './migration-run-deletion'
import { OWNER_BOOT } from './migration-owner-boot'
import { SELF_TRAINING_STEPS } from './migration-self-training-steps'
import { OWNER_BEAT } from './migration-owner-beat'
import { UNDO_PROVENANCE } from './migration-undo-provenance'
import { FOREIGN_KEY_INDEXES } from './migration-foreign-key-indexes'
import { IMAGE_HASH_INDEX } from './migration-image-hash-index'

export type { Migration }

const MODALITY_COLUMNS = [
  ['overall', 'label_overall'],
  ['text', 'label_text'],
  ['image', 'label_image'],
] as const

/** Version 3: one post leaves its old label's count (`OLD`) or joins its new one's (`NEW`), per modality. */
function countChange(row: 'NEW' | 'OLD', unless: 'NEW' | 'OLD' | null): string {
  return MODALITY_COLUMNS.map(([modality, column]) => {
    const changed = `${row}.${column} IS NOT NULL${unless ? ` AND ${row}.${column} IS NOT ${unless}.${column}` : ''}`
    // Leaving only ever decrements an existing row; an INSERT here could name a project that a
    // cascading delete has already removed.
    return row === 'OLD'
      ? `
        UPDATE label_counts SET n = n - 1
          WHERE ${changed} AND project_id = OLD.project_id AND modality = '${modality}' AND label = OLD.${column};`
      : `
        INSERT INTO label_counts (project_id, modality, label, n)
          SELECT NEW.project_id, '${modality}', NEW.${column}, 1 WHERE ${changed}
          ON CONFLICT (project_id, modality, label) DO UPDATE SET n = n + 1;`
  }).join('')
}

export const MIGRATIONS: readonly Migration[] = [
  INITIAL_SCHEMA,
  {
    version: 2,
    name: 'current labels kept on each post',
    // The grid, the counts and every filter ask for "the label now", which the append-only
    // history answers only with a scan. Each post carries its current label per modality,
    // set by a trigger in the same transaction as each annotation and back-filled from history.
    sql: `
      ALTER TABLE posts ADD COLUMN label_overall TEXT;
      ALTER TABLE posts ADD COLUMN label_text TEXT;
      ALTER TABLE posts ADD COLUMN label_image TEXT;

      UPDATE posts SET
        label_overall = (SELECT label FROM annotations a WHERE a.post_id = posts.id AND a.modality = 'overall' ORDER BY a.id DESC LIMIT 1),
        label_text    = (SELECT label FROM annotations a WHERE a.post_id = posts.id AND a.modality = 'text' ORDER BY a.id DESC LIMIT 1),
        label_image   = (SELECT label FROM annotations a WHERE a.post_id = posts.id AND a.modality = 'image' ORDER BY a.id DESC LIMIT 1);

      CREATE TRIGGER annotations_set_current AFTER INSERT ON annotations
      BEGIN
        UPDATE posts SET
          label_overall = CASE WHEN NEW.modality = 'overall' THEN NEW.label ELSE label_overall END,
          label_text    = CASE WHEN NEW.modality = 'text'    THEN NEW.label ELSE label_text END,
          label_image   = CASE WHEN NEW.modality = 'image'   THEN NEW.label ELSE label_image END
        WHERE id = NEW.post_id;
      END;

      CREATE INDEX posts_project_overall ON posts(project_id, label_overall, id);
      CREATE INDEX posts_project_split_overall ON posts(project_id, split, label_overall, id);
      -- Covers the whole stats query: one index walk, no table reads.
      CREATE INDEX posts_project_counts ON posts(project_id, split, label_overall, label_text, label_image, conflict);
    `,
  },
  {
    version: 3,
    name: 'labeling: undo/redo stacks, label target, suggestions',
    // Undo must survive a restart and reach across posts, yet history stays append-only: an undo
    // appends an annotation restoring the earlier label, and label_actions remembers, per
    // annotator, which steps are done or undone. Suggestions are kept so the queue can say which
    // strategy picked each post.
    sql: `
      ALTER TABLE projects ADD COLUMN label_target INTEGER CHECK (label_target IS NULL OR label_target > 0);
      ALTER TABLE annotations ADD COLUMN kind TEXT NOT NULL DEFAULT 'label' CHECK (kind IN ('label','undo','redo'));

      CREATE TABLE label_actions (
        id                 INTEGER PRIMARY KEY,
        project_id         INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        annotator          TEXT NOT NULL,
        post_id            INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
        modality           TEXT NOT NULL CHECK (modality IN ('overall','text','image')),
        source             TEXT NOT NULL CHECK (source IN ('human','correction')),
        before_label       TEXT CHECK (before_label IS NULL OR before_label IN ${SENTIMENT_CHECK}),
        after_label        TEXT CHECK (after_label IS NULL OR after_label IN ${SENTIMENT_CHECK}),
        -- 'dropped': a redo step discarded by a newer label, or a step someone else's label overtook.
        state              TEXT NOT NULL DEFAULT 'done' CHECK (state IN ('done','undone','dropped')),
        -- The annotation this step wrote last (the label, its undo or its redo).
        last_annotation_id INTEGER NOT NULL REFERENCES annotations(id) ON DELETE CASCADE,
        created_at         TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
      );
      CREATE INDEX label_actions_stack ON label_actions(project_id, annotator, state, id);
      CREATE INDEX label_actions_annotation ON label_actions(last_annotation_id);

      CREATE TABLE suggestion_batches (
        id         INTEGER PRIMARY KEY,
        project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        strategy   TEXT NOT NULL,
        requested  INTEGER NOT NULL,
        annotator  TEXT,
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
      );
      CREATE INDEX suggestion_batches_project ON suggestion_batches(project_id, id);
      CREATE TABLE suggestions (
        batch_id INTEGER NOT NULL REFERENCES suggestion_batches(id) ON DELETE CASCADE,
        rank     INTEGER NOT NULL,
        post_id  INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
        strategy TEXT NOT NULL CHECK (strategy IN ('stratified','diverse','uncertain')),
        reason   TEXT NOT NULL,
        PRIMARY KEY (batch_id, rank),
        UNIQUE (batch_id, post_id)
      );

      -- Labeled posts per project, modality and class, kept by triggers: the progress panel reads
      -- nine rows instead of walking 100,000 posts after every few labels.
      CREATE TABLE label_counts (
        project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        modality   TEXT NOT NULL,
        label      TEXT NOT NULL,
        n          INTEGER NOT NULL,
        PRIMARY KEY (project_id, modality, label)
      ) WITHOUT ROWID;
      INSERT INTO label_counts (project_id, modality, label, n)
        ${MODALITY_COLUMNS.map(([modality, column]) => `SELECT project_id, '${modality}', ${column}, count(*) FROM posts WHERE ${column} IS NOT NULL GROUP BY project_id, ${column}`).join(' UNION ALL ')};
      CREATE TRIGGER posts_count_labels AFTER UPDATE OF label_overall, label_text, label_image ON posts
      BEGIN${countChange('OLD', 'NEW')}${countChange('NEW', 'OLD')}
      END;
      CREATE TRIGGER posts_uncount_labels AFTER DELETE ON posts
      BEGIN${countChange('OLD', null)}
      END;

      -- Agreement and per-annotator counts read one source's rows; the queue asks "has a pseudo-label".
      CREATE INDEX annotations_project_source ON annotations(project_id, source, modality, annotator, post_id);
      CREATE INDEX pseudo_labels_post ON pseudo_labels(post_id, run_id);
    `,
  },
  {
    version: 4,
    name: 'training runs: request, labeled subset, progress, final reports',
    // A run row says everything needed to repeat or resume it (the request, the training config,
    // the labeled subset's post ids) and what it used; its curves go to run_metrics, its final
    // val/test reports to run_reports (per-class scores and the confusion matrix as JSON).
    sql: `
      ALTER TABLE runs ADD COLUMN preset TEXT NOT NULL DEFAULT '';
      ALTER TABLE runs ADD COLUMN encoder TEXT NOT NULL DEFAULT 'default';
      ALTER TABLE runs ADD COLUMN seed INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE runs ADD COLUMN step INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE runs ADD COLUMN steps INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE runs ADD COLUMN request TEXT NOT NULL DEFAULT '{}';
      ALTER TABLE runs ADD COLUMN subset TEXT;          -- { mode, n, draw, seed, postIds, perClass }
      ALTER TABLE runs ADD COLUMN labels_used TEXT;     -- LabelsUsed
      ALTER TABLE runs ADD COLUMN selected_step INTEGER;
      ALTER TABLE runs ADD COLUMN elapsed_ms INTEGER;
      CREATE INDEX runs_project_status ON runs(project_id, status);

      CREATE TABLE run_reports (
        run_id      INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        split       TEXT NOT NULL CHECK (split IN ('val','test')),
        accuracy    REAL NOT NULL,
        weighted_f1 REAL NOT NULL,
        macro_f1    REAL NOT NULL,
        report      TEXT NOT NULL,   -- per-class precision/recall/F1/support and the confusion matrix
        PRIMARY KEY (run_id, split)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 5,
    name: 'review decisions; Label Studio imports',
    // Review keeps its own undo stack (label_actions only takes human and correction labels): a
    // step is one decision, or a whole bulk accept, so Ctrl+Z undoes what one keypress did. A
    // decision names the annotation it wrote (none for a rejection) and the one it replaced, so
    // an undo restores that label as it stood. Rejections write no label, only the decision.
    // sources.format gains 'label-studio': SQLite cannot change a CHECK in place, so the table is
    // rebuilt (with foreign keys off, or dropping it would cascade to every post).
    foreignKeysOff: true,
    sql: `
      CREATE TABLE review_steps (
        id         INTEGER PRIMARY KEY,
        run_id     INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        annotator  TEXT NOT NULL,
        kind       TEXT NOT NULL CHECK (kind IN ('single','bulk')),
        -- 'dropped': someone else labeled every post of the step since, so it cannot be undone.
        state      TEXT NOT NULL DEFAULT 'done' CHECK (state IN ('done','undone','dropped')),
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
      );
      CREATE INDEX review_steps_stack ON review_steps(run_id, annotator, state, id);

      CREATE TABLE review_decisions (
        id                   INTEGER PRIMARY KEY,
        step_id              INTEGER NOT NULL REFERENCES review_steps(id) ON DELETE CASCADE,
        run_id               INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        post_id              INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
        kind                 TEXT NOT NULL CHECK (kind IN ('accepted','corrected','rejected')),
        label                TEXT CHECK (label IS NULL OR label IN ${SENTIMENT_CHECK}),
        annotation_id        INTEGER REFERENCES annotations(id) ON DELETE SET NULL,
        before_annotation_id INTEGER REFERENCES annotations(id) ON DELETE SET NULL,
        -- The decision on the same post this one replaced (deciding again), restored by an undo.
        replaces_id          INTEGER REFERENCES review_decisions(id) ON DELETE SET NULL,
        -- 'done': in effect; 'undone'; 'replaced' by a later decision on the same post.
        state                TEXT NOT NULL DEFAULT 'done' CHECK (state IN ('done','undone','replaced'))
      );
      -- At most one decision per post and run is in effect; the queue joins on exactly this.
      CREATE UNIQUE INDEX review_decisions_current ON review_decisions(run_id, post_id) WHERE state = 'done';
      CREATE INDEX review_decisions_step ON review_decisions(step_id);

      CREATE TABLE sources_v5 (
        id          INTEGER PRIMARY KEY,
        project_id  INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        root        TEXT NOT NULL,
        format      TEXT NOT NULL CHECK (format IN ('mvsa','csv','jsonl','folder','label-studio')),
        imported_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
        report      TEXT NOT NULL DEFAULT '{}'
      );
      INSERT INTO sources_v5 (id, project_id, root, format, imported_at, report)
        SELECT id, project_id, root, format, imported_at, report FROM sources;
      DROP TABLE sources;
      ALTER TABLE sources_v5 RENAME TO sources;
      CREATE INDEX sources_project ON sources(project_id);
    `,
  },
  {
    version: 6,
    name: 'runs: the process that owns a queued or running run',
    // A run left 'running' by a process that died (the app closed, the CLI killed) must not block
    // the project's next run: the owner's pid tells whether anyone is still running it.
    sql: `
      ALTER TABLE runs ADD COLUMN owner_pid INTEGER;
    `,
  },
  {
    version: 7,
    name: 'review queue orders kept per run',
    // The queue's two orders, ranked once per run on first use (src/main/review/ranking.ts), so a
    // page is an index walk instead of scoring and sorting every pseudo-label again. A run's
    // pseudo-labels are written once; if they are written again, the triggers drop the ranking.
    sql: `
      CREATE TABLE review_order (
        run_id          INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        risk_rank       INTEGER NOT NULL,
        confidence_rank INTEGER NOT NULL,
        post_id         INTEGER NOT NULL,
        PRIMARY KEY (run_id, risk_rank)
      ) WITHOUT ROWID;
      CREATE UNIQUE INDEX review_order_confidence ON review_order(run_id, confidence_rank);
      CREATE TRIGGER pseudo_labels_unrank_insert AFTER INSERT ON pseudo_labels
      BEGIN DELETE FROM review_order WHERE run_id = NEW.run_id; END;
      CREATE TRIGGER pseudo_labels_unrank_update AFTER UPDATE ON pseudo_labels
      BEGIN DELETE FROM review_order WHERE run_id = NEW.run_id; END;
      CREATE TRIGGER pseudo_labels_unrank_delete AFTER DELETE ON pseudo_labels
      BEGIN DELETE FROM review_order WHERE run_id = OLD.run_id; END;
    `,
  },
  {
    version: 8,
    name: 'runs: calibration fitted on the validation posts',
    // The temperature a run's probabilities go through and the risk model the review queue orders
    // by (shared/calibration.ts), as JSON; NULL for runs finished before calibration existed.
    sql: `
      ALTER TABLE runs ADD COLUMN calibration TEXT;
      DELETE FROM review_order;
    `,
  },
  PREDICTIONS,
  STAT_COUNTS,
  LABEL_CHECKS,
  REVIEW_COUNTS,
  TEACHER_LABELS,
  PREDICTION_WRITER,
  PLF_EVIDENCE,
  RUN_DELETION,
  OWNER_BOOT,
  SELF_TRAINING_STEPS,
  OWNER_BEAT,
  UNDO_PROVENANCE,
  FOREIGN_KEY_INDEXES,
  IMAGE_HASH_INDEX,
]

export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version
