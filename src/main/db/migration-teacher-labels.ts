// Version 13: what a run's distillation teacher said about each unlabeled post (issue 14). The
// teacher's argmax label, its probability and whether the §3.3 filter kept it, one row per post the
// teacher read; the review shows it as a reason where it disagrees with the run's proposal, and its
// queue can be narrowed to those posts. Which teacher it was (source, model folder and file hash)
// stays on the run (config.teacherUsed).
import type { Migration } from './migrations-types'

export const TEACHER_LABELS: Migration = {
  version: 13,
  name: "teacher labels: a run's distillation teacher's label per post",
  sql: `
    CREATE TABLE teacher_labels (
      run_id      INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
      post_id     INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
      label       TEXT NOT NULL CHECK (label IN ('negative','neutral','positive')),
      confidence  REAL NOT NULL,
      kept        INTEGER NOT NULL CHECK (kept IN (0, 1)),
      PRIMARY KEY (run_id, post_id)
    ) WITHOUT ROWID;
  `,
}
