// The class prior of a run (issue 11, cause 1). A 200-per-class draw teaches a uniform prior while
// the pool is ~60 % positive: predictions get the logit adjustment z + log π_pool − log π_L, and
// unlabeled losses align their pseudo-labels with z + log π_u − log π_L. π_pool comes from human
// labels that are a random sample, a prior the user typed, or a guarded estimate from the model's
// predictions on the unlabeled posts (BBSE: invert the confusion matrix; plain EM was unstable).
import type { PriorSource, RunPrior } from '#shared/runs'

/** (counts + 1) / (n + C): a sample of 100 labels never gives a class a zero prior. */
export function smoothedPrior(labels: ArrayLike<number>, classes: number): number[] {
  const counts = new Array<number>(classes).fill(0)
  for (let i = 0; i < labels.length; i++) counts[labels[i]!]!++
  return counts.map((c) => (c + 1) / (labels.length + classes))
}

/** The class mix of a set of labels (what a model trained on them learns as its prior). */
export function classMix(labels: ArrayLike<number>, classes: number): number[] {
  const counts = new Array<number>(classes).fill(0)
  for (let i = 0; i < labels.length; i++) counts[labels[i]!]!++
  return counts.map((c) => (labels.length === 0 ? 1 / classes : c / labels.length))
}

/** Positive values scaled to sum to 1; null when they cannot be (negative, not finite, all zero). */
export function normalizePrior(values: readonly number[]): number[] | null {
  if (!values.every((x) => Number.isFinite(x) && x >= 0)) return null
  const sum = values.reduce((a, b) => a + b, 0)
  return sum > 0 ? values.map((x) => x / sum) : null
}

/** log target − log source per class: added to logits, it moves a model trained on `source` to `target`. */
export function logitShift(target: readonly number[], source: readonly number[]): Float32Array {
  return Float32Array.from(target, (t, c) => Math.log(Math.max(t, 1e-6)) - Math.log(Math.max(source[c]!, 1e-6)))
}

/** Rows × C logits with `shift` added to every row (a new array). */
export function shiftLogits(logits: ArrayLike<number>, shift: ArrayLike<number>): Float32Array {
  const C = shift.length
  const out = Float32Array.from(logits)
  for (let i = 0; i < out.length; i++) out[i]! += shift[i % C]!
  return out
}

export interface PriorEstimate {
  prior: number[]
  /** False when a guard rejected the estimate and `prior` is the fallback. */
  accepted: boolean
  reason: string
}

function solveLinear(a: number[][], b: number[]): number[] | null {
  // Gaussian elimination with partial pivoting, for any small square system.
  const n = b.length
  const m = a.map((row, i) => [...row, b[i]!])
  for (let col = 0; col < n; col++) {
    let pivot = col
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r]![col]!) > Math.abs(m[pivot]![col]!)) pivot = r
    if (Math.abs(m[pivot]![col]!) < 1e-9) return null
    ;[m[col], m[pivot]] = [m[pivot]!, m[col]!]
    for (let r = 0; r < n; r++) {
      if (r === col) continue
      const f = m[r]![col]! / m[col]![col]!
      for (let k = col; k <= n; k++) m[r]![k]! -= f * m[col]![k]!
    }
  }
  return m.map((row, i) => row[n]! / row[i]!)
}

/**
 * BBSE (Lipton et al. 2018) with guards: `confusion[y][ŷ]` counts held-out labeled predictions, and
 * `predicted` holds the hard predictions on the unlabeled posts of a model trained on labels with
 * the same conditional p(x|y). Solves Σ_y p(ŷ|y)·π(y) = q(ŷ) for π. Falls back to `fallback` when
 * the system is singular, when the solution leaves the simplex by more than 0.05, or when a class of
 * the confusion matrix has under 5 held-out posts; clips small negative parts to a floor of 0.01.
 */
export function estimatePriorBbse(confusion: number[][], predicted: ArrayLike<number>, fallback: readonly number[]): PriorEstimate {
  const C = confusion.length
  const reject = (reason: string): PriorEstimate => ({ prior: [...fallback], accepted: false, reason })
  if (predicted.length === 0) return reject('no unlabeled posts to estimate from')
  const support = confusion.map((row) => row.reduce((a, b) => a + b, 0))
  if (support.some((n) => n < 5)) return reject('under 5 held-out labeled posts in a class')
  const q = classMix(predicted, C)
  // a[ŷ][y] = p(ŷ | y)
  const a = Array.from({ length: C }, (_, yHat) => confusion.map((row, y) => row[yHat]! / support[y]!))
  const solution = solveLinear(a, q)
  if (!solution) return reject('the confusion matrix is singular')
  if (solution.some((x) => !Number.isFinite(x) || x < -0.05 || x > 1.05)) return reject(`the estimate left the simplex (${solution.map((x) => x.toFixed(2)).join(' / ')})`)
  const prior = normalizePrior(solution.map((x) => Math.max(x, 0.01)))
  return prior ? { prior, accepted: true, reason: 'estimated from predictions on the unlabeled posts (BBSE)' } : reject('the estimate is degenerate')
}

export interface PriorSettingsLike {
  mode: 'auto' | 'typed' | 'off'
  negative: number
  neutral: number
  positive: number
}

/**
 * π_pool by preference: off (no adjustment: the labeled mix), typed, a random labeled sample,
 * then a guarded estimate (the `estimate` callback, run only when needed) or the labeled mix.
 */
export function resolvePrior(
  settings: PriorSettingsLike,
  labeledMix: readonly number[],
  sample: ArrayLike<number> | null,
  estimate: () => PriorEstimate,
): RunPrior {
  const C = labeledMix.length
  const make = (source: PriorSource, pool: readonly number[], detail: string, sampleSize = 0): RunPrior => ({
    source,
    detail,
    pool: [...pool],
    labeled: [...labeledMix],
    unlabeled: [...pool],
    sampleSize,
  })
  if (settings.mode === 'off') return make('off', labeledMix, 'switched off: predictions keep the labeled posts’ class mix')
  if (settings.mode === 'typed') {
    const typed = normalizePrior([settings.negative, settings.neutral, settings.positive].slice(0, C))
    if (typed) return make('typed', typed, 'typed by the user')
  }
  if (sample && sample.length > 0) return make('sample', smoothedPrior(sample, C), `from ${sample.length} labels drawn at random from the train posts, smoothed (counts + 1) / (n + ${C})`, sample.length)
  const e = estimate()
  return e.accepted ? make('estimate', e.prior, e.reason) : make('labeled', labeledMix, `no random sample of labels; estimate rejected (${e.reason}): kept the labeled mix`)
}
