// The review queue: a run's pseudo-labels a page at a time, riskiest (or least confident) first,
// each with its heads' predictions, the filter's verdict, its risk and reasons, and the decision
// in effect. The run is ranked once (ranking.ts); a page is then a walk along that ranking.
import type { HeadPrediction, ReliedModality, ReviewBulkPreview, ReviewFilter, ReviewItem, ReviewOrder, ReviewQueuePage, ReviewScope } from '#shared/review'
import type { Sentiment } from '#shared/vocabulary'
import type { PseudoRow, ReviewRun } from '#main/db/review-repo'
import type { Store } from '#main/db/store'
import { ensureRanked } from './ranking'
import { assessRisk, riskModelOf } from './risk'
import type { RiskModel } from '#shared/calibration'
import { countByClass } from './class-counts'
import { existingLabel } from './existing-label'

export interface QueueInput {
  order: ReviewOrder
  filter: ReviewFilter
  offset: number
  limit: number
  scope: ReviewScope
}

const RELIED: ReadonlySet<string> = new Set<ReliedModality>(['text', 'image', 'common'])

const head = (label: Sentiment | null, confidence: number | null): HeadPrediction | null =>
  label === null || confidence === null ? null : { label, confidence }

function toItem(store: Store, run: ReviewRun, model: RiskModel, row: PseudoRow): ReviewItem {
  const post = store.posts.get(run.projectId, row.postId)
  if (!post) throw new Error(`Pseudo-label of run ${run.id} names post ${row.postId}, which is not in project ${run.projectId}`)
  const { risk, reasons } = assessRisk(model, row)
  return {
    postId: row.postId,
    externalId: post.externalId,
    post,
    proposed: row.label,
    confidence: row.confidence,
    text: head(row.textLabel, row.textConfidence),
    image: head(row.imageLabel, row.imageConfidence),
    modality: row.modality !== null && RELIED.has(row.modality) ? (row.modality as ReliedModality) : null,
    plfDecision: row.plfDecision,
    plfReason: row.plfReason,
    loss: row.loss,
    risk,
    reasons,
    decision: row.decisionKind === null ? null : row.decisionLabel === null ? { kind: row.decisionKind } : { kind: row.decisionKind, label: row.decisionLabel },
    existing: existingLabel(store.annotations, run.id, row.postId, row.decisionKind !== null),
  }
}

export function reviewQueue(store: Store, run: ReviewRun, input: QueueInput): ReviewQueuePage {
  const model = riskModelOf(store.runs.calibration(run.id))
  ensureRanked(store.review, run.id, model)
  const rows = store.review.page({ runId: run.id, ...input })
  const counts = store.review.counts(run.id, input.scope)
  return {
    runId: run.id,
    projectId: run.projectId,
    total: counts[input.filter],
    pending: counts.pending,
    labeled: counts.labeled,
    items: rows.map((row) => toItem(store, run, model, row)),
  }
}

/** What a bulk accept at `minConfidence` would take (pending items on posts without a label, per proposed class), and what it leaves out. */
export function bulkPreview(store: Store, run: ReviewRun, minConfidence: number): ReviewBulkPreview {
  const pending = store.review.pendingAbove(run.id, minConfidence)
  return { count: pending.length, perClass: countByClass(pending), labeledLeftOut: store.review.labeledAbove(run.id, minConfidence) }
}
