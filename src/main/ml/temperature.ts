// Temperature scaling (Guo et al., 2017): one number T per run, fitted on the validation posts, that
// turns a model's logits into probabilities whose confidence matches how often it is right:
// p = softmax(z / T). T > 1 softens an over-confident model, T < 1 sharpens a timid one; the argmax,
// and so every label and the accuracy, stays the same. The NLL of the true labels is convex in
// β = 1/T, so a golden-section search over β finds its minimum.

/** β = 1/T is searched in [BETA_MIN, BETA_MAX]: T from 0.05 to 20. */
const BETA_MIN = 0.05
const BETA_MAX = 20
const ITERATIONS = 80
const GOLDEN = (Math.sqrt(5) - 1) / 2

/** Softmax of each row of `logits` (rows × classes) divided by `temperature`. */
export function softmaxRows(logits: ArrayLike<number>, classes: number, temperature = 1): Float64Array {
  const out = new Float64Array(logits.length)
  for (let at = 0; at < logits.length; at += classes) {
    let max = -Infinity
    for (let c = 0; c < classes; c++) max = Math.max(max, logits[at + c]! / temperature)
    let sum = 0
    for (let c = 0; c < classes; c++) sum += out[at + c] = Math.exp(logits[at + c]! / temperature - max)
    for (let c = 0; c < classes; c++) out[at + c]! /= sum
  }
  return out
}

/** Mean negative log-likelihood of `labels` under softmax(logits / temperature). */
export function meanNll(logits: ArrayLike<number>, labels: ArrayLike<number>, classes: number, temperature = 1): number {
  let total = 0
  for (let i = 0; i < labels.length; i++) {
    const at = i * classes
    let max = -Infinity
    for (let c = 0; c < classes; c++) max = Math.max(max, logits[at + c]! / temperature)
    let sum = 0
    for (let c = 0; c < classes; c++) sum += Math.exp(logits[at + c]! / temperature - max)
    total += max + Math.log(sum) - logits[at + labels[i]!]! / temperature
  }
  return labels.length === 0 ? 0 : total / labels.length
}

export interface TemperatureFit {
  temperature: number
  /** Mean NLL on the fitting posts at T = 1 and at the fitted T. */
  nllBefore: number
  nllAfter: number
  posts: number
}

/**
 * The temperature minimising the NLL of `labels` (rows of `logits`, rows × classes). With no posts,
 * or logits that carry no ranking (all equal), T stays 1.
 */
export function fitTemperature(logits: ArrayLike<number>, labels: ArrayLike<number>, classes: number): TemperatureFit {
  const nllBefore = meanNll(logits, labels, classes, 1)
  const identity = { temperature: 1, nllBefore, nllAfter: nllBefore, posts: labels.length }
  if (labels.length === 0 || logits.length !== labels.length * classes) return identity
  const nllAtBeta = (beta: number): number => meanNll(logits, labels, classes, 1 / beta)
  let lo = BETA_MIN
  let hi = BETA_MAX
  let a = hi - GOLDEN * (hi - lo)
  let b = lo + GOLDEN * (hi - lo)
  let fa = nllAtBeta(a)
  let fb = nllAtBeta(b)
  for (let i = 0; i < ITERATIONS; i++) {
    if (fa <= fb) {
      hi = b
      b = a
      fb = fa
      a = hi - GOLDEN * (hi - lo)
      fa = nllAtBeta(a)
    } else {
      lo = a
      a = b
      fa = fb
      b = lo + GOLDEN * (hi - lo)
      fb = nllAtBeta(b)
    }
  }
  const beta = (lo + hi) / 2
  const nllAfter = nllAtBeta(beta)
  // Never worse than leaving the logits alone (flat logits: every β gives the same NLL).
  if (!(nllAfter < nllBefore)) return identity
  return { temperature: 1 / beta, nllBefore, nllAfter, posts: labels.length }
}
