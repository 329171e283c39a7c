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
import { disagreementReasons, teacherOpinion } from './second-opinions'
import type { RunSecondOpinions } from '#main/db/teacher-labels-repo'
import { plfInputOf, plfReason } from '#main/training/pseudo-label-rules'

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

/** The PLF verdict in words: a stored reason as it is, else the rule's stored numbers worded. */
function plfReasonOf(row: PseudoRow): string | null {
  if (row.plfReason !== null) return row.plfReason
  const evidence = plfInputOf(row.modality, row.plfCeText, row.plfCeImage, row.plfThreshold)
  return evidence ? plfReason(evidence) : null
}

function toItem(store: Store, run: ReviewRun, model: RiskModel, opinions: RunSecondOpinions, row: PseudoRow): ReviewItem {
  const post = store.posts.get(run.projectId, row.postId)
  if (!post) throw new Error(`Pseudo-label of run ${run.id} names post ${row.postId}, which is not in project ${run.projectId}`)
  const { risk, reasons: riskReasons } = assessRisk(model, row)
  const text = head(row.textLabel, row.textConfidence)
  const image = head(row.imageLabel, row.imageConfidence)
  const teacher = teacherOpinion(opinions, row)
  // A second opinion that disagrees comes first: it is the more specific reason to look.
  const reasons = [...disagreementReasons(row.label, teacher, opinions.generated ? { text, image } : null), ...riskReasons]
  return {
    postId: row.postId,
    externalId: post.externalId,
    post,
    proposed: row.label,
    confidence: row.confidence,
    text,
    image,
    modality: row.modality !== null && RELIED.has(row.modality) ? (row.modality as ReliedModality) : null,
    teacher,
    generated: opinions.generated,
    plfDecision: row.plfDecision,
    plfReason: plfReasonOf(row),
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
  const opinions = store.teacherLabels.secondOpinions(run.id)
  const rows = store.review.page({ runId: run.id, ...input, generated: opinions.generated })
  const counts = store.review.counts(run.id, input.scope)
  return {
    runId: run.id,
    projectId: run.projectId,
    total: input.filter === 'disagrees' ? store.review.disagreeing(run.id, input.scope, opinions.generated) : counts[input.filter],
    pending: counts.pending,
    labeled: counts.labeled,
    items: rows.map((row) => toItem(store, run, model, opinions, row)),
  }
}

/** What a bulk accept at `minConfidence` would take (pending items on posts without a label, per proposed class), and what it leaves out. */
export function bulkPreview(store: Store, run: ReviewRun, minConfidence: number): ReviewBulkPreview {
  const pending = store.review.pendingAbove(run.id, minConfidence)
  return { count: pending.length, perClass: countByClass(pending), labeledLeftOut: store.review.labeledAbove(run.id, minConfidence) }
}
