// Review: a run's pseudo-labels riskiest first, decisions with undo, bulk accept above a confidence
// (the last two written a chunk at a time, review-writer.ts).
import type { ReviewRun } from '#main/db/review-repo'
import { ReviewWriter } from '#main/review/review-writer'
import type { HandlerContext, HandlerGroup } from './context'
import { requireRun as requireRunIn } from './lookups'

type ReviewMethods = 'review.decide' | 'review.undo' | 'review.bulkAccept'

export function reviewHandlers({ store, events }: HandlerContext): HandlerGroup<ReviewMethods> {
  const writer = new ReviewWriter(store)

  const requireRun = (runId: number): ReviewRun => requireRunIn(store, runId)

  const changed = (run: ReviewRun): void => events.emit('review.changed', { runId: run.id, projectId: run.projectId })
  /** Many posts' labels changed at once: windows reload their counts and pages rather than take one event each. */
  const manyChanged = (run: ReviewRun): void => {
    changed(run)
    events.emit('projects.changed', { projectId: run.projectId })
  }

  return {
    handlers: {

      'review.decide': ({ runId, postId, kind, label, annotator, replaces }) => {
        const run = requireRun(runId)
        const decided = writer.decide({ run, postId, kind, label, annotator, replaces })
        changed(run)
        events.emit('labels.changed', { projectId: run.projectId, postId: decided.postId, labels: decided.labels, annotator })
        return { postId: decided.postId, decision: decided.decision, replaced: decided.replaced, undoable: true }
      },

      'review.undo': async ({ runId, annotator }) => {
        const run = requireRun(runId)
        const undone = await writer.undo(run, annotator).catch((err: unknown) => {
          // A step undone in part before the failure changed labels too.
          manyChanged(run)
          throw err
        })
        if (!undone) return { undone: null }
        const [postId] = undone.postIds as [number]
        if (undone.postIds.length > 1) manyChanged(run)
        else {
          changed(run)
          events.emit('labels.changed', { projectId: run.projectId, postId, labels: store.annotations.postLabels(postId).labels, annotator })
        }
        return { undone: { postId, posts: undone.postIds.length } }
      },


      'review.bulkAccept': async ({ runId, minConfidence, annotator }) => {
        const run = requireRun(runId)
        const result = await writer.bulkAccept(run, minConfidence, annotator).catch((err: unknown) => {
          // Chunks committed before the failure stay accepted: windows reload.
          manyChanged(run)
          throw err
        })
        if (result.accepted > 0) manyChanged(run)
        return result
      },
    },
  }
}
