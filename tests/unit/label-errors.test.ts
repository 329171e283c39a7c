// Confident learning (issue 15, part 2): per-class thresholds, the calibrated confident joint, the
// pruned and ranked list on hand-made cases (each of cleanlab's filters and rankings), vector scaling
// of the out-of-fold probabilities, and out-of-fold probabilities that find labels flipped in
// well-separated data, averaged over fold splits and augmented views.
import { describe, expect, it } from 'vitest'
import { confidentJoint, findLabelIssues, labelQuality, outOfFoldProbabilities } from '#main/review/label-errors'
import { vectorScale } from '#main/review/oof-calibration'

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

  // Ten rows, three classes. Thresholds: t0 = mean p0 over the six rows given 0 = 2.8 / 6 ≈ 0.467,
  // t1 = (0.8 + 0.7) / 2 = 0.75, t2 = (0.8 + 0.7) / 2 = 0.75. Given 0: row 0 is confidently 2 (p2 0.8),
  // row 1 confidently 1, rows 2, 3, 9 confidently 0, row 8 nowhere (p 0.1 / 0.5 / 0.4 reach no
  // threshold): raw [3, 1, 1] over 5 counted, calibrated to 6 rows = [3.6, 1.2, 1.2].
  const threeClass = [
    [0.15, 0.05, 0.8], [0.15, 0.8, 0.05], [0.8, 0.1, 0.1], [0.7, 0.2, 0.1], [0.1, 0.8, 0.1],
    [0.2, 0.7, 0.1], [0.1, 0.1, 0.8], [0.2, 0.1, 0.7], [0.1, 0.5, 0.4], [0.9, 0.05, 0.05],
  ].flat()
  const threeLabels = [0, 0, 0, 0, 1, 1, 2, 2, 0, 0]

  it('filters as cleanlab does: by noise rate (largest margin per cell), by class (lowest p[given]), or both', () => {
    const joint = confidentJoint(threeClass, threeLabels, 3)
    expect(joint[0]!.map((n) => Number(n.toFixed(6)))).toEqual([3.6, 1.2, 1.2])
    // By noise rate: one row per off-diagonal cell of row 0, the largest p[j] − p0: row 1 towards 1 (0.65), row 0 towards 2 (0.65).
    const byRate = findLabelIssues(threeClass, threeLabels, 3, { filter: 'prune_by_noise_rate' })
    expect(byRate.map((i) => [i.row, i.suggested])).toEqual([[0, 2], [1, 1]])
    // By class: round(1.2 + 1.2) = 2 rows given 0 with the lowest p0: row 8 (0.1), then row 0 (0.15, ahead of row 1 by index).
    // Row 8 was pruned by no cell, so it suggests its most probable other class, 1.
    const byClass = findLabelIssues(threeClass, threeLabels, 3, { filter: 'prune_by_class' })
    expect(byClass.map((i) => [i.row, i.suggested])).toEqual([[8, 1], [0, 2]])
    // Both: only the row both filters list.
    expect(findLabelIssues(threeClass, threeLabels, 3, { filter: 'both' }).map((i) => i.row)).toEqual([0])
  })

  it('ranks by normalized margin the post that leans to one other class first, by confidence-weighted entropy the uncertain one', () => {
    // Both given 0 with p0 0.3: self-confidence ties. A leans to class 1 (0.6); B is split (0.35 / 0.35).
    const a = [0.3, 0.6, 0.1]
    const b = [0.3, 0.35, 0.35]
    expect(labelQuality(a, 0, 'self_confidence')).toBe(labelQuality(b, 0, 'self_confidence'))
    // Normalized margin: A (0.3 − 0.6 + 1) / 2 = 0.35 < B (0.3 − 0.35 + 1) / 2 = 0.475.
    expect(labelQuality(a, 0, 'normalized_margin')).toBeCloseTo(0.35, 12)
    expect(labelQuality(b, 0, 'normalized_margin')).toBeCloseTo(0.475, 12)
    // Confidence-weighted entropy: B's higher entropy makes its quality the lower one.
    expect(labelQuality(b, 0, 'confidence_weighted_entropy')).toBeLessThan(labelQuality(a, 0, 'confidence_weighted_entropy'))
  })

  it('vector scaling turns probabilities that carry nothing into the label frequencies, sharpens a timid but right model, and stays finite on a few posts', () => {
    // 400 rows all say 50/50; 300 are labeled 0: the best constant is 0.75 / 0.25 (the pull worth one post moves it by < 0.01).
    const flat = vectorScale(new Array(800).fill(0.5), Array.from({ length: 400 }, (_, r) => (r < 300 ? 0 : 1)), 2)
    expect(flat.probs[0]).toBeCloseTo(0.75, 2)
    expect(flat.probs[799]).toBeCloseTo(0.25, 2)
    // 0.6 on the right class every time (40 rows): the fit makes it surer, and the given labels likelier.
    const timid = vectorScale(Array.from({ length: 40 }, (_, r) => (r % 2 === 0 ? [0.6, 0.4] : [0.4, 0.6])).flat(), Array.from({ length: 40 }, (_, r) => r % 2), 2)
    expect(timid.probs[0]).toBeGreaterThan(0.7)
    expect(timid.fit.nllAfter).toBeLessThan(timid.fit.nllBefore)
    // Four separable rows: without the pull the scales run off; with it they stay within a few units of 1.
    const few = vectorScale([0.9, 0.1, 0.2, 0.8, 0.7, 0.3, 0.1, 0.9], [0, 1, 0, 1], 2)
    for (const a of few.fit.scale) expect(Math.abs(a)).toBeLessThan(10)
  })

  it('averages fold splits and augmented views of the same rows', () => {
    const rows = 60
    const dim = 2
    const x = Float32Array.from({ length: rows * dim }, (_, i) => Math.sin(i * 1.7) + (i % 2 === 0 && i % 4 === 0 ? 1 : 0))
    const y = Uint8Array.from({ length: rows }, (_, r) => (x[r * dim]! > 0.5 ? 1 : 0))
    const options = { classes: 2, folds: 3, c: 1, maxIterations: 50, seed: 4 }
    const one = outOfFoldProbabilities({ x, rows, dim, y }, options)
    const next = outOfFoldProbabilities({ x, rows, dim, y }, { ...options, seed: 5 })
    const both = outOfFoldProbabilities({ x, rows, dim, y }, { ...options, splits: 2 })
    both.forEach((p, i) => expect(p).toBeCloseTo((one[i]! + next[i]!) / 2, 12))
    // A view identical to the clean features changes nothing; a view of zeros pulls every row towards the intercept-only guess.
    outOfFoldProbabilities({ x, rows, dim, y }, { ...options, views: [x] }).forEach((p, i) => expect(p).toBeCloseTo(one[i]!, 12))
    const zeros = outOfFoldProbabilities({ x, rows, dim, y }, { ...options, views: [new Float32Array(rows * dim)] })
    for (let r = 0; r < rows; r++) expect(zeros[r * 2]! + zeros[r * 2 + 1]!).toBeCloseTo(1, 12)
    expect(Math.max(...zeros)).toBeLessThan(Math.max(...one))
  })
})
