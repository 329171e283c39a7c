// A finished run's pseudo-labels written a chunk of rows per transaction (100,000 rows in one held
// the store's write lock 1-4 s, and a shell waiting on it stalls its event loop), with a turn of the
// event loop in between so another connection's writer gets the lock. The rows belong to a run
// still 'running': nothing shows them until RunsRepo.saveResults marks it done in its last transaction.
import type { Database } from 'better-sqlite3'

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
}

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

export async function writePseudoLabels(db: Database, runId: number, rows: readonly PseudoLabelRow[], options: ChunkedWrite = {}): Promise<void> {
  const chunk = options.chunk ?? PSEUDO_CHUNK
  const insert = db.prepare(`INSERT INTO pseudo_labels (run_id, post_id, label, confidence, text_label, text_confidence, image_label,
    image_confidence, modality, plf_decision, plf_reason, loss) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
  const write = db.transaction((start: number, end: number) => {
    for (let i = start; i < end; i++) {
      const p = rows[i]!
      const loss = p.loss !== null && Number.isFinite(p.loss) ? p.loss : null
      insert.run(runId, p.postId, p.label, p.confidence, p.textLabel, p.textConfidence, p.imageLabel, p.imageConfidence, p.modality, p.plfDecision, p.plfReason, loss)
    }
  }).immediate
  for (let start = 0; start < rows.length; start += chunk) {
    if (start > 0) await (options.between ?? nextTurn)()
    write(start, Math.min(rows.length, start + chunk))
  }
}
