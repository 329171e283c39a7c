import type { Database } from 'better-sqlite3'

/**
 * WAL frames after which SQLite checkpoints inside a commit of the shell's connection anyway: a
 * backstop for its long writes (imports; SQLite's default of 1,000 checkpointed ~8 times during a
 * run's 100,000 pseudo-labels). Labels do not wait for it: they ask for `checkpointSoon` instead.
 */
export const AUTOCHECKPOINT_FRAMES = 10_000

/**
 * The trainer process's backstop (a run's results, a predict's set): the shell copies those rows
 * when their write ends (`pause` below), so inside the write a checkpoint only repeats that work
 * while the writer holds its chunk's transaction (SCDR's 100,000 rows and order are 10,344 frames:
 * at 10,000 one landed in every write, 110–150 ms; docs/RESULTS.md "Sixth round"). This bounds the
 * WAL (~160 MB of 4 KiB pages) should no shell copy it.
 */
export const TRAINER_AUTOCHECKPOINT_FRAMES = 40_000

/**
 * A checkpoint copies the WAL into the database and fsyncs: 20–30 ms at SQLite's default of
 * every 1,000 frames (more on a busy disk), charged to whichever commit crossed the line. Deferred
 * with setImmediate, it runs after the request that wrote has answered, between one keypress and
 * the next, and the WAL stays a few frames long. Several writes in one turn share one checkpoint.
 * With a read thread the checkpoint runs there, on its own connection (`delegate`): its fsyncs then
 * never hold the shell's event loop.
 */
export interface DeferredCheckpoint {
  soon(): void
  /** Runs the checkpoints elsewhere from now on (null: on this connection again). */
  delegate(run: (() => void) | null): void
  /**
   * No checkpoint until the returned function is called (pauses nest); when the last pause ends, one
   * runs, asked for or not: the WAL then holds the other process's rows, and copied now, between
   * runs, they are not left for a later write to copy at its backstop, inside one of its chunks'
   * transactions (110–150 ms, docs/RESULTS.md "Sixth round"). While another process writes many
   * rows (a predict's set, a run's results), a checkpoint would copy its frames — a second or more
   * of I/O the shell's next write is held for — and, when it copies them all, that writer's next
   * chunk starts the WAL afresh and fsyncs its header while it holds the write lock, which a label
   * written meanwhile waits for.
   */
  pause(): () => void
}

export function deferredCheckpoint(db: Database): DeferredCheckpoint {
  db.pragma(`wal_autocheckpoint = ${AUTOCHECKPOINT_FRAMES}`)
  let pending = false
  let elsewhere: (() => void) | null = null
  let paused = 0
  return {
    soon() {
      // The pause's end runs one.
      if (paused > 0) return
      if (pending) return
      pending = true
      setImmediate(() => {
        pending = false
        if (!db.open) return
        if (elsewhere) elsewhere()
        else db.pragma('wal_checkpoint(PASSIVE)')
      })
    },
    delegate(run) {
      elsewhere = run
    },
    pause() {
      paused++
      let resumed = false
      return () => {
        if (resumed) return
        resumed = true
        paused--
        if (paused === 0) this.soon()
      }
    },
  }
}
