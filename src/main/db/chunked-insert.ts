// Many rows into one table without holding the store's write lock for long: a chunk of rows per
// transaction with a turn of the event loop in between (another connection's writer gets the lock,
// and the writer's own process reads its messages: a cancel, say), several rows per INSERT.
import type { Database, Statement } from 'better-sqlite3'

/** Rows per transaction: 2,000 held the lock 117-434 ms at load 16 on 2 cores (`npm run bench inference`); 500 is a quarter of that. */
export const WRITE_CHUNK = 500

export interface ChunkedWrite {
  /** Rows per transaction. */
  chunk?: number
  /** Awaited between two chunks; the next turn of the event loop by default. */
  between?: () => Promise<void>
  /** Told how long each chunk's transaction took, commit included (the bench's longest write). */
  chunkMs?: (ms: number) => void
  /** Told the rows written so far, after each chunk. */
  written?: (rows: number) => void
}

export const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

/** `write(start, end)`, one transaction, for each chunk of `count` rows, awaiting `between` in between. */
export async function inChunks(count: number, write: (start: number, end: number) => void, options: ChunkedWrite): Promise<void> {
  const chunk = options.chunk ?? WRITE_CHUNK
  for (let start = 0; start < count; start += chunk) {
    if (start > 0) await (options.between ?? nextTurn)()
    const started = performance.now()
    const end = Math.min(count, start + chunk)
    write(start, end)
    options.chunkMs?.(performance.now() - started)
    options.written?.(end)
  }
}

/** Rows per INSERT statement: 50 rows a statement wrote 100,000 pseudo-labels ~30 % faster than a statement each (the binding's cost per call). */
const ROWS_PER_STATEMENT = 50

/**
 * `INSERT <into> VALUES (…), (…), …` for rows start…end, ROWS_PER_STATEMENT a statement (fewer for
 * the last); `values(i, out, at)` puts row i's `columns` values at out[at…].
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
