// Version 14: a prediction set is written a chunk of rows per transaction (100,000 rows in one held
// the store's write lock about a second, and a shell write waiting on it stalls the shell's event
// loop); while it is written its `writer_pid` names the process writing it, and nothing reads it.
// A set whose writer is gone before it finished (a crash, a kill) is deleted by the next predict.
import type { Migration } from './migrations-types'

export const PREDICTION_WRITER: Migration = {
  version: 14,
  name: 'prediction sets: written a chunk at a time, hidden until whole',
  sql: `ALTER TABLE prediction_sets ADD COLUMN writer_pid INTEGER;`,
}
