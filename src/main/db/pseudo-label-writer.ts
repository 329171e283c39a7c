// A finished run's pseudo-labels (and its review order) written a chunk of rows per transaction (100,000 rows in one held
// the store's write lock 1-4 s, and a shell waiting on it stalls its event loop), with a turn of the
// event loop in between so another connection's writer gets the lock. The rows belong to a run
// still 'running': nothing shows them until RunsRepo.saveResults marks it done in its last transaction.
// Each chunk's transaction is inChunks'; the writers open none: one nested in it would be a savepoint,
// journaling every page the chunk changes a second time (~15 % of the write; docs/RESULTS.md, fifth round).
// Each chunk also adds its rows to the run's kept review counts (migration 12), so a run is counted
// once written: the first review page of a 100,000-post run no longer counts them in one write
// transaction (63-124 ms holding the lock, `npm run bench pseudo-labelling`).
import type { Database } from 'better-sqlite3'
import type { Ranked, RankInputs } from '#main/ml/review-order'
import { inChunks, multiRowInsert, type ChunkedWrite } from './chunked-insert'
import { CELLS, COUNT_CELLS } from './migration-review-counts'

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

/**
 * Adds rows start…end of `rows`, just written, to run `runId`'s kept review counts, its four cells
 * made first: the cells a walk of the run's pseudo-labels gives (COUNT_CELLS) once every chunk is in.
 * Labels set between two chunks are counted right either way: a row already written is moved between
 * cells by the triggers, one not yet written is counted as it stands when its chunk is.
 */
function reviewCounter(db: Database, runId: number, rows: RankInputs): (start: number, end: number) => void {
  const zeros = db.prepare(`INSERT OR IGNORE INTO review_counts (run_id, decided, labeled, n) SELECT ?, decided, labeled, 0 FROM ${CELLS}`)
  const add = db.prepare(`INSERT INTO review_counts (run_id, decided, labeled, n) ${COUNT_CELLS}
    WHERE pl.run_id = ? AND pl.post_id IN (SELECT value FROM json_each(?)) GROUP BY 1, 2, 3
    ON CONFLICT (run_id, decided, labeled) DO UPDATE SET n = n + excluded.n`)
  return (start, end) => {
    const ids = new Array<number>(end - start)
    for (let i = start; i < end; i++) ids[i - start] = rows.postId(i)
    zeros.run(runId)
    add.run(runId, JSON.stringify(ids))
  }
}

/** The run's pseudo-labels, a chunk per transaction, each chunk counted for review as it is written (see above). */
export async function writePseudoLabels(db: Database, runId: number, rows: PseudoLabelSource, options: ChunkedWrite = {}): Promise<void> {
  const width = PSEUDO_LABEL_COLUMNS.length + 1
  const insert = multiRowInsert(db, `INTO pseudo_labels (run_id, ${PSEUDO_LABEL_COLUMNS.join(', ')})`, width, (i, out, at) => {
    out[at] = runId
    rows.put(i, out, at + 1)
  })
  const count = reviewCounter(db, runId, rows)
  await inChunks(
    db,
    rows.count,
    (start, end) => {
      insert(start, end)
      count(start, end)
    },
    options,
  )
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
