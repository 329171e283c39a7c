// The queue's orders for one run, computed once and kept in review_order (migration 7): riskiest
// first (risk.ts's score, then lower confidence, then lower post id) and least confident first
// (then lower post id). Both end on the post id, so the order never depends on how rows were read.
import type { ReviewRepo } from '#main/db/review-repo'
import { riskScore } from './risk'

export function ensureRanked(review: ReviewRepo, runId: number): void {
  if (review.isRanked(runId)) return
  const rows = review.rankInputs(runId).map((r) => ({
    postId: r.postId,
    confidence: r.confidence,
    risk: riskScore(r.confidence, r.plfDecision, r.textLabel, r.imageLabel, r.loss),
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
