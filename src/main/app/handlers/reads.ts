// The heavy reads: answered from the store alone, so they can run on any connection to it — the
// shell's own, or the read thread's (read-thread/), which keeps them off the shell's event loop at
// 100,000 posts. The project, grid, review and predict handlers use these same functions.
import type { Store } from '#main/db/store'
import { bulkPreview, reviewQueue } from '#main/review/review-queue'
import { requireProject, requireRun, type Handler } from './context'

export const READ_METHODS = ['projects.stats', 'posts.page', 'review.queue', 'review.bulkPreview', 'predict.list'] as const
export type ReadMethod = (typeof READ_METHODS)[number]

const READS: ReadonlySet<string> = new Set(READ_METHODS)
export const isReadMethod = (method: string): method is ReadMethod => READS.has(method)

export type ReadHandlers = { [M in ReadMethod]: Handler<M> }

export function readHandlers(store: Store): ReadHandlers {
  return {
    'projects.stats': ({ projectId }) => store.stats.forProject(requireProject(store, projectId)),
    'posts.page': (query) => store.posts.page({ ...query, projectId: requireProject(store, query.projectId) }),
    'review.queue': ({ runId, ...page }) => reviewQueue(store, requireRun(store, runId), page),
    'review.bulkPreview': ({ runId, minConfidence }) => bulkPreview(store, requireRun(store, runId), minConfidence),
    // Each set's counts are an aggregate over its rows (~30 ms a set of 100,000 posts).
    'predict.list': ({ projectId }) => store.predictions.list(requireProject(store, projectId)),
  }
}
