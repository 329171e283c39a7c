// Multinomial logistic regression with an L2 penalty, fitted by L-BFGS: sklearn's
// `LogisticRegression(C=…)` objective (the bias is not penalised), in plain typed arrays.
import { minimize } from '#main/ml/lbfgs'

/** Row-major features (`rows × dim`) and a class index per row. */
export interface Dataset {
  x: Float32Array
  rows: number
  dim: number
  y: Uint8Array
}

export interface LogRegModel {
  dim: number
  classes: number
  /** Per class: `dim` weights, then the bias. */
  params: Float64Array
}

export interface FitOptions {
  classes: number
  /** Inverse regularisation strength, as sklearn's C: larger fits the training data more closely. */
  c: number
  maxIterations: number
  /** Start from this model (a neighbouring C's solution converges in a fraction of the steps). */
  init?: LogRegModel
}

/** Σ x[offset + j] · w[j]; four accumulators keep the adds independent. */
function dotAt(x: Float32Array, offset: number, w: Float64Array, wOffset: number, dim: number): number {
  let a = 0
  let b = 0
  let c = 0
  let d = 0
  let j = 0
  for (; j + 3 < dim; j += 4) {
    a += x[offset + j]! * w[wOffset + j]!
    b += x[offset + j + 1]! * w[wOffset + j + 1]!
    c += x[offset + j + 2]! * w[wOffset + j + 2]!
    d += x[offset + j + 3]! * w[wOffset + j + 3]!
  }
  for (; j < dim; j++) a += x[offset + j]! * w[wOffset + j]!
  return a + b + c + d
}

/** Writes the class scores of row `row` into `z`. */
function scores(model: { dim: number; classes: number; params: Float64Array }, x: Float32Array, row: number, z: Float64Array): void {
  const { dim, classes, params } = model
  for (let k = 0; k < classes; k++) {
    const base = k * (dim + 1)
    z[k] = params[base + dim]! + dotAt(x, row * dim, params, base, dim)
  }
}

export function fitLogReg(data: Dataset, options: FitOptions): LogRegModel {
  const { x, rows, dim, y } = data
  const { classes } = options
  if (rows === 0) throw new Error('no training rows')
  const stride = dim + 1
  const lambda = 1 / (options.c * rows)
  const z = new Float64Array(classes)

  const objective = (params: Float64Array, grad: Float64Array): number => {
    grad.fill(0)
    const model = { dim, classes, params }
    let loss = 0
    for (let i = 0; i < rows; i++) {
      scores(model, x, i, z)
      let max = -Infinity
      for (let k = 0; k < classes; k++) max = Math.max(max, z[k]!)
      let sum = 0
      for (let k = 0; k < classes; k++) sum += Math.exp(z[k]! - max)
      const logSum = max + Math.log(sum)
      loss += logSum - z[y[i]!]!
      const offset = i * dim
      for (let k = 0; k < classes; k++) {
        const residual = (Math.exp(z[k]! - logSum) - (y[i] === k ? 1 : 0)) / rows
        const base = k * stride
        grad[base + dim]! += residual
        for (let j = 0; j < dim; j++) grad[base + j]! += residual * x[offset + j]!
      }
    }
    loss /= rows
    for (let k = 0; k < classes; k++) {
      const base = k * stride
      for (let j = 0; j < dim; j++) {
        const w = params[base + j]!
        loss += 0.5 * lambda * w * w
        grad[base + j]! += lambda * w
      }
    }
    return loss
  }

  const start = options.init ? Float64Array.from(options.init.params) : new Float64Array(classes * stride)
  const result = minimize(objective, start, { maxIterations: options.maxIterations, gradientTolerance: 1e-6 })
  return { dim, classes, params: result.x }
}

/** The most probable class of each row (ties go to the lower index). */
export function predict(model: LogRegModel, x: Float32Array, rows: number): Uint8Array {
  const out = new Uint8Array(rows)
  const z = new Float64Array(model.classes)
  for (let i = 0; i < rows; i++) {
    scores(model, x, i, z)
    let best = 0
    for (let k = 1; k < model.classes; k++) if (z[k]! > z[best]!) best = k
    out[i] = best
  }
  return out
}
