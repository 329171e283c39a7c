// The rows of one view of a post set, wherever they live: a matrix in memory, or rows the trainer
// reads from somewhere else by index (the feature cache, see cached-pool.ts) so that a large pool
// is never held whole. Every consumer reads through `readRows` / `viewChunks`, so both kinds give
// the same floats in the same order.

/** Row-major `rows × dim` features. */
export interface Matrix {
  rows: number
  dim: number
  data: Float32Array
}

/** A view whose rows are read on demand: `read` copies rows `rows` into `out`, one after another. */
export interface StoredRows {
  rows: number
  dim: number
  read(rows: ArrayLike<number>, out: Float32Array): void
}

export type ViewRows = Matrix | StoredRows

export const inMemory = (v: ViewRows): v is Matrix => 'data' in v

/** Rows `rows` of the view, stacked. */
export function readRows(v: ViewRows, rows: ArrayLike<number>, out = new Float32Array(rows.length * v.dim)): Float32Array {
  if (!inMemory(v)) {
    v.read(rows, out)
    return out
  }
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!
    out.set(v.data.subarray(r * v.dim, (r + 1) * v.dim), i * v.dim)
  }
  return out
}

const range = (start: number, count: number): Int32Array => Int32Array.from({ length: count }, (_, i) => start + i)

/** Rows start … start + count − 1: a view in memory without copying. */
export function rowRange(v: ViewRows, start: number, count: number): Float32Array {
  return inMemory(v) ? v.data.subarray(start * v.dim, (start + count) * v.dim) : readRows(v, range(start, count))
}

/**
 * The view `size` rows at a time (the rows `rows` if given, else all), for passes over a whole pool:
 * a view in memory without copying, a stored one read chunk by chunk.
 */
export function* viewChunks(v: ViewRows, size: number, rows?: ArrayLike<number>): Generator<Matrix> {
  const total = rows ? rows.length : v.rows
  for (let start = 0; start < total; start += size) {
    const count = Math.min(size, total - start)
    const data = rows ? readRows(v, Array.prototype.slice.call(rows, start, start + count) as number[]) : rowRange(v, start, count)
    yield { rows: count, dim: v.dim, data }
  }
}

/** The whole view (or rows `rows`) as one matrix: a view in memory as it is. For small sets only. */
export function wholeView(v: ViewRows, rows?: ArrayLike<number>): Matrix {
  if (!rows && inMemory(v)) return v
  const list = rows ?? range(0, v.rows)
  return { rows: list.length, dim: v.dim, data: readRows(v, list) }
}

/** A view restricted to rows `rows` (in that order): a stored view stays stored. */
export function pickView(v: ViewRows, rows: ArrayLike<number>): ViewRows {
  if (inMemory(v)) return wholeView(v, rows)
  const map = Int32Array.from(rows)
  return {
    rows: map.length,
    dim: v.dim,
    read: (wanted, out) => v.read(Int32Array.from(wanted, (r) => map[r]!), out),
  }
}
