// Neighbourhood evidence for a label check (issue 15, part 2): what the labels of a post's nearest
// neighbours say, as cleanlab's Datalab does beside the confident joint. The neighbours are the k
// rows most cosine-similar to a row (itself left out), found once per feature space: they do not
// depend on the labels, so a bench that flips labels under several seeds reuses them. Each row's
// neighbour label distribution is Laplace-smoothed, (count_c + 1) / (k + classes), so it is a
// probability vector that never reaches 0 and can stand beside a head's out-of-fold probabilities.

/** Per row, the `k` other rows with the largest cosine similarity, most similar first (`rows × k`). */
export function nearestNeighbours(x: Float32Array, rows: number, dim: number, k: number): Int32Array {
  if (k < 1 || k >= rows) throw new Error(`nearest neighbours: k = ${k} needs 1 ≤ k < rows (${rows})`)
  const unit = new Float32Array(rows * dim)
  for (let r = 0; r < rows; r++) {
    let norm = 0
    for (let j = 0; j < dim; j++) norm += x[r * dim + j]! ** 2
    const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0
    for (let j = 0; j < dim; j++) unit[r * dim + j] = x[r * dim + j]! * scale
  }
  const out = new Int32Array(rows * k)
  const bestSim = new Float64Array(k)
  const bestRow = new Int32Array(k)
  for (let r = 0; r < rows; r++) {
    let filled = 0
    for (let o = 0; o < rows; o++) {
      if (o === r) continue
      let s = 0
      for (let j = 0; j < dim; j++) s += unit[r * dim + j]! * unit[o * dim + j]!
      if (filled === k && s <= bestSim[k - 1]!) continue
      // Insertion into the sorted top-k (ties keep the lower row first).
      let at = filled < k ? filled++ : k - 1
      while (at > 0 && bestSim[at - 1]! < s) {
        bestSim[at] = bestSim[at - 1]!
        bestRow[at] = bestRow[at - 1]!
        at--
      }
      bestSim[at] = s
      bestRow[at] = o
    }
    out.set(bestRow, r * k)
  }
  return out
}

/** Per row, the Laplace-smoothed share of each class among its neighbours' labels (`rows × classes`). */
export function neighbourLabelProbabilities(neighbours: Int32Array, k: number, labels: ArrayLike<number>, classes: number): Float64Array {
  const rows = labels.length
  if (neighbours.length !== rows * k) throw new Error(`neighbour labels: ${neighbours.length} neighbours for ${rows} rows × k ${k}`)
  const out = new Float64Array(rows * classes)
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < classes; c++) out[r * classes + c] = 1 / (k + classes)
    for (let n = 0; n < k; n++) out[r * classes + labels[neighbours[r * k + n]!]!]! += 1 / (k + classes)
  }
  return out
}
