// A finished run's pseudo-labels (and its review order) written a chunk of rows per transaction (100,000 rows in one held
// the store's write lock 1-4 s, and a shell waiting on it stalls its event loop), with a turn of the
// event loop in between so another connection's writer gets the lock. The rows belong to a run
// still 'running': nothing shows them until RunsRepo.saveResults marks it done in its last transaction.
// Each chunk's transaction is inChunks'; the writers open none: one nested in it would be a savepoint,
// journaling every page the chunk changes a second time (~15 % of the write; docs/RESULTS.md, fifth round).
import type { Database } from 'better-sqlite3'
import type { Ranked, RankInputs } from '#main/ml/review-order'
import { inChunks, multiRowInsert, type ChunkedWrite } from './chunked-insert'

/** The store's columns of a pseudo-label after run_id, in the order PseudoLabelSource.put fills them. */
export const PSEUDO_LABEL_COLUMNS = [
  'post_id',
  'label',
  'confidence',
  'text_label',
  'text_confidence',
  'image_label',
  'image_confidence',
  'modality',
  'plf_decision',
  'plf_reason',
  'plf_ce_text',
  'plf_ce_image',
  'plf_threshold',
  'loss',
] as const

/**
 * A run's pseudo-labels as the writer reads them: each row's values put straight into a statement's
 * arguments, and what the review order ranks by. The trainer's source reads the columns of its last
 * pass in place (training/worker/stored-pseudo-labels.ts): no object per post, of 100,000.
 */
export interface PseudoLabelSource extends RankInputs {
  /**
   * Row i's values for PSEUDO_LABEL_COLUMNS, in order, at out[at…]: labels by name, a loss that is not
   * finite as null; plf_reason only where the PLF rule did not run, its three numbers where it did.
   */
  put(i: number, out: unknown[], at: number): void
}

export async function writePseudoLabels(db: Database, runId: number, rows: PseudoLabelSource, options: ChunkedWrite = {}): Promise<void> {
  const width = PSEUDO_LABEL_COLUMNS.length + 1
  const insert = multiRowInsert(db, `INTO pseudo_labels (run_id, ${PSEUDO_LABEL_COLUMNS.join(', ')})`, width, (i, out, at) => {
    out[at] = runId
    rows.put(i, out, at + 1)
  })
  await inChunks(db, rows.count, insert, options)
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
