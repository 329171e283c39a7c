// Pseudo-label rules (FixMatch mask, SCDR label filter and PLF, FlexMatch), the selector's
// target, the schedule, the EMA and the optimiser, against values worked out by hand.
import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { initBackend } from '#main/ml/tfjs-backend'
import { Ema } from '#main/training/ema'
import { selectorTargets } from '#main/training/methods/scdr'
import { Optimizer, type OptimizerSettings } from '#main/training/optimizer'
import { bias, Params, weight } from '#main/training/params'
import { confidence, crossEntropyRows, FlexMatchThresholds, labelFilterMask, plfDrops, plfReason, thresholdMask } from '#main/training/pseudo-label-rules'
import { cosineFactor } from '#main/training/schedule'

beforeAll(async () => {
  await initBackend({ skipNative: true })
})

describe('pseudo-labels and the fixed-threshold mask (FixMatch, SCDR e)', () => {
  it('takes max/argmax of the softmax and keeps rows whose confidence reaches τ', () => {
    const c = confidence([Math.log(19), 0, 0, 0, 0, 1], 3)
    // Row 1: softmax = 19/21, 1/21, 1/21. Row 2: e/(2 + e) on class 2.
    expect(Array.from(c.label)).toEqual([0, 2])
    expect(c.score[0]).toBeCloseTo(19 / 21, 6)
    expect(c.score[1]).toBeCloseTo(Math.E / (2 + Math.E), 6)
    expect(Array.from(thresholdMask([0.95, 0.9499, 1], 0.95))).toEqual([1, 0, 1])
  })

  it('per-row CE in plain numbers agrees with log Σ exp − target', () => {
    expect(crossEntropyRows([2, 1, 0], 3, [1])[0]).toBeCloseTo(Math.log(Math.exp(2) + Math.exp(1) + 1) - 1, 6)
  })
})

describe('SCDR label filter (b) and PLF (d)', () => {
  it('a labeled post supervises a unimodal head only when its CE is strictly below 0.5·L_m', () => {
    expect(Array.from(labelFilterMask([0.2, 0.5, 0.7], 0.5))).toEqual([1, 0, 0])
  })

  it('drops a common-feature post when either unimodal head on the common feature disagrees', () => {
    const base = { selected: 2, ceText: 0.3, ceImage: 0.3, threshold: 0.8 }
    expect(plfDrops(base)).toBe(false)
    expect(plfDrops({ ...base, ceText: 0.9 })).toBe(true)
    expect(plfDrops({ ...base, ceImage: 0.81 })).toBe(true)
    // Strictly greater: equal to the threshold is kept.
    expect(plfDrops({ ...base, ceText: 0.8 })).toBe(false)
    // A text- or image-private selection is never filtered, whatever the CEs.
    expect(plfDrops({ ...base, selected: 0, ceText: 9, ceImage: 9 })).toBe(false)
    expect(plfDrops({ ...base, selected: 1, ceText: 9, ceImage: 9 })).toBe(false)
  })

  it('says why, with the numbers', () => {
    expect(plfReason({ selected: 2, ceText: 0.9, ceImage: 0.1, threshold: 0.8 })).toBe(
      'text head on the common feature disagrees with the text pseudo-label (CE 0.900 > 0.800)',
    )
    expect(plfReason({ selected: 1, ceText: 9, ceImage: 9, threshold: 0.8 })).toMatch(/^image-private feature selected/)
    expect(plfReason({ selected: 2, ceText: 0.2, ceImage: 0.3, threshold: 0.8 })).toMatch(/^common feature agrees/)
  })

  it('the supervised selector targets the token whose own head has the lowest CE', () => {
    const t = Float32Array.from([0.1, 0.9, 0.5])
    const v = Float32Array.from([0.4, 0.2, 0.5])
    const c = Float32Array.from([0.3, 0.8, 0.1])
    expect(Array.from(selectorTargets(t, v, c))).toEqual([0, 1, 2])
  })
})

describe('FlexMatch thresholds', () => {
  const conf = (label: number[], score: number[]) => ({ label: Int32Array.from(label), score: Float32Array.from(score) })

  it('with warm-up: β_c = σ_c / max(σ incl. the −1 count), convex mapping τ·β/(2 − β), mask before update', () => {
    const flex = new FlexMatchThresholds(5, 3, true)
    // All −1: β = 0, so every threshold is 0 and the first batch passes whole.
    expect(Array.from(flex.maskAndUpdate([0, 1, 2], conf([0, 1, 0], [0.96, 0.5, 0.97]), 0.95))).toEqual([1, 1, 1])
    // Posts 0 and 2 were confident as class 0: counts {0: 2, −1: 3} → β = [2/3, 0, 0].
    expect(Array.from(flex.selected)).toEqual([0, -1, 0, -1, -1])
    expect(flex.beta[0]).toBeCloseTo(2 / 3, 9)
    // Class 0 now needs 0.95·(2/3)/(2 − 2/3) = 0.475; class 1 still 0.
    expect(Array.from(flex.maskAndUpdate([3, 4], conf([0, 0], [0.48, 0.47]), 0.95))).toEqual([1, 0])
    expect(Array.from(flex.maskAndUpdate([3], conf([1], [0.01]), 0.95))).toEqual([1])
  })

  it('without warm-up the −1 count stays out of the max', () => {
    const flex = new FlexMatchThresholds(5, 3, false)
    flex.maskAndUpdate([0, 1, 2], conf([0, 1, 0], [0.96, 0.5, 0.97]), 0.95)
    // counts {0: 2} without −1 → β = [1, 0, 0]: class 0 needs the full τ.
    expect(Array.from(flex.beta)).toEqual([1, 0, 0])
    expect(Array.from(flex.maskAndUpdate([3, 4], conf([0, 0], [0.95, 0.94]), 0.95))).toEqual([1, 0])
  })

  it('keeps β while every post sits in one bucket', () => {
    const flex = new FlexMatchThresholds(2, 3, true)
    flex.maskAndUpdate([0, 1], conf([2, 2], [0.99, 0.99]), 0.95)
    // All posts are class 2: USB skips the refresh, β stays at its initial zeros.
    expect(Array.from(flex.beta)).toEqual([0, 0, 0])
  })
})

describe('schedule, EMA, optimiser', () => {
  it('cosine factor max(0, cos(π·7/16·step/total))', () => {
    expect(cosineFactor(0, 100)).toBe(1)
    expect(cosineFactor(50, 100)).toBeCloseTo(Math.cos((7 * Math.PI) / 32), 12)
    expect(cosineFactor(100, 100)).toBeCloseTo(Math.cos((7 * Math.PI) / 16), 12)
    expect(cosineFactor(100, 100)).toBeCloseTo(0.19509, 5)
  })

  it('EMA: shadow ← m·shadow + (1 − m)·param, and reset copies the weights', () => {
    const w = new Map([['a', tf.keep(tf.tensor1d([1]))]])
    const ema = new Ema(0.9)
    ema.reset(w)
    const p = new Map([['a', tf.keep(tf.tensor1d([3]))]])
    ema.update(p)
    expect(ema.shadow.get('a')!.dataSync()[0]).toBeCloseTo(1.2, 6)
    ema.update(p)
    expect(ema.shadow.get('a')!.dataSync()[0]).toBeCloseTo(1.38, 6)
    ema.reset(p)
    expect(ema.shadow.get('a')!.dataSync()[0]).toBe(3)
    ema.dispose()
  })

  const settings: OptimizerSettings = { name: 'sgd', momentum: 0.9, nesterov: true, weightDecay: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 }
  const model = () => {
    const specs = [weight('w', 1, 1), bias('b', 1, 1)]
    const params = new Params(specs, { w: Float32Array.of(1), b: Float32Array.of(1) })
    const grads = new Map<string, tf.Tensor>([
      ['w', tf.keep(tf.tensor2d([[0.5]]))],
      ['b', tf.keep(tf.tensor1d([0.5]))],
    ])
    const read = (name: string): number => params.variables.get(name)!.dataSync()[0]!
    return { specs, params, grads, read }
  }

  it('SGD nesterov as torch.optim.SGD, weight decay on weights only', () => {
    const { specs, params, grads, read } = model()
    const opt = new Optimizer(settings, specs, params.variables)
    opt.apply(grads, 0.1)
    // w: d = 0.5 + 0.01·1 = 0.51, buf = 0.51, step = d + 0.9·buf = 0.969 → 1 − 0.0969.
    expect(read('w')).toBeCloseTo(0.9031, 6)
    // b: no decay: d = 0.5, step 0.95 → 1 − 0.095.
    expect(read('b')).toBeCloseTo(0.905, 6)
    opt.apply(grads, 0.1)
    // w: d = 0.5 + 0.01·0.9031 = 0.509031; buf = 0.9·0.51 + d = 0.968031; step = d + 0.9·buf = 1.3802589.
    expect(read('w')).toBeCloseTo(0.9031 - 0.13802589, 6)
    opt.dispose()
  })

  it('Adam moves each weight by ≈ lr on its first step; AdamW also shrinks it by lr·wd', () => {
    for (const [name, expected] of [
      ['adam', 1 - 0.1],
      ['adamw', 1 * (1 - 0.1 * 0.01) - 0.1],
    ] as const) {
      const { specs, params, grads, read } = model()
      const opt = new Optimizer({ ...settings, name }, specs, params.variables)
      opt.apply(grads, 0.1)
      expect(read('w')).toBeCloseTo(expected, 5)
      expect(read('b')).toBeCloseTo(0.9, 5)
      opt.dispose()
    }
  })
})
