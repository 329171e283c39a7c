// Calibration of a run's confidence and the risk model (issue 11): temperature scaling on a case
// whose optimum is known in closed form, the AUROC against hand counts, and the risk model's order.
import { describe, expect, it } from 'vitest'
import { auroc } from '#main/ml/auroc'
import { fitRiskModel, riskOf, type RiskExample } from '#main/ml/risk-model'
import { fitTemperature, meanNll, softmaxRows } from '#main/ml/temperature'
import { calibrate, temper } from '#main/training/calibration'
import { confidence } from '#main/training/pseudo-label-rules'
import { FALLBACK_RISK, runConfidenceOf } from '#shared/calibration'
import type { Sentiment } from '#shared/vocabulary'

/**
 * n rows of logits [a, 0, 0], a share q of them labeled 0 and the rest 1. The NLL is
 * log(e^{a/T} + 2) − q·a/T; its minimum has softmax probability of class 0 equal to q:
 * e^{a/T} = 2q / (1 − q), so T = a / ln(2q / (1 − q)).
 */
function peaked(a: number, q: number, n = 100): { logits: Float32Array; labels: Int32Array } {
  const logits = new Float32Array(n * 3)
  const labels = new Int32Array(n)
  for (let i = 0; i < n; i++) {
    logits[i * 3] = a
    labels[i] = i < q * n ? 0 : 1
  }
  return { logits, labels }
}

describe('temperature scaling', () => {
  it('softens over-confident logits to the T computed by hand, keeping every label', () => {
    const { logits, labels } = peaked(10, 0.8)
    const fit = fitTemperature(logits, labels, 3)
    expect(fit.temperature).toBeGreaterThan(1)
    expect(fit.temperature).toBeCloseTo(10 / Math.log(8), 3)
    expect(fit.nllAfter).toBeLessThan(fit.nllBefore)
    // The calibrated confidence is the share that is right (0.8), where it was ≈ 1.
    expect(softmaxRows(logits, 3, fit.temperature)[0]).toBeCloseTo(0.8, 4)
    expect(confidence(temper(logits, fit.temperature), 3).label).toEqual(confidence(logits, 3).label)
  })

  it('sharpens timid logits (T < 1) and leaves flat ones alone', () => {
    const timid = peaked(0.5, 0.8)
    expect(fitTemperature(timid.logits, timid.labels, 3).temperature).toBeCloseTo(0.5 / Math.log(8), 3)
    const flat = new Float32Array(30)
    expect(fitTemperature(flat, new Int32Array(10), 3).temperature).toBe(1)
    expect(fitTemperature(new Float32Array(0), new Int32Array(0), 3).temperature).toBe(1)
  })

  it('computes the NLL of a uniform prediction as ln 3', () => {
    expect(meanNll(new Float32Array(6), [0, 2], 3)).toBeCloseTo(Math.log(3), 10)
  })
})

describe('AUROC', () => {
  it('counts pairs ranked right, ties as half', () => {
    expect(auroc([0.9, 0.8, 0.1, 0.2], [true, true, false, false])).toBe(1)
    expect(auroc([0.1, 0.2, 0.9, 0.8], [true, true, false, false])).toBe(0)
    // Pairs (yes, no): (0.5, 0.5) tie → ½, (0.5, 0.1) → 1, (0.3, 0.5) → 0, (0.3, 0.1) → 1: 2.5 / 4.
    expect(auroc([0.5, 0.3, 0.5, 0.1], [true, true, false, false])).toBe(0.625)
    expect(auroc([0.5, 0.3], [true, true])).toBeNaN()
  })
})

describe('risk model', () => {
  /** Neutral proposals wrong 3 times in 4 whatever their confidence; others wrong when confidence < 0.6. */
  function examples(): RiskExample[] {
    const out: RiskExample[] = []
    for (let i = 0; i < 200; i++) {
      const conf = 0.4 + (0.59 * (i % 50)) / 49
      const label: Sentiment = i % 4 === 0 ? 'neutral' : i % 4 === 1 ? 'negative' : 'positive'
      out.push({ confidence: conf, label, wrong: label === 'neutral' ? i % 16 !== 0 : conf < 0.6 })
    }
    return out
  }

  it('learns from posts with known labels to put the known-wrong ones first', () => {
    const train = examples()
    const model = fitRiskModel(train)
    expect(model.source).toBe('val')
    expect(model.weights.doubt).toBeGreaterThan(0)
    expect(model.weights.neutral).toBeGreaterThan(0)
    // A confident neutral proposal is riskier than an equally confident positive one.
    expect(riskOf(model, 0.95, 'neutral')).toBeGreaterThan(riskOf(model, 0.95, 'positive'))
    const scores = train.map((e) => riskOf(model, e.confidence, e.label))
    const wrong = train.map((e) => e.wrong)
    // Ranked by risk, the wrong ones come before the right ones far more often than by doubt alone.
    expect(auroc(scores, wrong)).toBeGreaterThan(auroc(train.map((e) => 1 - e.confidence), wrong) + 0.05)
    const riskiest = train.map((e, i) => ({ s: scores[i]!, wrong: e.wrong })).sort((a, b) => b.s - a.s).slice(0, 40)
    const share = (rows: Array<{ wrong: boolean }>): number => rows.filter((r) => r.wrong).length / rows.length
    expect(share(train)).toBeLessThan(0.5)
    expect(share(riskiest)).toBeGreaterThanOrEqual(0.8)
  })

  it('falls back to the fixed weights when the known posts are too few', () => {
    const few = examples().slice(0, 20)
    expect(fitRiskModel(few)).toEqual(FALLBACK_RISK)
    expect(riskOf(FALLBACK_RISK, 0.7, 'neutral')).toBeCloseTo(0.3 + 0.06, 10)
    expect(riskOf(FALLBACK_RISK, 0.7, 'positive')).toBeCloseTo(0.3 - 0.07, 10)
  })

  it('leaves a run on too few validation posts, or on posts it gets all right, uncalibrated: T = 1, the fallback risk', () => {
    // 40 posts, 8 wrong: fewer than 60.
    const few = peaked(10, 0.8, 40)
    expect(calibrate(few.logits, few.labels, 3)).toMatchObject({ temperature: 1, posts: 40, risk: FALLBACK_RISK })
    // 100 posts all right: the NLL falls without end as T shrinks (fitted alone, T would be its floor, 0.05).
    const allRight = peaked(2, 1)
    expect(fitTemperature(allRight.logits, allRight.labels, 3).temperature).toBeLessThan(0.06)
    const c = calibrate(allRight.logits, allRight.labels, 3)
    expect(c).toMatchObject({ temperature: 1, posts: 100, risk: FALLBACK_RISK })
    expect(c.nllAfter).toBe(c.nllBefore)
    expect(runConfidenceOf(c)).toEqual({ calibrated: false, posts: 100, temperature: 1 })
  })

  it('is fitted with the temperature from validation logits at the end of a run', () => {
    const { logits, labels } = peaked(10, 0.8)
    const c = calibrate(logits, labels, 3)
    expect(c.temperature).toBeCloseTo(10 / Math.log(8), 3)
    expect(c.posts).toBe(100)
    // 80 right, 20 wrong of 100: enough, so the risk model is fitted too and the run is calibrated.
    expect(c.risk.source).toBe('val')
    expect(runConfidenceOf(c)).toEqual({ calibrated: true, posts: 100, temperature: c.temperature })
    expect(calibrate(null, null, 3)).toMatchObject({ temperature: 1, risk: FALLBACK_RISK })
  })
})
