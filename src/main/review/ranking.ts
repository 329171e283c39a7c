// The queue's orders for one run, computed once and kept in review_order (migration 7; the orders
// themselves in ml/review-order.ts). A run's trainer writes them with its results; a run without
// them (finished before, or its pseudo-labels rewritten) is ranked here at its first review.
// The run's review counts are kept as its pseudo-labels are written; a run without them is counted here too (ReviewRepo.recount).
import type { RiskModel } from '#shared/calibration'
import type { ReviewRepo } from '#main/db/review-repo'
import { rankInputsOf, reviewOrder } from '#main/ml/review-order'

/** True when the run still needs ranking or counting (ensureRanked would write). */
export const needsRanking = (review: ReviewRepo, runId: number): boolean => !review.isRanked(runId) || !review.isCounted(runId)

/** Ranks the run (review_order, unless the trainer wrote it with the run's results) and keeps its counts (migration 12), each unless already done. */
export function ensureRanked(review: ReviewRepo, runId: number, model: RiskModel): void {
  if (!review.isCounted(runId)) review.recount(runId)
  if (review.isRanked(runId)) return
  const ranks = reviewOrder(rankInputsOf(review.rankInputs(runId)), model)
  if (ranks.length > 0) review.saveRanking(runId, ranks)
}
