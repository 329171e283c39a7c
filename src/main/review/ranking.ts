// The queue's orders for one run, computed once and kept in review_order (migration 7): riskiest
// first (risk.ts's score under the run's risk model, then lower confidence, then lower post id) and least confident first
// (then lower post id). Both end on the post id, so the order never depends on how rows were read.
// The run's review counts are kept from the same moment (ReviewRepo.recount).
import type { RiskModel } from '#shared/calibration'
import type { ReviewRepo } from '#main/db/review-repo'
import { riskScore } from './risk'

/** True when the run still needs ranking or counting (ensureRanked would write). */
export const needsRanking = (review: ReviewRepo, runId: number): boolean => !review.isRanked(runId) || !review.isCounted(runId)

/** Ranks the run and keeps its counts (migration 12), each unless already done. */
export function ensureRanked(review: ReviewRepo, runId: number, model: RiskModel): void {
  if (!review.isCounted(runId)) review.recount(runId)
  if (review.isRanked(runId)) return
  const rows = review.rankInputs(runId).map((r) => ({
    postId: r.postId,
    confidence: r.confidence,
    risk: riskScore(model, r.confidence, r.label),
  }))
  if (rows.length === 0) return
  const byConfidence = (a: (typeof rows)[number], b: (typeof rows)[number]): number => a.confidence - b.confidence || a.postId - b.postId
  const confidenceRank = new Map([...rows].sort(byConfidence).map((r, i) => [r.postId, i]))
  const byRisk = [...rows].sort((a, b) => b.risk - a.risk || byConfidence(a, b))
  review.saveRanking(
    runId,
    byRisk.map((r, i) => ({ postId: r.postId, riskRank: i, confidenceRank: confidenceRank.get(r.postId)! })),
  )
}
