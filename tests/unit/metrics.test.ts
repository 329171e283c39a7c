import { describe, expect, it } from 'vitest'
import { classificationReport, confusionMatrix } from '#main/ml/metrics'
import { CONFUSION_ORDER } from '#shared/vocabulary'

describe('classification metrics', () => {
  // truth 0 0 0 1 1 2 / predicted 0 0 1 1 2 2, worked by hand:
  //   class 0: tp 2, predicted 2, support 3 → P 1,   R 2/3, F1 0.8
  //   class 1: tp 1, predicted 2, support 2 → P 1/2, R 1/2, F1 0.5
  //   class 2: tp 1, predicted 2, support 1 → P 1/2, R 1,   F1 2/3
  const truth = [0, 0, 0, 1, 1, 2]
  const predicted = [0, 0, 1, 1, 2, 2]

  it('counts truth × prediction', () => {
    expect(confusionMatrix(truth, predicted, 3)).toEqual([
      [2, 1, 0],
      [0, 1, 1],
      [0, 0, 1],
    ])
  })

  it('gives accuracy, per-class scores and their weighted and macro means', () => {
    const r = classificationReport(truth, predicted, CONFUSION_ORDER)
    expect(r.n).toBe(6)
    expect(r.accuracy).toBeCloseTo(4 / 6, 12)
    expect(r.perClass.map((c) => c.support)).toEqual([3, 2, 1])
    expect(r.perClass[0]).toMatchObject({ precision: 1, recall: expect.closeTo(2 / 3, 12), f1: expect.closeTo(0.8, 12) })
    expect(r.perClass[1]).toMatchObject({ precision: 0.5, recall: 0.5, f1: 0.5 })
    expect(r.perClass[2]).toMatchObject({ precision: 0.5, recall: 1, f1: expect.closeTo(2 / 3, 12) })
    expect(r.weightedF1).toBeCloseTo((3 * 0.8 + 2 * 0.5 + 1 * (2 / 3)) / 6, 12)
    expect(r.macroF1).toBeCloseTo((0.8 + 0.5 + 2 / 3) / 3, 12)
  })

  it('scores a class that is never predicted, or absent, as 0 (sklearn zero_division=0)', () => {
    // Always "class 0" on 3 × class 0 and 1 × class 1; class 2 absent.
    const r = classificationReport([0, 0, 0, 1], [0, 0, 0, 0], CONFUSION_ORDER)
    expect(r.perClass[0]).toMatchObject({ precision: 0.75, recall: 1, f1: expect.closeTo(6 / 7, 12) })
    expect(r.perClass[1]).toEqual({ label: 'neutral', precision: 0, recall: 0, f1: 0, support: 1 })
    expect(r.perClass[2]).toEqual({ label: 'positive', precision: 0, recall: 0, f1: 0, support: 0 })
    expect(r.weightedF1).toBeCloseTo((3 * (6 / 7)) / 4, 12)
    // Macro F1 averages over every class, present or not.
    expect(r.macroF1).toBeCloseTo(6 / 7 / 3, 12)
  })

  it('refuses mismatched lengths and out-of-range classes', () => {
    expect(() => confusionMatrix([0, 1], [0], 2)).toThrow(/2 items, predictions 1/)
    expect(() => confusionMatrix([0, 3], [0, 0], 3)).toThrow(/out of range at item 1/)
  })
})
