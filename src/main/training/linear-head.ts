// A linear softmax head on the standardised, concatenated features of a run, fitted in plain
// Float64Array math: a fit of 1,000 steps takes about a second where tfjs would take a minute.
// SGD with Nesterov momentum (PyTorch's form), the trainer's cosine factor, the gradient's norm
// clipped, L2 weight decay on the weights (not the biases), an EMA of the weights, and model
// selection on val accuracy of the EMA weights with a logit shift (the class prior) applied.
import { cosineFactor } from './schedule'
import type { Rng } from './rng'

/** Row-major rows × dim features. */
export interface Rows {
  rows: number
  dim: number
  data: Float32Array
}

export interface LinearModel {
  dim: number
  classes: number
  /** classes × dim, row-major: one weight row per class. */
  w: Float64Array
  b: Float64Array
}

export interface LinearFitOptions {
  steps: number
  batch: number
  lr: number
  momentum: number
  clipNorm: number
  weightDecay: number
  emaDecay: number
  evalEvery: number
}

export interface LinearFitResult {
  model: LinearModel
  /** The step (1-based, within this fit) whose EMA weights were kept. */
  step: number
  /** Val accuracy at every evaluation. */
  evaluations: { step: number; accuracy: number }[]
  /** Mean CE of the labeled batch per step. */
  losses: number[]
}

export const emptyModel = (dim: number, classes: number): LinearModel => ({ dim, classes, w: new Float64Array(dim * classes), b: new Float64Array(classes) })

const cloneModel = (m: LinearModel): LinearModel => ({ ...m, w: Float64Array.from(m.w), b: Float64Array.from(m.b) })

/** Logits of every row (rows × classes), with `shift` added per class when given. */
export function linearLogits(m: LinearModel, x: Rows, shift?: ArrayLike<number>): Float32Array {
  const C = m.classes
  const out = new Float32Array(x.rows * C)
  for (let r = 0; r < x.rows; r++) {
    const base = r * x.dim
    for (let c = 0; c < C; c++) {
      let z = m.b[c]! + (shift ? shift[c]! : 0)
      const wc = c * x.dim
      for (let k = 0; k < x.dim; k++) z += x.data[base + k]! * m.w[wc + k]!
      out[r * C + c] = z
    }
  }
  return out
}

/** Argmax per row. */
export function argmaxRows(logits: ArrayLike<number>, classes: number): Int32Array {
  const out = new Int32Array(logits.length / classes)
  for (let r = 0; r < out.length; r++) {
    let best = 0
    for (let c = 1; c < classes; c++) if (logits[r * classes + c]! > logits[r * classes + best]!) best = c
    out[r] = best
  }
  return out
}

const accuracyOf = (logits: Float32Array, y: ArrayLike<number>, classes: number): number => {
  const p = argmaxRows(logits, classes)
  let right = 0
  for (let i = 0; i < p.length; i++) if (p[i] === y[i]) right++
  return p.length === 0 ? 0 : right / p.length
}

/**
 * Fits on `x` rows with labels `y` (class indices). `val` (with `shift` added to its logits) picks
 * the EMA weights kept; without it, the last EMA weights are kept. `onStep` may throw to stop.
 */
export function fitLinearHead(
  x: Rows,
  y: ArrayLike<number>,
  classes: number,
  options: LinearFitOptions,
  rng: Rng,
  val?: { x: Rows; y: ArrayLike<number>; shift: ArrayLike<number> },
  /** After each step: the steps done, and the fit's losses and evaluations so far (for live curves). */
  onStep?: (step: number, so: Pick<LinearFitResult, 'losses' | 'evaluations'>) => void,
): LinearFitResult {
  const { dim } = x
  const C = classes
  const model = emptyModel(dim, C)
  const ema = cloneModel(model)
  const vw = new Float64Array(dim * C)
  const vb = new Float64Array(C)
  const gw = new Float64Array(dim * C)
  const gb = new Float64Array(C)
  const p = new Float64Array(C)
  const losses: number[] = []
  const evaluations: LinearFitResult['evaluations'] = []
  let best: { model: LinearModel; step: number; accuracy: number } | null = null
  const batch = Math.min(options.batch, x.rows)

  for (let step = 0; step < options.steps; step++) {
    gw.fill(0)
    gb.fill(0)
    let loss = 0
    for (let i = 0; i < batch; i++) {
      const r = rng.int(x.rows)
      const base = r * dim
      let max = -Infinity
      for (let c = 0; c < C; c++) {
        let z = model.b[c]!
        const wc = c * dim
        for (let k = 0; k < dim; k++) z += x.data[base + k]! * model.w[wc + k]!
        p[c] = z
        if (z > max) max = z
      }
      let sum = 0
      for (let c = 0; c < C; c++) sum += p[c] = Math.exp(p[c]! - max)
      const label = y[r]!
      loss -= Math.log(Math.max(p[label]! / sum, 1e-12))
      for (let c = 0; c < C; c++) {
        const g = (p[c]! / sum - (c === label ? 1 : 0)) / batch
        gb[c]! += g
        const wc = c * dim
        for (let k = 0; k < dim; k++) gw[wc + k]! += g * x.data[base + k]!
      }
    }
    losses.push(loss / batch)
    if (options.clipNorm > 0) {
      let norm = 0
      for (let i = 0; i < gw.length; i++) norm += gw[i]! * gw[i]!
      for (let c = 0; c < C; c++) norm += gb[c]! * gb[c]!
      norm = Math.sqrt(norm)
      if (norm > options.clipNorm) {
        const f = options.clipNorm / norm
        for (let i = 0; i < gw.length; i++) gw[i]! *= f
        for (let c = 0; c < C; c++) gb[c]! *= f
      }
    }
    const lr = options.lr * cosineFactor(step, options.steps)
    const mu = options.momentum
    // PyTorch SGD: d = g + wd·w; v = μv + d; w -= lr·(d + μv) (Nesterov).
    for (let i = 0; i < gw.length; i++) {
      const d = gw[i]! + options.weightDecay * model.w[i]!
      vw[i] = mu * vw[i]! + d
      model.w[i]! -= lr * (d + mu * vw[i]!)
      ema.w[i] = options.emaDecay * ema.w[i]! + (1 - options.emaDecay) * model.w[i]!
    }
    for (let c = 0; c < C; c++) {
      vb[c] = mu * vb[c]! + gb[c]!
      model.b[c]! -= lr * (gb[c]! + mu * vb[c]!)
      ema.b[c] = options.emaDecay * ema.b[c]! + (1 - options.emaDecay) * model.b[c]!
    }
    const done = step + 1
    if (val && (done % options.evalEvery === 0 || done === options.steps)) {
      const accuracy = accuracyOf(linearLogits(ema, val.x, val.shift), val.y, C)
      evaluations.push({ step: done, accuracy })
      if (best === null || accuracy >= best.accuracy) best = { model: cloneModel(ema), step: done, accuracy }
    }
    onStep?.(done, { losses, evaluations })
  }
  return best ? { model: best.model, step: best.step, evaluations, losses } : { model: ema, step: options.steps, evaluations, losses }
}
