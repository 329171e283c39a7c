// How likely a pseudo-label is wrong, and why: the review queue shows the riskiest first, each with
// its reasons. The score is a fixed weighted sum of four signals, each scaled to 0..1, so the
// order is deterministic and explainable (ties: lower confidence, then lower post id; ranking.ts):
//
//   risk = 0.35·doubt + 0.25·filtered + 0.20·disagree + 0.20·strongLoss
//
//   doubt      = (1 − confidence) / (1 − 1/3): 0 for a certain fused prediction, 1 for a uniform one
//   filtered   = 1 when SCDR's pseudo-label filter (PLF) dropped the post, else 0
//   disagree   = 1 when the text head and the image head predict different classes, else 0
//   strongLoss = 1 − e^(−loss): the loss is the CE of the prediction on a strong view against the
//                proposed label, so e^(−loss) is how much of the label survives augmentation
//
// A signal becomes a listed reason past a threshold a person can read: confidence below 0.70 (the
// flat filter of ALGORITHMS §3.3), a PLF drop, a head disagreement, or a strong-view loss above
// ln 2 (the label keeps less than half its probability under augmentation).
import { SENTIMENTS } from '#shared/vocabulary'
import type { RiskSignals } from '#main/db/review-repo'

export const RISK_WEIGHTS = { doubt: 0.35, filtered: 0.25, disagree: 0.2, strongLoss: 0.2 } as const
export const LOW_CONFIDENCE = 0.7
export const HIGH_LOSS = Math.LN2

/** PLF verdicts meaning "dropped" (the trainer writes 'filtered'; 'rejected' is the contract's word). */
const PLF_DROPPED = new Set(['filtered', 'rejected'])

export interface RiskAssessment {
  risk: number
  /** Most important first. */
  reasons: string[]
}

const clamp01 = (x: number): number => (x < 0 ? 0 : x > 1 ? 1 : x)
const uniform = 1 / SENTIMENTS.length

const doubtOf = (confidence: number): number => clamp01((1 - confidence) / (1 - uniform))
const isFiltered = (plfDecision: string | null): boolean => plfDecision !== null && PLF_DROPPED.has(plfDecision)
const headsDisagree = (textLabel: string | null, imageLabel: string | null): boolean =>
  textLabel !== null && imageLabel !== null && textLabel !== imageLabel
const strongLossOf = (loss: number | null): number => (loss !== null && loss > 0 ? 1 - Math.exp(-loss) : 0)

/** The score alone (ranking.ts sorts a run by it; assessRisk adds the reasons). */
export function riskScore(
  confidence: number,
  plfDecision: string | null,
  textLabel: string | null,
  imageLabel: string | null,
  loss: number | null,
): number {
  const w = RISK_WEIGHTS
  return (
    w.doubt * doubtOf(confidence) +
    w.filtered * (isFiltered(plfDecision) ? 1 : 0) +
    w.disagree * (headsDisagree(textLabel, imageLabel) ? 1 : 0) +
    w.strongLoss * strongLossOf(loss)
  )
}

const pct = (x: number): string => `${Math.round(x * 100)}%`
const conf = (x: number | null): string => (x === null ? '' : ` (${x.toFixed(2)})`)

/** The score and the reasons behind it, ordered by how much each adds to the score. */
export function assessRisk(s: RiskSignals): RiskAssessment {
  const w = RISK_WEIGHTS
  const found: Array<{ weight: number; text: string }> = []
  if (s.confidence < LOW_CONFIDENCE) {
    found.push({ weight: w.doubt * doubtOf(s.confidence), text: `low confidence: ${s.confidence.toFixed(2)} (below ${LOW_CONFIDENCE.toFixed(2)})` })
  }
  if (isFiltered(s.plfDecision)) {
    found.push({ weight: w.filtered, text: `rejected by the pseudo-label filter${s.plfReason ? `: ${s.plfReason}` : ''}` })
  }
  if (headsDisagree(s.textLabel, s.imageLabel)) {
    found.push({
      weight: w.disagree,
      text: `text head says ${s.textLabel}${conf(s.textConfidence)}, image head says ${s.imageLabel}${conf(s.imageConfidence)}`,
    })
  }
  if (s.loss !== null && s.loss > HIGH_LOSS) {
    found.push({
      weight: w.strongLoss * strongLossOf(s.loss),
      text: `high loss on a strong view: ${s.loss.toFixed(2)} (the label keeps ${pct(Math.exp(-s.loss))} after augmentation)`,
    })
  }
  // Stable sort: equal contributions keep the fixed order above.
  found.sort((a, b) => b.weight - a.weight)
  return { risk: riskScore(s.confidence, s.plfDecision, s.textLabel, s.imageLabel, s.loss), reasons: found.map((f) => f.text) }
}
