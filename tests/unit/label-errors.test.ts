// Confident learning (issue 15, part 2): per-class thresholds, the calibrated confident joint, the
// pruned and ranked list on hand-made cases, and out-of-fold probabilities that find labels flipped
// in well-separated data.
import { describe, expect, it } from 'vitest'
import { confidentJoint, findLabelIssues, outOfFoldProbabilities } from '#main/review/label-errors'

describe('label errors', () => {
  it('lists a post whose confident class is not its label, the least likely label first', () => {
    // Thresholds: class 0, the mean p0 over rows labeled 0 = (0.8 + 0.7 + 0.1) / 3 ≈ 0.533; class 1,
    // the mean p1 over rows labeled 1 = (0.9 + 0.4) / 2 = 0.65. Confident joint: given 0 → [2, 1]
    // (row 2's p1 0.9 ≥ 0.65), given 1 → [1, 1] (row 4's p0 0.6 ≥ 0.533). One post is pruned per
    // off-diagonal cell, the one with the largest margin towards the other class: row 2 and row 4.
    // Row 2's p(label) 0.1 ranks it before row 4's 0.4.
    const pairs = [[0.8, 0.2], [0.7, 0.3], [0.1, 0.9], [0.1, 0.9], [0.6, 0.4]].flat()
    const issues = findLabelIssues(pairs, [0, 0, 0, 1, 1], 2)
    expect(issues.map((i) => [i.row, i.given, i.suggested])).toEqual([
      [2, 0, 1],
      [4, 1, 0],
    ])
    expect(issues[0]!.margin).toBeCloseTo(-0.8, 10)
  })

  it('calibrates the confident joint to the given-label counts, and prunes only as many as it counts', () => {
    // Four rows given class 0, all leaning to class 1 to some degree; two given 1. Threshold 1 is
    // the mean p1 over rows given 1 = 0.8, so only rows 0 and 1 (p1 0.9, 0.85) count as confidently 1.
    const probs = [[0.1, 0.9], [0.15, 0.85], [0.3, 0.7], [0.45, 0.55], [0.2, 0.8], [0.2, 0.8]].flat()
    const labels = [0, 0, 0, 0, 1, 1]
    const joint = confidentJoint(probs, labels, 2)
    expect(joint.map((row) => row.reduce((a, b) => a + b, 0))).toEqual([4, 2])
    expect(joint[0]![1]).toBeCloseTo(2, 10)
    // Rows 2 and 3 also have p1 > p0 but are not listed: the joint counts two errors in that cell.
    expect(findLabelIssues(probs, labels, 2).map((i) => [i.row, i.suggested])).toEqual([
      [0, 1],
      [1, 1],
    ])
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
