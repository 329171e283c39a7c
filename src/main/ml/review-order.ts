// A run's two review orders from its pseudo-labels alone: riskiest first (the run's risk model, then
// lower confidence, then lower post id) and least confident first (then lower post id). Both end on
// the post id, so the order never depends on how rows were read. Pure: the trainer computes it from
// the rows it is about to write (RunsRepo.saveResults writes it a chunk per transaction), and the
// review ranks a run that has none (review/ranking.ts).
import { FALLBACK_RISK, type RiskModel, type RunCalibration } from '#shared/calibration'
import type { Sentiment } from '#shared/vocabulary'
import { riskOf } from './risk-model'

/** One post's place in the two orders, as review_order keeps it. */
export interface Ranked {
  postId: number
  riskRank: number
  confidenceRank: number
}

export interface RankInput {
  postId: number
  confidence: number
  label: Sentiment
}

/** The risk model a run's queue is ordered by. */
export const riskModelOf = (calibration: RunCalibration | null): RiskModel => calibration?.risk ?? FALLBACK_RISK

const clamp01 = (x: number): number => (x < 0 ? 0 : x > 1 ? 1 : x)

/** The score alone (the order sorts by it; review/risk.ts adds the reasons). */
export function riskScore(model: RiskModel, confidence: number, label: Sentiment): number {
  return clamp01(riskOf(model, confidence, label))
}

export function reviewOrder(inputs: readonly RankInput[], model: RiskModel): Ranked[] {
  const rows = inputs.map((r) => ({ postId: r.postId, confidence: r.confidence, risk: riskScore(model, r.confidence, r.label) }))
  const byConfidence = (a: (typeof rows)[number], b: (typeof rows)[number]): number => a.confidence - b.confidence || a.postId - b.postId
  const confidenceRank = new Map([...rows].sort(byConfidence).map((r, i) => [r.postId, i]))
  const byRisk = [...rows].sort((a, b) => b.risk - a.risk || byConfidence(a, b))
  return byRisk.map((r, i) => ({ postId: r.postId, riskRank: i, confidenceRank: confidenceRank.get(r.postId)! }))
}
