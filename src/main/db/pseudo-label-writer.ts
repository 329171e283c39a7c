// A finished run's pseudo-labels (and its review order) written a chunk of rows per transaction (100,000 rows in one held
// the store's write lock 1-4 s, and a shell waiting on it stalls its event loop), with a turn of the
// event loop in between so another connection's writer gets the lock. The rows belong to a run
// still 'running': nothing shows them until RunsRepo.saveResults marks it done in its last transaction.
// Each chunk's transaction is inChunks'; the writers open none: one nested in it would be a savepoint,
// journaling every page the chunk changes a second time (~15 % of the write; docs/RESULTS.md, fifth round).
import type { Database } from 'better-sqlite3'
import type { Ranked } from '#main/ml/review-order'
import { inChunks, multiRowInsert, type ChunkedWrite } from './chunked-insert'

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
  /** Why the PLF rule did not run on the post; null where it did, and the three numbers it judged are kept instead (the review queue words them). */
  plfReason: string | null
  plfCeText: number | null
  plfCeImage: number | null
  plfThreshold: number | null
  loss: number | null
}

export async function writePseudoLabels(db: Database, runId: number, rows: readonly PseudoLabelRow[], options: ChunkedWrite = {}): Promise<void> {
  const insert = multiRowInsert(
    db,
    `INTO pseudo_labels (run_id, post_id, label, confidence, text_label, text_confidence, image_label, image_confidence, modality, plf_decision, plf_reason, plf_ce_text, plf_ce_image, plf_threshold, loss)`,
    15,
    (i, out, at) => {
      const p = rows[i]!
      // Straight into the statement's arguments: no array a row on this path of 100,000 rows.
      out[at] = runId
      out[at + 1] = p.postId
      out[at + 2] = p.label
      out[at + 3] = p.confidence
      out[at + 4] = p.textLabel
      out[at + 5] = p.textConfidence
      out[at + 6] = p.imageLabel
      out[at + 7] = p.imageConfidence
      out[at + 8] = p.modality
      out[at + 9] = p.plfDecision
      out[at + 10] = p.plfReason
      out[at + 11] = p.plfCeText
      out[at + 12] = p.plfCeImage
      out[at + 13] = p.plfThreshold
      out[at + 14] = p.loss !== null && Number.isFinite(p.loss) ? p.loss : null
    },
  )
  await inChunks(db, rows.length, insert, options)
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
  await inChunks(db, ranks.length, insert, options)
}
