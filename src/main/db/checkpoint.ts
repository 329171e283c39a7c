import type { Database } from 'better-sqlite3'

/**
 * WAL frames after which SQLite checkpoints inside a commit anyway: a backstop for long writes
 * (imports). Labels do not wait for it: they ask for `checkpointSoon` instead.
 */
const AUTOCHECKPOINT_FRAMES = 10_000

/**
 * A checkpoint copies the WAL into the database and fsyncs: 20–30 ms at SQLite's default of
 * every 1,000 frames, charged to whichever commit crossed the line. Deferred with setImmediate,
 * it runs after the request that wrote has answered, between one keypress and the next, and the
 * WAL stays a few frames long. Several writes in one turn share one checkpoint.
 */
export function deferredCheckpoint(db: Database): () => void {
  db.pragma(`wal_autocheckpoint = ${AUTOCHECKPOINT_FRAMES}`)
  let pending = false
  return () => {
    if (pending) return
    pending = true
    setImmediate(() => {
      pending = false
      if (db.open) db.pragma('wal_checkpoint(PASSIVE)')
    })
  }
}
