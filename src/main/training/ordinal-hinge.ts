// SCDR's L_sim (ALGORITHMS §1.4 g) on a matrix of cosines, with its gradient, in plain arrays.
// Written out, the loss is a mean over (anchor, positive, negative) triples: M³ terms, 134 M at
// M = 512 vectors, too many for a tensor. For a fixed anchor and negative class the margin is a
// constant m, and Σ_p Σ_n max(0, m + u_n − v_p) over the sorted positive cosines v takes one
// binary search per negative, so the whole loss costs O(M² log M) and is exact.

export interface HingeResult {
  loss: number
  /** dL/dC, row-major like the cosine matrix. */
  grad: Float64Array
  /** Anchors that had both a positive and a negative (the loss is their mean). */
  anchors: number
}

/** Values of the ascending `sorted` below t (strict) or, with `orEqual`, at most t: a binary search. */
function countBelow(sorted: Float64Array, t: number, orEqual = false): number {
  let lo = 0
  let hi = sorted.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (sorted[mid]! < t || (orEqual && sorted[mid] === t)) lo = mid + 1
    else hi = mid
  }
  return lo
}

/**
 * cos: M×M cosines (row a = anchor a); ids: one class index per vector. For anchor a with
 * positives P (same id, not a itself) and negatives N (other ids):
 * loss_a = mean_{p∈P, n∈N} max(0, marginPerStep·|id_a − id_n| − cos(a,p) + cos(a,n)),
 * and the loss is the mean of loss_a over the anchors with both (0 when none has).
 */
export function ordinalHinge(cos: ArrayLike<number>, ids: ArrayLike<number>, marginPerStep: number): HingeResult {
  const m = ids.length
  const grad = new Float64Array(m * m)
  // Scratch reused across anchors: positive/negative indices, sorted cosines, thresholds, prefix sums.
  const pos = new Int32Array(m)
  const neg = new Int32Array(m)
  const vBuf = new Float64Array(m)
  const tBuf = new Float64Array(m)
  const tSortedBuf = new Float64Array(m)
  const prefix = new Float64Array(m + 1)
  let total = 0
  let anchors = 0
  for (let a = 0; a < m; a++) {
    const row = a * m
    let np = 0
    let nn = 0
    for (let j = 0; j < m; j++) {
      if (j === a) continue
      if (ids[j] === ids[a]) pos[np++] = j
      else neg[nn++] = j
    }
    if (np === 0 || nn === 0) continue
    // Hinge (p, n) is active when v_p < t_n, with v_p = cos(a,p) and t_n = margin_n + cos(a,n).
    const v = vBuf.subarray(0, np)
    for (let i = 0; i < np; i++) v[i] = cos[row + pos[i]!]!
    v.sort()
    for (let i = 0; i < np; i++) prefix[i + 1] = prefix[i]! + v[i]!
    const t = tBuf.subarray(0, nn)
    for (let i = 0; i < nn; i++) t[i] = marginPerStep * Math.abs(ids[a]! - ids[neg[i]!]!) + cos[row + neg[i]!]!
    const scale = 1 / (np * nn)
    let sum = 0
    for (let i = 0; i < nn; i++) {
      const k = countBelow(v, t[i]!)
      sum += k * t[i]! - prefix[k]!
      grad[row + neg[i]!] = k * scale
    }
    const sortedT = tSortedBuf.subarray(0, nn)
    sortedT.set(t)
    sortedT.sort()
    for (let i = 0; i < np; i++) grad[row + pos[i]!] = -(nn - countBelow(sortedT, cos[row + pos[i]!]!, true)) * scale
    total += sum * scale
    anchors++
  }
  if (anchors === 0) return { loss: 0, grad, anchors }
  for (let i = 0; i < grad.length; i++) grad[i]! /= anchors
  return { loss: total / anchors, grad, anchors }
}
