// The label a post carries apart from a run's review: what an accept or a correction in that run
// would replace, what the review panel shows with who set it and when, and what decides whether the
// post is in the queue's `unlabeled` or `labeled` scope (review-repo.ts's LABELED says the same in SQL).
import type { AnnotationEntry } from '#shared/labeling'
import type { AnnotationsRepo } from '#main/db/annotations-repo'
import { whenUtc } from '#main/core/when'

/**
 * While no decision of the run is in effect on the post, its current overall label; once one is,
 * the latest overall label written by anything but this run. Null when that is no label (or cleared).
 */
export function existingLabel(annotations: AnnotationsRepo, runId: number, postId: number, decidedInRun: boolean): AnnotationEntry | null {
  const entry = decidedInRun ? annotations.latestOutsideRun(postId, 'overall', runId) : annotations.latest(postId, 'overall')
  return entry?.label != null ? entry : null
}

/** "positive (imported, by mvsa:rule, 2026-12-05 01:02 UTC)": a label and where it came from, for messages. */
export function describeLabel(entry: AnnotationEntry): string {
  return `${entry.label} (${entry.source}${entry.runId !== null ? ` in run ${entry.runId}` : ''}, by ${entry.annotator}, ${whenUtc(entry.createdAt)})`
}
