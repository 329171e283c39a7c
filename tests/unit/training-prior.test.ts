import { describe, expect, it } from 'vitest'
import { classMix, estimatePriorBbse, logitShift, resolvePrior, shiftLogits, smoothedPrior } from '#main/training/prior'
import { estimateFromUnlabeled } from '#main/training/run-prior'
import { makeConfig } from '#main/training/config'
import { syntheticProblem } from '#main/training/synthetic'
import type { Matrix } from '#main/training/view-rows'

describe('class prior', () => {
  it('smooths a random sample: (counts + 1) / (n + 3)', () => {
    // 10 labels: 2 negative, 0 neutral, 8 positive → 3/13, 1/13, 9/13
    expect(smoothedPrior([0, 0, 2, 2, 2, 2, 2, 2, 2, 2], 3)).toEqual([3 / 13, 1 / 13, 9 / 13])
    expect(classMix([0, 1, 2, 2], 3)).toEqual([0.25, 0.25, 0.5])
  })

  it('logit adjustment moves a uniform-trained model to the pool prior', () => {
    const shift = logitShift([0.3, 0.1, 0.6], [1 / 3, 1 / 3, 1 / 3])
    expect(shift[2]! - shift[0]!).toBeCloseTo(Math.log(2), 5)
    // A post the model finds equally negative and positive becomes positive under the pool prior.
    const adjusted = shiftLogits([1, 0, 1], shift)
    expect(adjusted[2]).toBeGreaterThan(adjusted[0]!)
  })

  it('BBSE recovers the prior from predictions through the confusion matrix; a bad system falls back', () => {
    // p(ŷ|y): 80 % right, errors split evenly; pool prior 0.2/0.1/0.7 gives q_j = 0.1 + 0.7·π_j = 0.24/0.17/0.59
    const confusion = [
      [80, 10, 10],
      [10, 80, 10],
      [10, 10, 80],
    ]
    const predicted = [...Array(24).fill(0), ...Array(17).fill(1), ...Array(59).fill(2)]
    const e = estimatePriorBbse(confusion, predicted, [1 / 3, 1 / 3, 1 / 3])
    expect(e.accepted).toBe(true)
    e.prior.forEach((p, i) => expect(p).toBeCloseTo([0.2, 0.1, 0.7][i]!, 2))
    const singular = estimatePriorBbse([[50, 50, 0], [50, 50, 0], [0, 0, 100]], predicted, [0.5, 0.25, 0.25])
    expect(singular).toMatchObject({ accepted: false, prior: [0.5, 0.25, 0.25] })
  })

  it('prefers typed, then a random sample, then the estimate; off keeps the labeled mix', () => {
    const mix = [1 / 3, 1 / 3, 1 / 3]
    const never = () => {
      throw new Error('estimate not needed')
    }
    expect(resolvePrior({ mode: 'typed', negative: 1, neutral: 1, positive: 2 }, mix, [0, 0], never).pool).toEqual([0.25, 0.25, 0.5])
    expect(resolvePrior({ mode: 'auto', negative: 0, neutral: 0, positive: 0 }, mix, [2, 2], never)).toMatchObject({ source: 'sample', pool: [0.2, 0.2, 0.6] })
    expect(resolvePrior({ mode: 'off', negative: 0, neutral: 0, positive: 0 }, mix, [2], never)).toMatchObject({ source: 'off', pool: mix })
    const rejected = resolvePrior({ mode: 'auto', negative: 0, neutral: 0, positive: 0 }, mix, null, () => ({ prior: mix, accepted: false, reason: 'x' }))
    expect(rejected.source).toBe('labeled')
  })
})

describe('the prior estimated from the unlabeled posts (BBSE on a linear head)', () => {
  /** `m`'s rows `rows`, in that order. */
  const rowsOf = (m: Matrix, rows: number[]): Matrix => {
    const data = new Float32Array(rows.length * m.dim)
    rows.forEach((r, i) => data.set(m.data.subarray(r * m.dim, (r + 1) * m.dim), i * m.dim))
    return { rows: rows.length, dim: m.dim, data }
  }

  it("finds a pool's skewed mix from balanced labels, over two folds of 1,200 labeled posts", () => {
    const LABELED = 1_200
    const data = syntheticProblem({ seed: 3, train: 7_000, labeled: LABELED, val: 10, test: 10, dimTxt: 8, dimImg: 6, noise: 0.8, disagreement: 0, variants: 1 })
    // The pool keeps every unlabeled post of class 0 and a quarter of the others: about 2/3, 1/6, 1/6.
    const kept = data.unlabeled.ids.map((_, r) => r).filter((r) => r < LABELED || data.unlabeledKnown![r] === 0 || r % 4 === 0)
    const views = (v: typeof data.unlabeled.txt) => ({ clean: rowsOf(v.clean, kept), weak: [], strong: [] })
    const pool = { ...data, unlabeled: { ids: kept.map((r) => data.unlabeled.ids[r]!), txt: views(data.unlabeled.txt), img: views(data.unlabeled.img) } }
    const truth = classMix(Int32Array.from(kept.filter((r) => r >= LABELED).map((r) => data.unlabeledKnown![r]!)), 3)
    expect(truth[0]).toBeGreaterThan(0.6)

    const estimate = estimateFromUnlabeled(makeConfig('default'), pool, 3)
    expect(estimate.accepted).toBe(true)
    estimate.prior.forEach((p, k) => expect(Math.abs(p - truth[k]!), `class ${k}: ${p} against ${truth[k]}`).toBeLessThan(0.05))
    // The labeled mix it started from is far from that.
    expect(classMix(data.labeled.y, 3)[0]).toBeLessThan(0.4)
  })
})
