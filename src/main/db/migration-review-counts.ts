// Version 12: the review queue's counts kept per run, and pseudo-labels stored for a 100,000-row write.
//
// Counts. A review page said how many of the run's pseudo-labels there are, how many are decided and
// how many stand on posts with a label of their own, by recounting every pseudo-label of the run
// (180-330 ms at 100,000 in the read thread, every page). `review_counts` keeps four cells per run:
// (decided, labeled) → n, with the same meaning as review-repo.ts's LABELED: while no decision of the
// run is in effect, "labeled" is the post's current overall label; once one is, the latest overall
// label written by anything but this run. Triggers move a pseudo-label between cells on each event
// that changes its cell, computing both ends exactly at that moment:
//   - a post's current overall label appears or goes (undecided pseudo-labels of the post);
//   - an overall annotation by anything but run R (decided pseudo-labels of R on the post: the
//     label before it is the latest such annotation with a smaller id);
//   - a decision enters or leaves the 'done' state (the pseudo-label changes column).
// Cells are only updated, never created, by these triggers: a run is counted by a walk (here for
// existing stores; ReviewRepo.recount for a run without cells) or as its pseudo-labels are written,
// chunk by chunk (writePseudoLabels, since the first review page at 100,000 counted for 72-124 ms),
// so a run without cells is "not counted yet". Changing or deleting a run's pseudo-labels drops its
// cells and its ranking: the next page counts and ranks again.
//
// Pseudo-labels. The table is rebuilt WITHOUT ROWID, keyed by (run, post): the rowid tree and the
// unique index are one tree now, one write per row fewer. The per-row trigger on INSERT (which
// cleared the run's ranking 100,000 times) is gone: RunsRepo.saveResults clears the ranking and
// counts of the run in the same transaction; update and delete still clear them per row.
import type { Migration } from './migrations-types'

const SENTIMENT_CHECK = "('positive','neutral','negative')"

/** The post carries an overall label apart from run `run`'s review, when a decision of that run is in effect on it. */
const decidedLabeled = (post: string, run: string, before = ''): string => `((SELECT a.label FROM annotations a
  WHERE a.post_id = ${post} AND a.modality = 'overall' AND a.run_id IS NOT ${run}${before} ORDER BY a.id DESC LIMIT 1) IS NOT NULL)`
/** The same while no decision of the run is in effect: the post's current label. */
const undecidedLabeled = (post: string): string => `((SELECT p.label_overall FROM posts p WHERE p.id = ${post}) IS NOT NULL)`

/** Moves the pseudo-label of (run, post), if there is one, from one cell to another (only `when`). */
const move = (run: string, post: string, from: [string, string], to: [string, string], when = ''): string => {
  const exists = `${when}EXISTS (SELECT 1 FROM pseudo_labels WHERE run_id = ${run} AND post_id = ${post})`
  return `
        UPDATE review_counts SET n = n - 1 WHERE run_id = ${run} AND decided = ${from[0]} AND labeled = ${from[1]} AND ${exists};
        UPDATE review_counts SET n = n + 1 WHERE run_id = ${run} AND decided = ${to[0]} AND labeled = ${to[1]} AND ${exists};`
}
const toDecided = (row: 'NEW' | 'OLD', when = ''): string =>
  move(`${row}.run_id`, `${row}.post_id`, ['0', undecidedLabeled(`${row}.post_id`)], ['1', decidedLabeled(`${row}.post_id`, `${row}.run_id`)], when)
const toUndecided = (row: 'NEW' | 'OLD', when = ''): string =>
  move(`${row}.run_id`, `${row}.post_id`, ['1', decidedLabeled(`${row}.post_id`, `${row}.run_id`)], ['0', undecidedLabeled(`${row}.post_id`)], when)
const IN_EFFECT = (pl: string): string => `EXISTS (SELECT 1 FROM review_decisions d WHERE d.run_id = ${pl}.run_id AND d.post_id = ${pl}.post_id AND d.state = 'done')`
const forget = (row: 'NEW' | 'OLD'): string => `DELETE FROM review_order WHERE run_id = ${row}.run_id; DELETE FROM review_counts WHERE run_id = ${row}.run_id;`

/** The four cells of a run. */
export const CELLS = '(SELECT 0 AS decided, 0 AS labeled UNION ALL SELECT 0, 1 UNION ALL SELECT 1, 0 UNION ALL SELECT 1, 1)'

/** Every run's cells from a walk of its pseudo-labels (this migration's backfill; ReviewRepo.recount does the same for one run). */
export const COUNT_CELLS = `
  SELECT pl.run_id, d.id IS NOT NULL AS decided,
    CASE WHEN d.id IS NULL THEN p.label_overall IS NOT NULL ELSE ${decidedLabeled('pl.post_id', 'pl.run_id')} END AS labeled, count(*) AS n
  FROM pseudo_labels pl JOIN posts p ON p.id = pl.post_id
  LEFT JOIN review_decisions d ON d.run_id = pl.run_id AND d.post_id = pl.post_id AND d.state = 'done'`

export const REVIEW_COUNTS: Migration = {
  version: 12,
  name: 'review counts kept per run; pseudo-labels keyed by run and post',
  foreignKeysOff: true,
  sql: `
      CREATE TABLE pseudo_labels_v12 (
        run_id           INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        post_id          INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
        label            TEXT NOT NULL CHECK (label IN ${SENTIMENT_CHECK}),
        confidence       REAL NOT NULL,
        text_label       TEXT CHECK (text_label IS NULL OR text_label IN ${SENTIMENT_CHECK}),
        text_confidence  REAL,
        image_label      TEXT CHECK (image_label IS NULL OR image_label IN ${SENTIMENT_CHECK}),
        image_confidence REAL,
        modality         TEXT,
        plf_decision     TEXT,
        plf_reason       TEXT,
        loss             REAL,
        PRIMARY KEY (run_id, post_id)
      ) WITHOUT ROWID;
      INSERT INTO pseudo_labels_v12 (run_id, post_id, label, confidence, text_label, text_confidence, image_label, image_confidence, modality, plf_decision, plf_reason, loss)
        SELECT run_id, post_id, label, confidence, text_label, text_confidence, image_label, image_confidence, modality, plf_decision, plf_reason, loss FROM pseudo_labels;
      DROP TABLE pseudo_labels;
      ALTER TABLE pseudo_labels_v12 RENAME TO pseudo_labels;
      CREATE INDEX pseudo_labels_post ON pseudo_labels(post_id, run_id);

      CREATE TABLE review_counts (
        run_id  INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        decided INTEGER NOT NULL CHECK (decided IN (0,1)),
        labeled INTEGER NOT NULL CHECK (labeled IN (0,1)),
        n       INTEGER NOT NULL,
        PRIMARY KEY (run_id, decided, labeled)
      ) WITHOUT ROWID;
      INSERT INTO review_counts (run_id, decided, labeled, n) ${COUNT_CELLS} GROUP BY 1, 2, 3;
      INSERT OR IGNORE INTO review_counts (run_id, decided, labeled, n) SELECT DISTINCT run_id, decided, labeled, 0 FROM pseudo_labels, ${CELLS};

      CREATE TRIGGER pseudo_labels_forget_update AFTER UPDATE ON pseudo_labels
      BEGIN ${forget('NEW')} END;
      CREATE TRIGGER pseudo_labels_forget_delete AFTER DELETE ON pseudo_labels
      BEGIN ${forget('OLD')} END;

      CREATE TRIGGER posts_review_count AFTER UPDATE OF label_overall ON posts
      WHEN (OLD.label_overall IS NULL) <> (NEW.label_overall IS NULL)
      BEGIN
        UPDATE review_counts SET n = n + CASE WHEN labeled = (NEW.label_overall IS NOT NULL) THEN 1 ELSE -1 END
          WHERE decided = 0 AND run_id IN (SELECT pl.run_id FROM pseudo_labels pl WHERE pl.post_id = NEW.id AND NOT ${IN_EFFECT('pl')});
      END;
      CREATE TRIGGER annotations_review_count AFTER INSERT ON annotations
      WHEN NEW.modality = 'overall'
      BEGIN
        UPDATE review_counts SET n = n + CASE WHEN labeled = (NEW.label IS NOT NULL) THEN 1 ELSE -1 END
          WHERE decided = 1 AND run_id IN (SELECT pl.run_id FROM pseudo_labels pl WHERE pl.post_id = NEW.post_id AND pl.run_id IS NOT NEW.run_id
            AND ${IN_EFFECT('pl')} AND ${decidedLabeled('NEW.post_id', 'pl.run_id', ' AND a.id < NEW.id')} <> (NEW.label IS NOT NULL));
      END;
      CREATE TRIGGER review_decisions_count_insert AFTER INSERT ON review_decisions
      WHEN NEW.state = 'done'
      BEGIN${toDecided('NEW')}
      END;
      CREATE TRIGGER review_decisions_count_update AFTER UPDATE OF state ON review_decisions
      WHEN (OLD.state = 'done') <> (NEW.state = 'done')
      BEGIN${toDecided('NEW', "NEW.state = 'done' AND ")}${toUndecided('NEW', "OLD.state = 'done' AND ")}
      END;
      CREATE TRIGGER review_decisions_count_delete AFTER DELETE ON review_decisions
      WHEN OLD.state = 'done'
      BEGIN${toUndecided('OLD')}
      END;
  `,
}
