// Confident learning (issue 15, part 2): per-class thresholds and the ranked list on a hand-made
// case, and out-of-fold probabilities that find labels flipped in well-separated data.
import { describe, expect, it } from 'vitest'
import { findLabelIssues, outOfFoldProbabilities } from '#main/review/label-errors'

describe('label errors', () => {
  it('lists a post whose confident class is not its label, the least likely label first', () => {
    // Thresholds: class 0, the mean p0 over rows labeled 0 = (0.8 + 0.7 + 0.1) / 3 ≈ 0.533; class 1,
    // the mean p1 over rows labeled 1 = (0.9 + 0.4) / 2 = 0.65. Row 2 (labeled 0, p1 0.9 ≥ 0.65) and
    // row 4 (labeled 1, p0 0.6 ≥ 0.533) are listed; row 2's margin 0.1 − 0.9 ranks it first.
    const pairs = [[0.8, 0.2], [0.7, 0.3], [0.1, 0.9], [0.1, 0.9], [0.6, 0.4]].flat()
    const issues = findLabelIssues(pairs, [0, 0, 0, 1, 1], 2)
    expect(issues.map((i) => [i.row, i.given, i.suggested])).toEqual([
      [2, 0, 1],
      [4, 1, 0],
    ])
    expect(issues[0]!.margin).toBeCloseTo(-0.8, 10)
  })

  it('finds labels flipped in separable data from out-of-fold probabilities', () => {
    const rows = 200
    const dim = 2
    const x = new Float32Array(rows * dim)
    const y = new Uint8Array(rows)
    for (let i = 0; i < rows; i++) {
      y[i] = i % 2
      x[i * dim] = (y[i] ? 1 : -1) + ((i * 7) % 11) / 20
      x[i * dim + 1] = ((i * 13) % 17) / 17
    }
    const flips = [3, 10, 57, 120, 181]
    const labels = Uint8Array.from(y)
    for (const r of flips) labels[r] = 1 - labels[r]!
    const probs = outOfFoldProbabilities({ x, rows, dim, y: labels }, { classes: 2, folds: 5, c: 1, maxIterations: 100, seed: 1 })
    const top = findLabelIssues(probs, labels, 2).slice(0, flips.length).map((i) => i.row)
    expect([...top].sort((a, b) => a - b)).toEqual(flips)
  })
})
