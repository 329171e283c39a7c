// Version 17: the boot a run's owner and a prediction set's writer ran in, beside their pid. After
// a restart, a run left 'running' by an app that died with the machine stayed 'running' (blocking
// the project's next run) for as long as some new process had its old pid; a pid from another boot
// is now known to be gone (core/process-alive.ts). NULL for rows written before: the pid alone.
import type { Migration } from './migrations-types'

export const OWNER_BOOT: Migration = {
  version: 17,
  name: "runs and prediction sets: the boot their process ran in, beside its pid",
  sql: `
    ALTER TABLE runs ADD COLUMN owner_boot TEXT;
    ALTER TABLE prediction_sets ADD COLUMN writer_boot TEXT;
  `,
}
