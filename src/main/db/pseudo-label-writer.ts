// A finished run's pseudo-labels (and its review order) written a chunk of rows per transaction (100,000 rows in one held
// the store's write lock 1-4 s, and a shell waiting on it stalls its event loop), with a turn of the
// event loop in between so another connection's writer gets the lock. The rows belong to a run
// still 'running': nothing shows them until RunsRepo.saveResults marks it done in its last transaction.
import type { Database, Statement } from 'better-sqlite3'
import type { Ranked } from '#main/ml/review-order'

/** One pseudo-label as the store keeps it (labels by name). */
export interface PseudoLabelRow {
  postId: number
  label: string
  confidence: number
  textLabel: string | null
  textConfidence: number | null
  imageLabel: string | null
  imageConfidence: number | null
  modality: string | null
  plfDecision: string
  plfReason: string
  loss: number | null
}

/** Rows per transaction: 2,000 held the lock 117-434 ms at load 16 on 2 cores (`npm run bench inference`); 500 is a quarter of that. */
export const PSEUDO_CHUNK = 500

export interface ChunkedWrite {
  /** Rows per transaction. */
  chunk?: number
  /** Awaited between two chunks; the next turn of the event loop by default. */
  between?: () => Promise<void>
  /** Told how long each chunk's transaction took, commit included (the bench's longest write). */
  chunkMs?: (ms: number) => void
}

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

/** `write(start, end)`, one transaction, for each chunk of `count` rows, awaiting `between` in between. */
async function inChunks(count: number, write: (start: number, end: number) => void, options: ChunkedWrite): Promise<void> {
  const chunk = options.chunk ?? PSEUDO_CHUNK
  for (let start = 0; start < count; start += chunk) {
    if (start > 0) await (options.between ?? nextTurn)()
    const started = performance.now()
    write(start, Math.min(count, start + chunk))
    options.chunkMs?.(performance.now() - started)
  }
}

/** Rows per INSERT statement: 50 rows a statement wrote 100,000 pseudo-labels ~30 % faster than a statement each (the binding's cost per call). */
const ROWS_PER_STATEMENT = 50

/**
 * `INSERT <into> VALUES (…), (…), …` for rows start…end, ROWS_PER_STATEMENT a statement (fewer for
 * the last); `values(i, out, at)` puts row i's `columns` values at out[at…].
 */
function multiRowInsert(db: Database, into: string, columns: number, values: (i: number, out: unknown[], at: number) => void): (start: number, end: number) => void {
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

export async function writePseudoLabels(db: Database, runId: number, rows: readonly PseudoLabelRow[], options: ChunkedWrite = {}): Promise<void> {
  const insert = multiRowInsert(
    db,
    `INTO pseudo_labels (run_id, post_id, label, confidence, text_label, text_confidence, image_label, image_confidence, modality, plf_decision, plf_reason, loss)`,
    12,
    (i, out, at) => {
      const p = rows[i]!
      const loss = p.loss !== null && Number.isFinite(p.loss) ? p.loss : null
      const values = [runId, p.postId, p.label, p.confidence, p.textLabel, p.textConfidence, p.imageLabel, p.imageConfidence, p.modality, p.plfDecision, p.plfReason, loss]
      for (let k = 0; k < values.length; k++) out[at + k] = values[k]
    },
  )
  await inChunks(rows.length, db.transaction(insert).immediate, options)
}

/**
 * The run's review order (ml/review-order.ts), written after its pseudo-labels the same way: in one
 * transaction the 100,000 rows held the write lock 0.4-0.9 s on the read thread's connection. A
 * rank already there (a page asked for while the run was still writing ranked the rows then) is
 * replaced, so the order at the end is this one whole.
 */
export async function writeReviewOrder(db: Database, runId: number, ranks: readonly Ranked[], options: ChunkedWrite = {}): Promise<void> {
  const insert = multiRowInsert(db, 'OR REPLACE INTO review_order (run_id, risk_rank, confidence_rank, post_id)', 4, (i, out, at) => {
    const r = ranks[i]!
    out[at] = runId
    out[at + 1] = r.riskRank
    out[at + 2] = r.confidenceRank
    out[at + 3] = r.postId
  })
  await inChunks(ranks.length, db.transaction(insert).immediate, options)
}
