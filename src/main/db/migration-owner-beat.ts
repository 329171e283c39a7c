// Version 19: when the process that owns a run, or writes a prediction set, last said it was at
// work (ms since the epoch; core/process-alive.ts). A live process holding a recorded pid is
// another process once the owner has been silent for minutes: pids are reused within a boot, and
// Windows names no boot, so a run left by a crashed app could stay "running", blocking the
// project's next run, for as long as some other program had its pid. NULL for rows written
// before: the pid and boot alone decide. Label checks get their owner too: a back end that opened
// the store failed every check marked running, so a `common-ground stats` run while the app checked
// labels showed the app's check failed until it finished; now only a check whose owner is gone is.
import type { Migration } from './migrations-types'

export const OWNER_BEAT: Migration = {
  version: 19,
  name: 'runs, prediction sets and label checks: when their process last said it was at work (label checks: their process too)',
  sql: `
    ALTER TABLE runs ADD COLUMN owner_seen_at INTEGER;
    ALTER TABLE prediction_sets ADD COLUMN writer_seen_at INTEGER;
    ALTER TABLE label_checks ADD COLUMN owner_pid INTEGER;
    ALTER TABLE label_checks ADD COLUMN owner_boot TEXT;
    ALTER TABLE label_checks ADD COLUMN owner_seen_at INTEGER;
  `,
}
