// Version 21: an index on every foreign key's child column that had none. SQLite looks a deleted
// parent row's children up by that column, so without an index each deleted post or annotation
// read the whole child table: deleting a 100,000-post project (280,000 annotations) beside 20,000
// labeling steps took 9 min 13 s with the steps' `before_annotation_id` unindexed and 3 min 0 s
// with only their `post_id` unindexed, where the same project without those steps took 17 s (the
// SQLite shell on copies of a synthetic 100,000-post store, 2026-12-08). Reviewed runs' decisions,
// predictions, suggestions, label checks and teacher labels had the same lookup. Nullable columns
// get partial indexes (most of their rows are NULL); a lookup by `col = ?` implies
// `col IS NOT NULL`, so SQLite uses them.
import type { Migration } from './migrations-types'

/** [table, column, nullable]: the child columns `PRAGMA foreign_key_list` names that no index led. */
const CHILD_COLUMNS: ReadonlyArray<readonly [string, string, boolean]> = [
  ['posts', 'source_id', false],
  ['annotations', 'run_id', true],
  ['label_actions', 'post_id', false],
  ['label_actions', 'before_annotation_id', true],
  ['suggestions', 'post_id', false],
  ['review_decisions', 'post_id', false],
  ['review_decisions', 'annotation_id', true],
  ['review_decisions', 'before_annotation_id', true],
  ['review_decisions', 'replaces_id', true],
  ['prediction_sets', 'run_id', true],
  ['predictions', 'post_id', false],
  ['label_check_items', 'post_id', false],
  ['label_check_items', 'given_annotation_id', true],
  ['label_check_decisions', 'post_id', false],
  ['label_check_decisions', 'annotation_id', true],
  ['label_check_decisions', 'before_annotation_id', true],
  ['label_check_decisions', 'replaces_id', true],
  ['teacher_labels', 'post_id', false],
]

export const FOREIGN_KEY_INDEXES: Migration = {
  version: 21,
  name: "an index on every foreign key's child column",
  sql: CHILD_COLUMNS.map(
    ([table, column, nullable]) => `CREATE INDEX ${table}_fk_${column} ON ${table}(${column})${nullable ? ` WHERE ${column} IS NOT NULL` : ''};`,
  ).join('\n'),
}
