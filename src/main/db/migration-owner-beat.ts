// Version 19: when the process that owns a run, or writes a prediction set, last said it was at
// work (ms since the epoch; core/process-alive.ts). A live process holding a recorded pid is
// another process once the owner has been silent for minutes: pids are reused within a boot, and
// Windows names no boot, so a run left by a crashed app could stay "running", blocking the
// project's next run, for as long as some other program had its pid. NULL for rows written
// before: the pid and boot alone decide.
import type { Migration } from './migrations-types'

export const OWNER_BEAT: Migration = {
  version: 19,
  name: 'runs and prediction sets: when their process last said it was at work',
  sql: `
    ALTER TABLE runs ADD COLUMN owner_seen_at INTEGER;
    ALTER TABLE prediction_sets ADD COLUMN writer_seen_at INTEGER;
  `,
}
