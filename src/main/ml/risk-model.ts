// The risk model of shared/calibration.ts: fitted on posts whose labels are known (a run's
// validation posts), applied to every pseudo-label. Three features, chosen by what predicted
// "wrong" on MVSA (bench/risk.ts): doubt (1 − calibrated confidence) and the proposed class
// (neutral proposals are wrong more often, positive ones less, than their confidence says).
import { enoughToCalibrate, FALLBACK_RISK, type RiskModel } from '#shared/calibration'
import type { Sentiment } from '#shared/vocabulary'
import { minimize } from './lbfgs'

/** L2 penalty on the weights (not the bias), per post. */
const L2 = 1e-3

export interface RiskExample {
  confidence: number
  label: Sentiment
  wrong: boolean
}

function features(confidence: number, label: Sentiment): [number, number, number] {
  return [1 - confidence, label === 'neutral' ? 1 : 0, label === 'positive' ? 1 : 0]
}

const sigmoid = (z: number): number => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)))

/** The model's score for one pseudo-label: higher is more likely wrong (σ(z) for a fitted model). */
export function riskOf(model: RiskModel, confidence: number, label: Sentiment): number {
  const [doubt, neutral, positive] = features(confidence, label)
  const w = model.weights
  const z = model.bias + w.doubt * doubt + w.neutral * neutral + w.positive * positive
  return model.source === 'val' ? sigmoid(z) : z
}

/** Logistic regression of `wrong` on the features, or FALLBACK_RISK when the examples are too few (enoughToCalibrate). */
export function fitRiskModel(examples: readonly RiskExample[]): RiskModel {
  const wrong = examples.filter((e) => e.wrong).length
  if (!enoughToCalibrate(examples.length, wrong)) return FALLBACK_RISK
  const x = examples.map((e) => features(e.confidence, e.label))
  const y = examples.map((e) => (e.wrong ? 1 : 0))
  const n = examples.length
  // Parameters: [bias, doubt, neutral, positive].
  const objective = (p: Float64Array, grad: Float64Array): number => {
    grad.fill(0)
    let loss = 0
    for (let i = 0; i < n; i++) {
      const f = x[i]!
      const z = p[0]! + p[1]! * f[0] + p[2]! * f[1] + p[3]! * f[2]
      // log(1 + e^z) − y·z, computed without overflow.
      loss += (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z))) - y[i]! * z
      const g = sigmoid(z) - y[i]!
      grad[0]! += g
      for (let k = 0; k < 3; k++) grad[k + 1]! += g * f[k]!
    }
    for (let k = 1; k < 4; k++) {
      loss += 0.5 * L2 * n * p[k]! * p[k]!
      grad[k]! += L2 * n * p[k]!
    }
    for (let k = 0; k < 4; k++) grad[k]! /= n
    return loss / n
  }
  const fit = minimize(objective, new Float64Array(4), { maxIterations: 200, gradientTolerance: 1e-8 })
  const [bias, doubt, neutral, positive] = Array.from(fit.x) as [number, number, number, number]
  return { source: 'val', bias, weights: { doubt, neutral, positive }, posts: n, wrong }
}
