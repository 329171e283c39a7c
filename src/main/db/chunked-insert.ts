// Many rows into one table without holding the store's write lock for long: a chunk of rows per
// transaction, several rows per INSERT, and pauses in between that another connection's writer can
// use (and in which the writer's own process reads its messages: a cancel, say).
//
// A turn of the event loop between two chunks lets this process's messages through, but leaves the
// lock free for microseconds only: another process's writer, trying every few milliseconds
// (write-lock.ts; SQLite's own busy handler, which waited 1, 2, 5, 10, 15, 20 … ms on the shell's
// loop, made a label wait 250 ms), lands in one of those only now and then. So after each SLICE_MS of
// writing the writer sleeps GAP_MS, in which a waiter's next try falls wherever in the slice it began.
// The gaps cost a third of the write's time, so the writer leaves them only while another connection
// is writing too: one committed within the last OTHERS_MS (`PRAGMA data_version`, a counter of other
// connections' commits, read without I/O; `watchOtherWriters` takes its first reading when the
// connection opens). Otherwise a label waits for a chunk boundary it happens to hit: 1–137 ms,
// median 17 ms, in docs/RESULTS.md "Sixth round". Each chunk waits for the lock off the event loop
// too (write-lock.ts): the writer's own messages keep coming in while another connection holds it.
import { setTimeout as sleep } from 'node:timers/promises'
import type { Database, Statement } from 'better-sqlite3'
import { nextTurn } from '#main/core/loop-turns'
import { writeWhenFree } from './write-lock'

/** Rows per transaction: 2,000 held the lock 117-434 ms at load 16 on 2 cores (`npm run bench inference`); 500 is a quarter of that. */
export const WRITE_CHUNK = 500

/** Writing time after which the writer leaves the lock free for GAP_MS (see above). */
export const SLICE_MS = 30
export const GAP_MS = 15
/** How recently another connection must have committed for the writer to leave gaps: a person labeling commits every few seconds. */
export const OTHERS_MS = 60_000

/** Per connection: the last `data_version` read, and when it last changed (another connection committed). */
const others = new WeakMap<Database, { version: number; at: number }>()

/** Starts watching for other connections' commits on `db` (the trainer calls it when it opens its connection). */
export function watchOtherWriters(db: Database): void {
  others.set(db, { version: db.pragma('data_version', { simple: true }) as number, at: -Infinity })
}

/** Whether another connection committed within OTHERS_MS (false for a connection nobody watches). */
function othersWriting(db: Database): boolean {
  const seen = others.get(db)
  if (!seen) return false
  const version = db.pragma('data_version', { simple: true }) as number
  const now = performance.now()
  const at = version === seen.version ? seen.at : now
  others.set(db, { version, at })
  return now - at < OTHERS_MS
}

export interface ChunkedWrite {
  /** Rows per transaction. */
  chunk?: number
  /** Awaited between two chunks, in place of the fair pauses (tests and benches step the write with it). */
  between?: () => Promise<void>
  /** Checked after each pause and each wait for the lock: once aborted, the write throws before its next chunk. */
  signal?: AbortSignal
  /** Told how long each chunk's transaction took, commit included (the bench's longest write). */
  chunkMs?: (ms: number) => void
  /** Told the rows written so far, after each chunk. */
  written?: (rows: number) => void
}

/** A turn of the event loop after each chunk, and, while another connection writes too, a GAP_MS sleep after each SLICE_MS of writing. */
function fairPauses(db: Database): () => Promise<void> {
  let slice = performance.now()
  return async () => {
    if (performance.now() - slice < SLICE_MS || !othersWriting(db)) return await nextTurn()
    await sleep(GAP_MS)
    slice = performance.now()
  }
}

/**
 * `write(start, end)` for each chunk of `count` rows, each in a transaction of its own on `db` (its
 * lock waited for off the event loop; a chunk that throws is rolled back whole), pausing in between
 * (fair pauses unless `between` is given). `write` opens no transaction: one nested in the chunk's
 * would be a savepoint, journaling every page it changes a second time.
 */
export async function inChunks(db: Database, count: number, write: (start: number, end: number) => void, options: ChunkedWrite): Promise<void> {
  const chunk = options.chunk ?? WRITE_CHUNK
  const pause = options.between ?? fairPauses(db)
  for (let start = 0; start < count; start += chunk) {
    if (start > 0) {
      await pause()
      options.signal?.throwIfAborted()
    }
    const end = Math.min(count, start + chunk)
    // The chunk's time starts once the lock is held.
    let started = 0
    await writeWhenFree(
      db,
      () => {
        started = performance.now()
        write(start, end)
      },
      { signal: options.signal, atomic: true },
    )
    options.chunkMs?.(performance.now() - started)
    options.written?.(end)
  }
}

/** Rows per INSERT statement: 50 rows a statement wrote 100,000 pseudo-labels ~30 % faster than a statement each (the binding's cost per call). */
const ROWS_PER_STATEMENT = 50

/**
 * `INSERT <into> VALUES (…), (…), …` for rows start…end, ROWS_PER_STATEMENT a statement (fewer for
 * the last); `values(i, out, at)` puts row i's `columns` values at out[at…].
 *
 * Such a statement inside a transaction keeps a statement journal (a copy of each page it changes,
 * so that a row failing its constraints undoes the rows before it), and so does a savepoint. Past
 * 64 KiB SQLite writes that journal to a temporary file: ~120 MB of writes for a run's 100,000
 * pseudo-labels and their order. Every connection keeps its temporary files in memory (`temp_store`,
 * openDatabase in store.ts).
 */
export function multiRowInsert(db: Database, into: string, columns: number, values: (i: number, out: unknown[], at: number) => void): (start: number, end: number) => void {
  const statements = new Map<number, Statement>()
  const row = `(${new Array<string>(columns).fill('?').join(', ')})`
  const statement = (rows: number): Statement => {
    let prepared = statements.get(rows)
    if (!prepared) statements.set(rows, (prepared = db.prepare(`INSERT ${into} VALUES ${new Array<string>(rows).fill(row).join(', ')}`)))
    return prepared
  }
  return (start, end) => {
    for (let at = start; at < end; at += ROWS_PER_STATEMENT) {
      const rows = Math.min(ROWS_PER_STATEMENT, end - at)
      const args = new Array<unknown>(rows * columns)
      for (let k = 0; k < rows; k++) values(at + k, args, k * columns)
      statement(rows).run(args)
    }
  }
}
