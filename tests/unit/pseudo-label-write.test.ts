// A finished run's pseudo-labels and their review order are written a chunk per transaction (the
// store's write lock is let go in between) and marked done in a last one: what is stored is what the run proposed, and a run
// cancelled while its rows are written keeps none of them.
import { describe, expect, it } from 'vitest'
import { RunsRepo } from '#main/db/runs-repo'
import { rowSource, type PseudoLabelRow } from './support/pseudo-label-rows'
import { SENTIMENTS } from '#shared/vocabulary'
import { ensureRanked } from '#main/review/ranking'
import { riskModelOf } from '#main/review/risk'
import { testBackend } from './support/backend'
import { seedProject } from './support/posts'

function setup(posts = 7) {
  const backend = testBackend()
  const { projectId, postIds } = seedProject(backend.store, posts)
  const db = backend.store.db
  const runId = Number(db.prepare("INSERT INTO runs (project_id, method, status) VALUES (?, 'scdr', 'running')").run(projectId).lastInsertRowid)
  const rows: PseudoLabelRow[] = postIds.map((postId, i) => ({
    postId,
    label: SENTIMENTS[i % 3]!,
    confidence: 0.4 + i / 20,
    textLabel: SENTIMENTS[(i + 1) % 3]!,
    textConfidence: 0.5,
    imageLabel: null,
    imageConfidence: null,
    modality: 'common',
    // Odd rows: the PLF rule ran and its numbers are kept; even rows: it did not, and say why.
    plfDecision: i % 2 ? (i % 4 === 1 ? 'kept' : 'filtered') : 'not-applicable',
    plfReason: i % 2 ? null : `reason ${i}`,
    plfCeText: i % 2 ? i / 7 : null,
    plfCeImage: i % 2 ? 1 + i / 9 : null,
    plfThreshold: i % 2 ? 0.5 + i / 100 : null,
    loss: i === 0 ? null : i / 10,
  }))
  const stored = () =>
    db.prepare(`SELECT post_id AS postId, label, confidence, text_label AS textLabel, text_confidence AS textConfidence, image_label AS imageLabel,
      image_confidence AS imageConfidence, modality, plf_decision AS plfDecision, plf_reason AS plfReason, plf_ce_text AS plfCeText,
      plf_ce_image AS plfCeImage, plf_threshold AS plfThreshold, loss FROM pseudo_labels WHERE run_id = ? ORDER BY post_id`).all(runId)
  const status = () => (db.prepare('SELECT status FROM runs WHERE id = ?').get(runId) as { status: string }).status
  return { backend, db, runId, rows, stored, status, runs: new RunsRepo(db) }
}

const results = (pseudoLabels: PseudoLabelRow[]) => ({ step: 3, selectedStep: 3, elapsedMs: 5, reports: {}, curves: [{ step: 1, series: 'loss' as const, value: 0.5 }], pseudoLabels: rowSource(pseudoLabels) })

describe('writing a run\'s pseudo-labels', () => {
  it('stores every row as proposed and their review order, three to a transaction, and marks the run done last', async () => {
    const { backend, db, rows, stored, status, runs, runId } = setup()
    const seen: string[] = []
    await runs.saveResults(runId, results(rows), {
      chunk: 3,
      between: async () => {
        // Between two chunks the run is not done yet: nothing shows its rows.
        seen.push(status())
      },
    })
    // 7 rows, then their 7 places in the review order: 3 + 3 + 1 each.
    expect(seen).toEqual(['running', 'running', 'running', 'running'])
    expect(status()).toBe('done')
    expect(stored()).toEqual(rows)
    // The order written with the run is the one its first review would have made from the stored rows.
    const order = () => db.prepare('SELECT risk_rank, confidence_rank, post_id FROM review_order WHERE run_id = ? ORDER BY risk_rank').all(runId)
    const written = order()
    expect(written).toHaveLength(rows.length)
    db.prepare('DELETE FROM review_order WHERE run_id = ?').run(runId)
    ensureRanked(backend.store.review, runId, riskModelOf(backend.store.runs.calibration(runId)))
    expect(order()).toEqual(written)
  })

  it('stores every row of a run larger than one INSERT (50 rows a statement), across chunks that split the statements', async () => {
    for (const chunk of [undefined, 60]) {
      const { db, rows, stored, status, runs, runId } = setup(123)
      await runs.saveResults(runId, results(rows), chunk ? { chunk } : {})
      expect(status()).toBe('done')
      expect(stored()).toEqual(rows)
      const order = db.prepare('SELECT risk_rank AS risk, confidence_rank AS confidence, post_id AS postId FROM review_order WHERE run_id = ?').all(runId) as Array<{ risk: number; confidence: number; postId: number }>
      expect(new Set(order.map((r) => r.postId))).toEqual(new Set(rows.map((r) => r.postId)))
      expect(order.map((r) => r.risk).sort((a, b) => a - b)).toEqual(rows.map((_, i) => i))
      expect(order.map((r) => r.confidence).sort((a, b) => a - b)).toEqual(rows.map((_, i) => i))
    }
  })

  it("keeps the PLF rule's numbers, not a sentence per post, and the review queue words them", async () => {
    const { backend, rows, runs, runId, db } = setup(4)
    const plf = (modality: string, decision: string, numbers: [number, number, number] | null, reason: string | null) => ({
      modality,
      plfDecision: decision,
      plfReason: reason,
      plfCeText: numbers?.[0] ?? null,
      plfCeImage: numbers?.[1] ?? null,
      plfThreshold: numbers?.[2] ?? null,
    })
    const verdicts = [
      plf('common', 'kept', [0.2, 0.3, 0.5], null),
      plf('common', 'filtered', [1.2, 0.1, 0.5], null),
      plf('text', 'kept', [0.9, 0.9, 0.5], null),
      plf('common', 'not-applicable', null, 'the pseudo-label filter ran only in the first steps of this run'),
    ]
    await runs.saveResults(runId, results(rows.map((r, i) => ({ ...r, ...verdicts[i]! }))))
    expect(db.prepare('SELECT count(*) AS n FROM pseudo_labels WHERE run_id = ? AND plf_reason IS NOT NULL').get(runId)).toEqual({ n: 1 })
    const page = await backend.call('review.queue', { runId, offset: 0, limit: 50, order: 'confidence' })
    const reasons = Object.fromEntries(page.items.map((item) => [item.postId, [item.plfDecision, item.plfReason]]))
    expect(rows.map((r) => reasons[r.postId])).toEqual([
      ['kept', 'common feature agrees with both unimodal pseudo-labels (CE text 0.200, image 0.300 ≤ 0.500)'],
      ['filtered', 'text head on the common feature disagrees with the text pseudo-label (CE 1.200 > 0.500)'],
      ['kept', 'text-private feature selected: PLF checks only posts resting on the common feature'],
      ['not-applicable', 'the pseudo-label filter ran only in the first steps of this run'],
    ])
  })

  it('keeps none of the rows of a run when the store refuses one of them mid-write, and keeps its statement journals in memory', async () => {
    const { db, rows, stored, status, runs, runId } = setup(123)
    // Row 80 fails its CHECK inside the second INSERT of the second chunk, which the writer runs in
    // the chunk's transaction (no savepoint of its own): nothing of the run stays.
    const refused = rows.map((r, i) => (i === 80 ? { ...r, label: 'bogus' } : r))
    await expect(runs.saveResults(runId, results(refused), { chunk: 60 })).rejects.toThrow(/CHECK constraint failed/)
    expect(stored()).toEqual([])
    expect(db.prepare('SELECT count(*) AS n FROM review_order WHERE run_id = ?').get(runId)).toEqual({ n: 0 })
    expect(status()).toBe('running')
    // Multi-row INSERTs journal each statement's pages; in memory, not in a temporary file.
    expect(db.pragma('temp_store', { simple: true })).toBe(2)
  })

  it('keeps none of the rows of a run cancelled while they are written, and refuses a run that is not running', async () => {
    const { rows, stored, status, runs, runId } = setup()
    await expect(
      runs.saveResults(runId, results(rows), {
        chunk: 2,
        between: async () => {
          runs.end(runId, 'cancelled', null)
        },
      }),
    ).rejects.toThrow(`run ${runId} is no longer running; its results were not saved`)
    expect(status()).toBe('cancelled')
    expect(stored()).toEqual([])
    await expect(runs.saveResults(runId, results(rows))).rejects.toThrow('is no longer running')
    expect(stored()).toEqual([])
  })
})
