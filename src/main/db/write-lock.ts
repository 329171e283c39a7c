// The store's write lock, taken without blocking the event loop.
//
// SQLite's busy handler waits for another connection's lock synchronously: on the shell, every
// window's requests stand still meanwhile. A trainer process writing a predict's 100,000 rows leaves
// the lock free 15 ms after each 30 ms of writing (chunked-insert.ts), yet a label written then
// waited up to 123 ms on the shell's loop for it (`CG_BENCH_PREDICT_ONLY=1 npm run bench
// pseudo-labelling`). Here the wait is asynchronous instead: BEGIN IMMEDIATE is tried without
// waiting, and tried again a few milliseconds later while someone else holds the lock; once it is
// ours, the write runs inside that transaction (better-sqlite3 nests the writer's own transactions
// as savepoints) and commits. While one of this process's own long writes holds the lock on a
// connection of its own (an import or a deletion on its thread: ~10 s and ~5 s at 100,000 posts),
// the wait is for that write's end, however long: it ends by committing or rolling back, and a
// label written meanwhile lands then rather than failing with 'busy' after 5 s.
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import type { Database } from 'better-sqlite3'
import { AppError } from '#main/core/errors'

/** How long a connection waits for another's write lock before SQLITE_BUSY (SQLite's synchronous wait; here, the asynchronous one's limit). */
export const BUSY_TIMEOUT_MS = 5000

/**
 * The same for the worker processes' connections (a trainer, the feature worker) and the long-write
 * thread's: an import of 100,000 posts holds the lock ~10 s, and a run's results, an extraction's
 * features or a deletion must not be lost for that. No window waits on them meanwhile (a deletion
 * shows "Deleting…").
 */
export const BACKGROUND_BUSY_TIMEOUT_MS = 120_000

/** Milliseconds between two tries while another connection holds the lock: at most 4, so a try lands in each of a trainer's 15 ms gaps. */
const RETRY_MS = [1, 2, 4] as const

/** Store files whose write lock this process's own long writes hold on other connections: the writes, until each settles. */
const ownLongWrites = new Map<string, Set<Promise<unknown>>>()

/** Settles once every long write of this process on `file` (longWrite) has; null when there is none. */
function ownLongWritesEnd(file: string): Promise<unknown> | null {
  const writes = ownLongWrites.get(path.resolve(file))
  return writes ? Promise.allSettled(writes) : null
}

/** While waiting for our own long write, how often the wait still looks at its signal and its connection. */
const OWN_WRITE_CHECK_MS = 100

/**
 * Marks `file`'s write lock as held by one of this process's own long writes until `write` settles
 * (an import's one transaction on a thread of its own). A writeWhenFree on that file then waits for
 * it, however long, instead of trying every few milliseconds and giving up with 'busy': it ends by
 * committing or rolling back, and the thread dying rolls it back too.
 */
export async function longWrite<T>(file: string, write: Promise<T>): Promise<T> {
  const key = path.resolve(file)
  const writes = ownLongWrites.get(key) ?? new Set()
  ownLongWrites.set(key, writes.add(write))
  try {
    return await write
  } finally {
    writes.delete(write)
    if (writes.size === 0 && ownLongWrites.get(key) === writes) ownLongWrites.delete(key)
  }
}

const isBusy = (err: unknown): boolean => !!(err as { code?: string }).code?.startsWith('SQLITE_BUSY')

/** BEGIN IMMEDIATE if the write lock is free now; false (and no transaction) if another connection holds it. */
function beginNow(db: Database): boolean {
  const timeout = db.pragma('busy_timeout', { simple: true }) as number
  db.pragma('busy_timeout = 0')
  try {
    db.exec('BEGIN IMMEDIATE')
    return true
  } catch (err) {
    if (isBusy(err)) return false
    throw err
  } finally {
    db.pragma(`busy_timeout = ${timeout}`)
  }
}

/**
 * Runs `write` in the transaction begun for it and commits. If `write` throws, an atomic write is
 * rolled back whole; otherwise what it wrote before throwing is kept, as each statement would have
 * been without this transaction (its own nested transactions have already rolled back): an undo
 * that finds its step overtaken marks the step dropped, then throws to say so. A commit that fails
 * rolls back and throws.
 */
function runAndCommit<T>(db: Database, write: () => T, atomic: boolean): T {
  let result: T
  try {
    result = write()
  } catch (err) {
    if (atomic) db.exec('ROLLBACK')
    else commit(db)
    throw err
  }
  commit(db)
  return result
}

function commit(db: Database): void {
  try {
    db.exec('COMMIT')
  } catch (err) {
    if (db.inTransaction) db.exec('ROLLBACK')
    throw err
  }
}

/** `write` in an IMMEDIATE transaction if the write lock is free now; false, with nothing run, if another connection holds it. */
export function writeNow(db: Database, write: () => void): boolean {
  if (!beginNow(db)) return false
  runAndCommit(db, write, true)
  return true
}

export interface LockWait {
  /** Give up after this long ('busy'); the connection's busy_timeout unless given. The wait for this process's own long write (longWrite) does not count. */
  maxWaitMs?: number
  /** Checked after each wait: once aborted, nothing is written and the abort is thrown. */
  signal?: AbortSignal
  /** All or nothing: a `write` that throws is rolled back whole (see runAndCommit). */
  atomic?: boolean
}

/**
 * `write` in an IMMEDIATE transaction once the write lock is free, waiting for it off the event loop.
 * Its result is `write`'s (a promise `write` returns is handed back as it is: only its synchronous
 * part runs in the transaction). Inside a transaction already (the synchronous part of a request
 * that holds the lock), `write` runs at once, within it.
 */
export async function writeWhenFree<T>(db: Database, write: () => T, wait: LockWait = {}): Promise<T> {
  if (db.inTransaction) return write()
  // Read only once it must wait: a label that finds the lock free (nearly all) asks nothing more.
  let maxWaitMs: number | undefined
  let started = performance.now()
  for (let attempt = 0; !beginNow(db); attempt++) {
    const ownEnd = ownLongWritesEnd(db.name)
    if (ownEnd) {
      // Ours: wait for its end (looking at the signal now and then), then as long again as for anyone else's.
      await Promise.race([ownEnd, sleep(OWN_WRITE_CHECK_MS)])
      started = performance.now()
      attempt = -1
    } else {
      maxWaitMs ??= wait.maxWaitMs ?? (db.pragma('busy_timeout', { simple: true }) as number)
      if (performance.now() - started >= maxWaitMs) {
        throw new AppError('busy', `The store ${db.name} is busy: another process has held its write lock for over ${(maxWaitMs / 1000).toFixed(1)} s. Nothing was written; try again.`)
      }
      await sleep(RETRY_MS[Math.min(attempt, RETRY_MS.length - 1)])
    }
    wait.signal?.throwIfAborted()
    if (!db.open) throw new AppError('busy', `The store ${db.name} was closed before its write lock came free. Nothing was written.`)
  }
  return runAndCommit(db, write, wait.atomic ?? false)
}
