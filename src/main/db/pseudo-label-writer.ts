// A finished run's pseudo-labels (and its review order) written a chunk of rows per transaction (100,000 rows in one held
// the store's write lock 1-4 s, and a shell waiting on it stalls its event loop), with a turn of the
// event loop in between so another connection's writer gets the lock. The rows belong to a run
// still 'running': nothing shows them until RunsRepo.saveResults marks it done in its last transaction.
import type { Database } from 'better-sqlite3'
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

export async function writePseudoLabels(db: Database, runId: number, rows: readonly PseudoLabelRow[], options: ChunkedWrite = {}): Promise<void> {
  const insert = db.prepare(`INSERT INTO pseudo_labels (run_id, post_id, label, confidence, text_label, text_confidence, image_label,
    image_confidence, modality, plf_decision, plf_reason, loss) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
  const write = db.transaction((start: number, end: number) => {
    for (let i = start; i < end; i++) {
      const p = rows[i]!
      const loss = p.loss !== null && Number.isFinite(p.loss) ? p.loss : null
      insert.run(runId, p.postId, p.label, p.confidence, p.textLabel, p.textConfidence, p.imageLabel, p.imageConfidence, p.modality, p.plfDecision, p.plfReason, loss)
    }
  }).immediate
  await inChunks(rows.length, write, options)
}

/**
 * The run's review order (ml/review-order.ts), written after its pseudo-labels the same way: in one
 * transaction the 100,000 rows held the write lock 0.4-0.9 s on the read thread's connection. A
 * rank already there (a page asked for while the run was still writing ranked the rows then) is
 * replaced, so the order at the end is this one whole.
 */
export async function writeReviewOrder(db: Database, runId: number, ranks: readonly Ranked[], options: ChunkedWrite = {}): Promise<void> {
  const insert = db.prepare('INSERT OR REPLACE INTO review_order (run_id, risk_rank, confidence_rank, post_id) VALUES (?, ?, ?, ?)')
  const write = db.transaction((start: number, end: number) => {
    for (let i = start; i < end; i++) insert.run(runId, ranks[i]!.riskRank, ranks[i]!.confidenceRank, ranks[i]!.postId)
  }).immediate
  await inChunks(ranks.length, write, options)
}
