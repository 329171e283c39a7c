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

/** What the orders read of each of `count` rows: a run's pseudo-labels as the trainer holds them (columns), or rows read back. */
export interface RankInputs {
  readonly count: number
  postId(i: number): number
  confidence(i: number): number
  label(i: number): Sentiment
}

export const rankInputsOf = (rows: readonly RankInput[]): RankInputs => ({
  count: rows.length,
  postId: (i) => rows[i]!.postId,
  confidence: (i) => rows[i]!.confidence,
  label: (i) => rows[i]!.label,
})

/** The risk model a run's queue is ordered by. */
export const riskModelOf = (calibration: RunCalibration | null): RiskModel => calibration?.risk ?? FALLBACK_RISK

const clamp01 = (x: number): number => (x < 0 ? 0 : x > 1 ? 1 : x)

/** The score alone (the order sorts by it; review/risk.ts adds the reasons). */
export function riskScore(model: RiskModel, confidence: number, label: Sentiment): number {
  return clamp01(riskOf(model, confidence, label))
}

export function reviewOrder(inputs: RankInputs, model: RiskModel): Ranked[] {
  // Typed columns and sorts of row numbers: at 100,000 rows about half the time sorting objects took
  // (~0.3 s). Plain loops fill them: `from` with a mapping function took ~40 % of the rest.
  const n = inputs.count
  const postId = new Float64Array(n)
  const confidence = new Float64Array(n)
  const risk = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    postId[i] = inputs.postId(i)
    confidence[i] = inputs.confidence(i)
    risk[i] = riskScore(model, confidence[i]!, inputs.label(i))
  }
  const rows = (): Uint32Array => {
    const out = new Uint32Array(n)
    for (let i = 0; i < n; i++) out[i] = i
    return out
  }
  const byConfidence = (a: number, b: number): number => confidence[a]! - confidence[b]! || postId[a]! - postId[b]!
  const confidenceRank = new Uint32Array(n)
  const inConfidenceOrder = rows().sort(byConfidence)
  for (let rank = 0; rank < n; rank++) confidenceRank[inConfidenceOrder[rank]!] = rank
  const byRisk = rows().sort((a, b) => risk[b]! - risk[a]! || byConfidence(a, b))
  const ranked = new Array<Ranked>(n)
  for (let i = 0; i < n; i++) {
    const row = byRisk[i]!
    ranked[i] = { postId: postId[row]!, riskRank: i, confidenceRank: confidenceRank[row]! }
  }
  return ranked
}
