// The review queue and the exports at 100,000 posts, through `dispatch` as both shells call it: a
// run with a pseudo-label for every post, its first page (which ranks the run), later pages,
// a decision, an undo, the bulk-accept preview and commit, a label check's list stored and paged,
// and each label export.
import path from 'node:path'
import type { Backend } from '#main/app/backend'
import type { Method } from '#shared/contract'
import { SENTIMENTS } from '#shared/vocabulary'
import { filledBackend, POSTS } from './fixture'
import { quantile, timeManyAsync, withScratch, type Bench, type Figure } from './harness'

const ANNOTATOR = 'bench-reviewer'

async function ok(backend: Backend, method: Method, payload: unknown): Promise<unknown> {
  const reply = await backend.dispatch(method, payload)
  if (!reply.ok) throw new Error(`${method}: ${reply.error.message}`)
  return reply.result
}

/** A finished run with a pseudo-label per post; confidences, filter drops, disagreements and losses spread deterministically. */
export function fillRun(backend: Backend, projectId: number): number {
  const db = backend.store.db
  const runId = Number(db.prepare("INSERT INTO runs (project_id, method, status) VALUES (?, 'scdr', 'done')").run(projectId).lastInsertRowid)
  const insert = db.prepare(`INSERT INTO pseudo_labels (run_id, post_id, label, confidence, text_label, text_confidence, image_label,
    image_confidence, modality, plf_decision, plf_reason, loss) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'common', ?, 'bench', ?)`)
  db.transaction(() => {
    for (let i = 0; i < POSTS; i++) {
      const label = SENTIMENTS[i % 3]!
      insert.run(runId, i + 1, label, 0.34 + ((i * 7919) % 660) / 1000, label, 0.8, SENTIMENTS[(i * 7) % 3]!, 0.6, i % 5 === 0 ? 'filtered' : 'kept', ((i * 31) % 300) / 100)
    }
  })()
  return runId
}

export const review: Bench = {
  name: 'review',
  async run() {
    return withScratch(async (dir) => {
      const { backend, projectId } = filledBackend(dir, 'review')
      const runId = fillRun(backend, projectId)
      const figures: Figure[] = []
      const fig = (metric: string, times: number[], target?: string): void => {
        figures.push({ bench: 'review', metric: `${metric}: median`, value: quantile(times, 0.5), unit: 'ms', ...(target ? { target } : {}) })
        if (times.length > 1) figures.push({ bench: 'review', metric: `${metric}: p95`, value: quantile(times, 0.95), unit: 'ms' })
      }
      const page = (offset: number, order = 'risk', scope = 'all') => ok(backend, 'review.queue', { runId, order, filter: 'pending', scope, offset, limit: 20 })
      try {
        fig(`first page of a run of ${POSTS} pseudo-labels (ranks the run, once)`, await timeManyAsync(1, () => page(0), 0))
        fig('next page, riskiest first, pending (review.queue, 20 items)', await timeManyAsync(200, () => page(0)), '< 50 ms')
        fig('a page 50,000 items deep', await timeManyAsync(50, () => page(50_000)))
        fig('a page, least confident first', await timeManyAsync(200, () => page(0, 'confidence')))
        fig('a page of posts without a label (the default scope; 4 in 5 posts carry one)', await timeManyAsync(200, () => page(0, 'risk', 'unlabeled')))
        let next = 0
        // Posts 1, 6, 11, … have no overall label (fixture.ts): an accept there replaces nothing.
        const unlabeled = (): number => 1 + 5 * ((next++ * 7919) % (POSTS / 5))
        fig('keypress → decided (review.decide accept, committed)', await timeManyAsync(500, () => ok(backend, 'review.decide', { runId, postId: unlabeled(), kind: 'accept', annotator: ANNOTATOR })), '< 16 ms')
        fig('undo (review.undo)', await timeManyAsync(200, () => ok(backend, 'review.undo', { runId, annotator: ANNOTATOR })))
        fig('bulk-accept preview at 0.9 (review.bulkPreview)', await timeManyAsync(20, () => ok(backend, 'review.bulkPreview', { runId, minConfidence: 0.9 })))
        let accepted = 0
        fig('bulk accept at 0.95 (one transaction)', await timeManyAsync(1, async () => {
          accepted = ((await ok(backend, 'review.bulkAccept', { runId, minConfidence: 0.95, annotator: ANNOTATOR })) as { accepted: number }).accepted
        }, 0))
        figures.push({ bench: 'review', metric: 'posts bulk-accepted at 0.95', value: accepted, unit: 'posts' })
        fig('undo the bulk accept', await timeManyAsync(1, () => ok(backend, 'review.undo', { runId, annotator: ANNOTATOR }), 0))
        // A label check listing one labeled post in five (a check of MVSA-Single lists about that share).
        const labeled = (backend.store.db.prepare('SELECT id FROM posts WHERE project_id = ? AND label_overall IS NOT NULL ORDER BY id').all(projectId) as { id: number }[]).map((r) => r.id)
        const listed = labeled.filter((_, i) => i % 5 === 0).map((postId, i) => ({ postId, rank: i + 1, given: 'positive' as const, givenAnnotationId: null, suggested: 'negative' as const, probabilities: { negative: 0.6, neutral: 0.2, positive: 0.2 }, margin: -0.4 }))
        const checkId = backend.store.labelChecks.create(projectId, 'default-v2', {})
        const chunks: number[] = []
        fig(`label check: its list of ${listed.length} posts stored, wall`, await timeManyAsync(1, () => backend.store.labelChecks.finish(checkId, labeled.length, listed, { chunkMs: (ms) => chunks.push(ms) }), 0))
        figures.push({ bench: 'review', metric: 'label check: the longest transaction of that store (the shell loop held)', value: Math.max(...chunks), unit: 'ms', target: '< 50 ms' })
        const checkPage = (offset: number) => ok(backend, 'labelCheck.queue', { checkId, offset, limit: 200 })
        fig('label check: a page of 200 (labelCheck.queue)', await timeManyAsync(50, () => checkPage(0)), '< 50 ms')
        fig(`label check: a page ${listed.length - 200} deep`, await timeManyAsync(50, () => checkPage(listed.length - 200)))
        for (const format of ['csv', 'jsonl', 'label-studio'] as const) {
          const file = path.join(dir, `labels.${format}`)
          fig(`export ${POSTS} posts as ${format} with the run's predictions`, await timeManyAsync(1, () => ok(backend, 'exports.labels', { projectId, format, path: file, runId }), 0))
        }
      } finally {
        backend.close()
      }
      return figures
    })
  },
}
