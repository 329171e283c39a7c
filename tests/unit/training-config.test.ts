// Config presets and validation, the stratified labeled subset, checkpoint bytes, data checks.
import { describe, expect, it } from 'vitest'
import { decodeCheckpoint, encodeCheckpoint, packArrays, type TrainerCheckpoint } from '#main/training/checkpoint'
import { makeConfig, PRESETS, validateConfig, type TrainingConfig } from '#main/training/config'
import { dataProblems } from '#main/training/data'
import { drawLabeledSubset } from '#main/training/labeled-subset'
import { syntheticProblem } from '#main/training/synthetic'

describe('training config', () => {
  it('every preset is valid; paper holds the released code values', () => {
    for (const preset of Object.values(PRESETS)) expect(validateConfig(preset)).toEqual([])
    expect(PRESETS.paper).toMatchObject({ optimizer: 'sgd', lr: 1e-4, momentum: 0.9, nesterov: true, weightDecay: 5e-4, batchLabeled: 2, batchUnlabeled: 8, threshold: 0.95, emaDecay: 0.999, emaReset: 'epoch', modelSelection: 'test', steps: 768_000 })
    expect(PRESETS.paper.scdr).toEqual({ plfEpochs: 10, plfShare: 0, unimodalLabels: 'filter', labelFilterFactor: 0.5, plfFactor: 1, decouplingWeight: 0.1, hingeMargin: 0.15, selector: 'frozen', selectorWeight: 1, s1View: 'decoupling', sppSclWeight: 0 })
  })

  it('overrides merge into nested groups field by field', () => {
    const c = makeConfig('paper', { lr: 0.01, scdr: { selector: 'supervised' } })
    expect(c.lr).toBe(0.01)
    expect(c.scdr.selector).toBe('supervised')
    expect(c.scdr.plfEpochs).toBe(10)
  })

  it('names the field of every bad value', () => {
    const bad = { ...makeConfig('default'), lr: -1, batchLabeled: 2.5, optimizer: 'rmsprop', scdr: { ...PRESETS.default.scdr, selector: 'learned' } } as unknown as TrainingConfig
    expect(validateConfig(bad).map((p) => p.field)).toEqual(['batchLabeled', 'optimizer', 'lr', 'scdr.selector'])
    expect(validateConfig(bad)[2]!.message).toBe('lr must be a number above 0 and at most 10')
  })

  it('a missing group fails its fields instead of throwing', () => {
    const { scdr: _dropped, ...rest } = makeConfig('default')
    const fields = validateConfig(rest as unknown as TrainingConfig).map((p) => p.field)
    expect(fields).toContain('scdr.plfEpochs')
  })
})

describe('labeled subset', () => {
  const posts = Array.from({ length: 100 }, (_, i) => ({ id: 1000 + i, label: i < 60 ? 2 : i < 85 ? 0 : 1 }))

  it('per class: n/C from each class, seeded, independent of input order', () => {
    const a = drawLabeledSubset(posts, 30, 'per-class', 1, 3)
    expect(a.perClass).toEqual([10, 10, 10])
    expect(a.ids).toHaveLength(30)
    expect(new Set(a.ids).size).toBe(30)
    expect(drawLabeledSubset([...posts].reverse(), 30, 'per-class', 1, 3)).toEqual(a)
    expect(drawLabeledSubset(posts, 30, 'per-class', 2, 3).ids).not.toEqual(a.ids)
  })

  it('proportional: the labels’ own class mix; a short class gives what it has', () => {
    expect(drawLabeledSubset(posts, 20, 'proportional', 1, 3).perClass).toEqual([5, 3, 12])
    expect(drawLabeledSubset(posts, 60, 'per-class', 1, 3).perClass).toEqual([20, 15, 20])
  })
})

describe('checkpoint bytes', () => {
  it('round-trips typed arrays and plain fields', () => {
    const state: TrainerCheckpoint = {
      version: 2,
      fingerprint: 'x',
      step: 7,
      rng: [1, 2, 3, 4],
      params: { w: Float32Array.of(1.5, -2), b: Float32Array.of(3) },
      optimizer: { t: 7, slots: { 'w/momentum': Float32Array.of(0.25, 0.5) } },
      ema: { w: Float32Array.of(1, 2) },
      flex: { selected: Int32Array.of(-1, 2), beta: Float64Array.of(0.1, 1 / 3) },
      best: null,
      last: { step: 5 },
      curves: [
        { step: 1, series: 'loss', value: 1 },
        { step: 1, series: 'lr', value: 0.1 },
      ],
      elapsedMs: 12,
    }
    expect(decodeCheckpoint(encodeCheckpoint(state))).toEqual(state)
  })

  it('reads a version 1 checkpoint (one record per step) into curve points and named class scores', () => {
    const scores = { precision: 1, recall: 1, f1: 1, support: 2 }
    const report = { accuracy: 1, weightedF1: 1, macroF1: 1, perClass: [scores, scores, scores], confusion: [[2, 0, 0], [0, 2, 0], [0, 0, 2]], n: 6 }
    const v1 = {
      version: 1,
      fingerprint: 'x',
      step: 2,
      rng: [1, 2, 3, 4],
      params: {},
      optimizer: { t: 2, slots: {} },
      ema: {},
      flex: null,
      best: { evaluation: { step: 2, val: report }, weights: {} },
      last: { step: 2, val: report },
      curves: [
        { step: 1, epoch: 0, lr: 0.1, stats: { loss: 1.5, maskM: 0.2 } },
        { step: 2, epoch: 0, lr: 0.05, stats: { loss: Number.NaN, maskM: 0.3 }, valAccuracy: 0.6, testAccuracy: 0.5 },
      ],
      elapsedMs: 12,
    }
    const read = decodeCheckpoint(packArrays(v1))
    expect(read.version).toBe(2)
    expect(read.curves).toEqual([
      { step: 1, series: 'loss', value: 1.5 },
      { step: 1, series: 'maskM', value: 0.2 },
      { step: 1, series: 'lr', value: 0.1 },
      { step: 2, series: 'maskM', value: 0.3 },
      { step: 2, series: 'lr', value: 0.05 },
      { step: 2, series: 'val.accuracy', value: 0.6 },
      { step: 2, series: 'test.accuracy', value: 0.5 },
    ])
    expect(read.last.val!.perClass.map((c) => c.label)).toEqual(['negative', 'neutral', 'positive'])
    expect(read.best!.evaluation.val!.perClass[2]).toEqual({ label: 'positive', ...scores })
  })
})

describe('data checks', () => {
  const data = syntheticProblem({ seed: 1, train: 20, labeled: 6, val: 5, test: 5, dimTxt: 4, dimImg: 3, noise: 0.5, disagreement: 0, variants: 1 })

  it('accepts consistent data, names the field of inconsistent data', () => {
    const needs = { unlabeled: true, val: true, test: false }
    expect(dataProblems(data, needs, 3)).toEqual([])
    const broken = { ...data, labeled: { ...data.labeled, y: [0, 1, 2, 3, 0, 1] }, val: undefined }
    expect(dataProblems(broken, needs, 3)).toEqual(['data.labeled.y must hold class indices 0–2', "data.val is needed by modelSelection 'val'"])
    const shortImg = { ...data, unlabeled: { ...data.unlabeled, img: { ...data.unlabeled.img, weak: [{ rows: 20, dim: 2, data: new Float32Array(40) }] } } }
    expect(dataProblems(shortImg, needs, 3)).toEqual(['data.unlabeled.img.weak[0] has dimension 2, expected 3'])
  })
})
