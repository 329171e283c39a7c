// Area under the ROC curve of a score for a yes/no outcome: the chance that a random "yes" scores
// above a random "no" (ties count half). 0.5 is a coin flip. Mann–Whitney U over ranks, O(n log n).

/** NaN when either class is absent. */
export function auroc(scores: ArrayLike<number>, positive: ArrayLike<boolean>): number {
  const n = scores.length
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a]! - scores[b]!)
  let rankSumPositive = 0
  let positives = 0
  for (let start = 0; start < n; ) {
    let end = start
    while (end + 1 < n && scores[order[end + 1]!] === scores[order[start]!]) end++
    // Ranks start..end (1-based: +1) share their mean.
    const meanRank = (start + end) / 2 + 1
    for (let k = start; k <= end; k++) {
      if (positive[order[k]!]) {
        rankSumPositive += meanRank
        positives++
      }
    }
    start = end + 1
  }
  const negatives = n - positives
  if (positives === 0 || negatives === 0) return NaN
  return (rankSumPositive - (positives * (positives + 1)) / 2) / (positives * negatives)
}
