// Turns a model output into one vector per input, as the manifest's pooling says.
import type { Pooling } from './manifest'

export interface OutputTensor {
  dims: readonly number[]
  data: Float32Array
}

const shape = (dims: readonly number[]): string => `[${dims.join(', ')}]`

/**
 * One vector per row of `output`. `lengths` (text) limits 'mean' to each row's real tokens;
 * padding sits at the end of a row.
 */
export function pool(output: OutputTensor, pooling: Pooling, lengths?: readonly number[]): Float32Array[] {
  const { dims, data } = output
  const n = dims[0] ?? 0
  const rows = Array.from({ length: n }, (_, i) => i)
  if (pooling === 'output') {
    // [N, D] or a pooled conv map [N, D, 1, 1].
    if (dims.length === 2 || (dims.length === 4 && dims[2] === 1 && dims[3] === 1)) {
      const d = dims[1]!
      return rows.map((i) => data.slice(i * d, (i + 1) * d))
    }
    throw new Error(`output is ${shape(dims)}; pooling "output" needs [N, D]`)
  }
  if (dims.length === 3) {
    const [, l, d] = dims as [number, number, number]
    if (pooling === 'cls') return rows.map((i) => data.slice(i * l * d, i * l * d + d))
    return rows.map((i) => {
      const len = Math.min(l, lengths?.[i] ?? l)
      const v = new Float32Array(d)
      for (let t = 0; t < len; t++) for (let k = 0; k < d; k++) v[k]! += data[(i * l + t) * d + k]!
      return v.map((x) => x / Math.max(1, len))
    })
  }
  if (dims.length === 4 && pooling === 'mean') {
    const [, d, h, w] = dims as [number, number, number, number]
    const area = h * w
    return rows.map((i) => {
      const v = new Float32Array(d)
      for (let k = 0; k < d; k++) {
        let sum = 0
        for (let p = 0; p < area; p++) sum += data[(i * d + k) * area + p]!
        v[k] = sum / area
      }
      return v
    })
  }
  throw new Error(`output is ${shape(dims)}; pooling "${pooling}" needs [N, L, D]${pooling === 'mean' ? ' or [N, D, H, W]' : ''}`)
}

