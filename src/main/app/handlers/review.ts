// Review: a run's pseudo-labels riskiest first, decisions with undo, bulk accept above a confidence.
import { REVIEW_ACTIONS, REVIEW_FILTERS, REVIEW_ORDERS } from '#shared/review'
import { SENTIMENTS } from '#shared/vocabulary'
import type { ReviewRun } from '#main/db/review-repo'
import { bulkPreview, reviewQueue } from '#main/review/review-queue'
import { ReviewWriter } from '#main/review/review-writer'
import { notFound } from '#main/core/errors'
import * as v from '../validate'
import type { HandlerContext, HandlerGroup } from './context'

type ReviewMethods = 'review.queue' | 'review.decide' | 'review.undo' | 'review.bulkPreview' | 'review.bulkAccept'

const PAGE_MAX = 200
const OFFSET_MAX = 100_000_000

export function reviewHandlers({ store, events }: HandlerContext): HandlerGroup<ReviewMethods> {
  const writer = new ReviewWriter(store)

  function requireRun(p: v.Payload): ReviewRun {
    const runId = v.id(p, 'runId')
    const run = store.review.run(runId)
    if (!run) throw notFound(`No run with id ${runId}`)
    return run
  }

  const changed = (run: ReviewRun): void => events.emit('review.changed', { runId: run.id, projectId: run.projectId })
  /** Many posts' labels changed at once: windows reload their counts and pages rather than take one event each. */
  const manyChanged = (run: ReviewRun): void => {
    changed(run)
    events.emit('projects.changed', { projectId: run.projectId })
  }

  return {
    handlers: {
      'review.queue': (payload) => {
        const p = v.object(payload, 'review.queue')
        const run = requireRun(p)
        return reviewQueue(store, run, {
          order: v.oneOf(p, 'order', REVIEW_ORDERS) ?? 'risk',
          filter: v.oneOf(p, 'filter', REVIEW_FILTERS) ?? 'all',
          offset: v.int(p, 'offset', 0, OFFSET_MAX, 0),
          limit: v.int(p, 'limit', 1, PAGE_MAX),
        })
      },

      'review.decide': (payload) => {
        const p = v.object(payload, 'review.decide')
        const run = requireRun(p)
        const kind = v.requiredOneOf(p, 'kind', REVIEW_ACTIONS)
        const label = v.oneOf(p, 'label', SENTIMENTS)
        const annotator = v.personName(p, 'annotator')!
        const decided = writer.decide({ run, postId: v.id(p, 'postId'), kind, label, annotator })
        changed(run)
        events.emit('labels.changed', { projectId: run.projectId, postId: decided.postId, labels: decided.labels, annotator })
        return { postId: decided.postId, decision: decided.decision, undoable: true }
      },

      'review.undo': (payload) => {
        const p = v.object(payload, 'review.undo')
        const run = requireRun(p)
        const annotator = v.personName(p, 'annotator')!
        const undone = writer.undo(run, annotator)
        if (!undone) return { undone: null }
        const [postId] = undone.postIds as [number]
        if (undone.postIds.length > 1) manyChanged(run)
        else {
          changed(run)
          events.emit('labels.changed', { projectId: run.projectId, postId, labels: store.annotations.postLabels(postId).labels, annotator })
        }
        return { undone: { postId, posts: undone.postIds.length } }
      },

      'review.bulkPreview': (payload) => {
        const p = v.object(payload, 'review.bulkPreview')
        return bulkPreview(store, requireRun(p), v.number(p, 'minConfidence', 0, 1))
      },

      'review.bulkAccept': (payload) => {
        const p = v.object(payload, 'review.bulkAccept')
        const run = requireRun(p)
        const minConfidence = v.number(p, 'minConfidence', 0, 1)
        const result = writer.bulkAccept(run, minConfidence, v.personName(p, 'annotator')!)
        if (result.accepted > 0) manyChanged(run)
        return result
      },
    },
  }
}
