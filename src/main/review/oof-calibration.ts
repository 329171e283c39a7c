// Vector scaling (Guo et al., 2017) of out-of-fold probabilities before confident learning ranks
// them: per class k, a scale a_k and a bias b_k on the log-probabilities, q = softmax(a ⊙ log p + b),
// fitted by the NLL of the given labels, plus a pull towards the identity (a = 1, b = 0) worth one
// post, λ/2 · (‖a − 1‖² + ‖b‖²) with λ = 1/rows: on thousands of posts it changes nothing, and on a
// few separable ones it keeps the scales finite (unpulled, they run off to ±100s). A strongly regularised linear head is shrunk towards the
// class prior by a different amount for each class; self-confidence compares p[given] across
// classes, so it needs probabilities that mean the same thing in every class. 2·classes numbers
// fitted on thousands of posts: fitting on the posts it then rescores does not overfit.
import { minimize } from '#main/ml/lbfgs'

export interface VectorScaling {
  scale: Float64Array
  bias: Float64Array
  /** Mean NLL of the given labels before and after (the pull towards the identity included). */
  nllBefore: number
  nllAfter: number
}

const FLOOR = 1e-12

/** softmax(scale ⊙ log p + bias) of every row, into `out`; returns the mean NLL of `labels`, and adds its gradient into `grad` when given. */
function scaled(logp: Float64Array, labels: ArrayLike<number>, classes: number, w: Float64Array, out: Float64Array, grad?: Float64Array): number {
  const rows = labels.length
  let nll = 0
  for (let r = 0; r < rows; r++) {
    const at = r * classes
    let max = -Infinity
    for (let k = 0; k < classes; k++) max = Math.max(max, (out[at + k] = w[k]! * logp[at + k]! + w[classes + k]!))
    let sum = 0
    for (let k = 0; k < classes; k++) sum += out[at + k] = Math.exp(out[at + k]! - max)
    for (let k = 0; k < classes; k++) out[at + k]! /= sum
    nll -= Math.log(Math.max(out[at + labels[r]!]!, FLOOR))
    if (!grad) continue
    for (let k = 0; k < classes; k++) {
      const residual = (out[at + k]! - (labels[r] === k ? 1 : 0)) / rows
      grad[k]! += residual * logp[at + k]!
      grad[classes + k]! += residual
    }
  }
  let pull = 0
  for (let k = 0; k < classes; k++) {
    pull += (w[k]! - 1) ** 2 + w[classes + k]! ** 2
    if (grad) {
      grad[k]! += (w[k]! - 1) / rows
      grad[classes + k]! += w[classes + k]! / rows
    }
  }
  return nll / rows + pull / (2 * rows)
}

/** Fits vector scaling to `probs` (rows × classes) and the given labels; returns the rescaled probabilities. */
export function vectorScale(probs: ArrayLike<number>, labels: ArrayLike<number>, classes: number): { probs: Float64Array; fit: VectorScaling } {
  const logp = Float64Array.from(probs, (p) => Math.log(Math.max(p, FLOOR)))
  const out = new Float64Array(logp.length)
  const identity = new Float64Array(2 * classes).fill(1, 0, classes)
  const nllBefore = scaled(logp, labels, classes, identity, out)
  const result = minimize(
    (w, grad) => {
      grad.fill(0)
      return scaled(logp, labels, classes, w, out, grad)
    },
    identity,
    { maxIterations: 200, gradientTolerance: 1e-7 },
  )
  const w = result.value <= nllBefore ? result.x : identity
  const nllAfter = scaled(logp, labels, classes, w, out)
  return { probs: out, fit: { scale: w.slice(0, classes), bias: w.slice(classes), nllBefore, nllAfter } }
}
