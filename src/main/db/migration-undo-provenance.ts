// Version 20: each labeling step remembers the annotation that stood before it, so that its undo
// restores that label as it stood (its source, run and author) rather than writing its value under
// the undoer's name. Under the undoer's name, an imported label that someone relabeled and then
// undid became "yours" to training, and an annotator who undid their label over a colleague's
// counted in the agreement as agreeing with that colleague. NULL for steps recorded before: their
// undo writes the earlier value under the undoer's name, as it did.
import type { Migration } from './migrations-types'

export const UNDO_PROVENANCE: Migration = {
  version: 20,
  name: 'labeling steps: the annotation that stood before each',
  sql: `
    ALTER TABLE label_actions ADD COLUMN before_annotation_id INTEGER REFERENCES annotations(id) ON DELETE SET NULL;
  `,
}
