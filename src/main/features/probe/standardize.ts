// Standardisation with the training rows' statistics, applied to every split in place.

export interface Scaler {
  mean: Float64Array
  /** 1 / standard deviation; 0 for a constant column, which then carries nothing. */
  inverseStd: Float64Array
}

/** Column means and spreads over the rows, in two passes (one-pass variance loses digits). */
export function fitScaler(x: Float32Array, rows: number, dim: number): Scaler {
  return fitScalerOver(() => [x], rows, dim)
}

/**
 * The same over rows handed in row-major chunks, each pass asking for them again: rows that are
 * never whole in memory (a large pool read from the feature cache) give the same scaler.
 */
export function fitScalerOver(chunks: () => Iterable<Float32Array>, rows: number, dim: number): Scaler {
  const mean = new Float64Array(dim)
  for (const x of chunks()) {
    for (let i = 0; i < x.length / dim; i++) for (let j = 0; j < dim; j++) mean[j]! += x[i * dim + j]!
  }
  for (let j = 0; j < dim; j++) mean[j]! /= rows
  const variance = new Float64Array(dim)
  for (const x of chunks()) {
    for (let i = 0; i < x.length / dim; i++) {
      for (let j = 0; j < dim; j++) {
        const d = x[i * dim + j]! - mean[j]!
        variance[j]! += d * d
      }
    }
  }
  const inverseStd = variance.map((v) => (v / rows > 1e-12 ? 1 / Math.sqrt(v / rows) : 0))
  return { mean, inverseStd }
}

export function applyScaler(scaler: Scaler, x: Float32Array, rows: number, dim: number): void {
  for (let i = 0; i < rows; i++) {
    const offset = i * dim
    for (let j = 0; j < dim; j++) x[offset + j] = (x[offset + j]! - scaler.mean[j]!) * scaler.inverseStd[j]!
  }
}
