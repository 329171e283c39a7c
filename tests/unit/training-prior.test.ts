import { describe, expect, it } from 'vitest'
import { classMix, estimatePriorBbse, logitShift, resolvePrior, shiftLogits, smoothedPrior } from '#main/training/prior'

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
