// How likely a pseudo-label is wrong, and why: the review queue shows the riskiest first, each with
// its reasons. The score is the run's risk model (shared/calibration.ts, fitted on the run's
// validation posts at the end of training): a logistic regression of "wrong" on
//
//   doubt    = 1 − the calibrated confidence (the run's temperature already applied)
//   neutral  = 1 when the proposal is neutral      positive = 1 when the proposal is positive
//
// so the risk is the estimated chance the proposal is wrong. A run with too few validation posts
// (or from before calibration) gets the fixed fallback weights, clamped to 0..1. Only signals that
// predict "wrong" on posts with known labels weigh (bench/risk.ts, docs/RESULTS.md): the PLF
// verdict, head disagreement and the strong-view loss did not, and stay evidence on the card only.
// Ties: lower confidence, then lower post id (ranking.ts).
import type { RiskModel } from '#shared/calibration'
import { riskModelOf, riskScore } from '#main/ml/review-order'
import type { RiskSignals } from '#main/db/review-repo'

export const LOW_CONFIDENCE = 0.7

export interface RiskAssessment {
  risk: number
  /** Most important first. */
  reasons: string[]
}

export { riskModelOf, riskScore }

/** The score and the reasons behind it, the larger contribution first. */
export function assessRisk(model: RiskModel, s: Pick<RiskSignals, 'confidence' | 'label'>): RiskAssessment {
  const found: Array<{ weight: number; text: string }> = []
  if (s.confidence < LOW_CONFIDENCE) {
    found.push({ weight: model.weights.doubt * (1 - s.confidence), text: `low confidence: ${s.confidence.toFixed(2)} (below ${LOW_CONFIDENCE.toFixed(2)})` })
  }
  if (s.label === 'neutral' && model.weights.neutral > 0) {
    const where = model.source === 'val' ? "this run's" : 'models’'
    found.push({ weight: model.weights.neutral, text: `proposed neutral: ${where} neutral proposals are wrong more often than their confidence says` })
  }
  found.sort((a, b) => b.weight - a.weight)
  return { risk: riskScore(model, s.confidence, s.label), reasons: found.map((f) => f.text) }
}
