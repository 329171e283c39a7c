// Version 16: a run whose pseudo-labels were accepted or corrected can be deleted. Those reviews are
// labels in the history (source 'pseudo-accepted' / 'correction', run_id the run they came from),
// and the run's deletion sets their run_id to NULL (ON DELETE SET NULL): an UPDATE the append-only
// trigger refused, so `runs.delete` of a reviewed run failed with "annotations are append-only".
// Now every column stays as written except run_id, which may only become NULL: the label stays, its
// link to a run that no longer exists goes.
import type { Migration } from './migrations-types'

const REFUSE = "BEGIN SELECT RAISE(ABORT, 'annotations are append-only'); END"

export const RUN_DELETION: Migration = {
  version: 16,
  name: "annotations: a deleted run's reviewed labels stay, without their run",
  sql: `
    DROP TRIGGER annotations_append_only;
    CREATE TRIGGER annotations_append_only BEFORE UPDATE OF id, project_id, post_id, modality, label, source, annotator, kind, created_at ON annotations
    ${REFUSE};
    CREATE TRIGGER annotations_run_only_forgotten BEFORE UPDATE OF run_id ON annotations WHEN NEW.run_id IS NOT NULL
    ${REFUSE};
  `,
}
