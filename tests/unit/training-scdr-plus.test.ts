// SCDR with Self-MM's unimodal label generation (ULGM) and with SPP-SCL as an auxiliary loss: the
// label bank's update through an SCDR step against values worked out by hand, the heads' CE on the
// generated labels, an auxiliary weight of 0 that changes nothing, and resume from a checkpoint.
import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { methodOptionsOf } from '#main/cli/train-command'
import { initBackend } from '#main/ml/tfjs-backend'
import { makeConfig, type ConfigOverrides } from '#main/training/config'
import { meanCE } from '#main/training/losses'
import { scdrMethod } from '#main/training/methods/scdr'
import { scdrSpecs } from '#main/training/models/scdr'
import { weightsFrom } from '#main/training/params'
import { syntheticProblem } from '#main/training/synthetic'
import { train, type TrainResult } from '#main/training/trainer'
import { classTargets, UlgmBank } from '#main/training/ulgm'
import { expectResumesIdentically, runOutcome } from './support/resume'
import { pseudoLabelAt } from '#main/training/evaluate'

beforeAll(async () => {
  await initBackend({ skipNative: true })
})

const data = syntheticProblem({ seed: 3, train: 240, labeled: 24, val: 60, test: 60, dimTxt: 12, dimImg: 10, noise: 0.6, disagreement: 0.2, variants: 2 })
const tiny = (overrides: ConfigOverrides = {}) =>
  makeConfig('default', { method: 'scdr', steps: 24, batchLabeled: 8, batchUnlabeled: 16, hidden: 16, clsHidden: 16, lr: 0.05, evalEvery: 8, checkpointEvery: 8, stepsPerEpoch: 4, ...overrides, scdr: { plfEpochs: 2, ...overrides.scdr } })
const outcome = runOutcome
const series = (r: TrainResult, name: string) => r.curves.filter((c) => c.series === name)


describe('SCDR with ULGM (§4.2, §8.3)', () => {
  it('generated labels become class targets split between the two nearest classes; the heads learn them by CE', () => {
    expect(Array.from(classTargets([1, -1, 0.5, -0.25, 3]))).toEqual([0, 0, 1, 1, 0, 0, 0, 0.5, 0.5, 0.25, 0.75, 0, 0, 0, 1])
    // Y = 0.5 → [0, ½, ½]; logits (0, 0, ln 2) → p = (¼, ¼, ½): CE = −(½·ln ¼ + ½·ln ½) = 1.0397208.
    const ce = meanCE(tf.tensor2d([[0, 0, Math.log(2)]]), tf.tensor2d(classTargets([0.5]), [1, 3]))
    expect(ce.dataSync()[0]).toBeCloseTo(1.0397208, 5)
  })

  it("an SCDR step moves the bank's labels by hand-computed amounts, from the heads' post-layer-1 features", () => {
    // One-wide model, weights set so the features are known: s_t = txt, s_v = img, c = 0; attention
    // scores 0 (uniform) and V the identity, so f = (s_t + s_v + c_m)/3; the heads' first layers
    // give f_t = ReLU(s_t), f_v = ReLU(s_v), f_m = ReLU(3f) = ReLU(txt + img).
    const dims = { txt: 1, img: 1, hidden: 1, clsHidden: 1, classes: 3 }
    const config = makeConfig('default', { method: 'scdr', ulgm: { mode: 'on' }, scdr: { plfShare: 0, plfEpochs: -1 } })
    const specs = scdrSpecs(dims, false)
    const values = Object.fromEntries(specs.map((s) => [s.name, new Float32Array(s.shape.reduce((a, b) => a * b, 1)).fill(0.1)]))
    Object.assign(values, { pt: [1], pv: [1], et: [1], ev: [1], ec: [0], 'att.wk': [0], 'att.bk': [0], 'att.wv': [1], 'att.bv': [0], 'att.sigma': [1] })
    Object.assign(values, { 'ct.w1': [1], 'ct.b1': [0], 'cv.w1': [1], 'cv.b1': [0], 'cm.w1': [3], 'cm.b1': [0] })
    const w = weightsFrom(specs, Object.fromEntries(Object.entries(values).map(([k, v]) => [k, Float32Array.from(v)])))
    // Labeled post 0 positive (+1), post 1 negative (−1).
    const bank = new UlgmBank([2, 0], { m: 1, t: 1, v: 1 })
    const method = scdrMethod(config, dims, undefined, null, bank)
    // Rows: L (posts 0, 1), then W, S0, S1 (one unlabeled post each).
    const step = (l0: [number, number], l1: [number, number], epoch: number) =>
      tf.tidy(() => {
        const txt = tf.tensor2d([l0[0], l1[0], 0.3, 0.3, 0.3], [5, 1])
        const img = tf.tensor2d([l0[1], l1[1], 0.2, 0.2, 0.2], [5, 1])
        method.step(w, { txt, img, y: Int32Array.of(2, 0), labeled: Int32Array.of(0, 1), unlabeled: Int32Array.of(0) }, { step: 0, epoch })
      })
    // Epoch 1: the features enter the banks, the labels stay the fused ones. Centres: t, v pos 1 / neg 0; m pos 2 / neg 0.
    step([1, 1], [-1, -1], 0)
    expect(Array.from(bank.labels.t)).toEqual([1, -1])
    // Epoch 2, post 0: f_m 2.5 → α_m = (2.5 − 0.5)/0.5 = 4; f_t 0.5 → α_t = 0, ŷ_t = ½·(1 + 0 − 4) = −1.5 → −1,
    // Y_t = ⅓·1 + ⅔·(−1) = −⅓; f_v 2 → α_v = (2 − 1)/1 = 1, ŷ_v = ½·1·¼ + ½·(1 + 1 − 4) = −0.875, Y_v = ⅓ − ⅔·0.875 = −0.25.
    // Post 1 (Y_m = −1): f_m 0 → α_m = −1; f_t 0 → α_t = −1, ŷ_t = −½ − ½ = −1, Y_t = −1;
    // f_v 0.25 → α_v = (0.25 − 0.75)/0.75 = −⅔, ŷ_v = ½·(−1)(−⅔)/(−1) + ½·(−1 − ⅔ + 1) = −⅔, Y_v = −⅓ − 4/9 = −7/9.
    step([0.5, 2], [-1, 0.25], 1)
    expect(bank.labels.t[0]).toBeCloseTo(-1 / 3, 5)
    expect(bank.labels.v[0]).toBeCloseTo(-0.25, 5)
    expect(bank.labels.t[1]).toBeCloseTo(-1, 5)
    expect(bank.labels.v[1]).toBeCloseTo(-7 / 9, 5)
    expect(Array.from(bank.labels.m)).toEqual([1, -1])
  })

  it('a run: text and image heads on the generated labels, their curves, the bank resumed from a checkpoint', async () => {
    const config = tiny({ ulgm: { mode: 'on' } })
    const whole = await train({ config, data })
    const plain = await train({ config: tiny(), data })
    expect(outcome(whole).weights).not.toEqual(outcome(plain).weights)
    expect(series(whole, 'ulgmText')).toHaveLength(24)
    expect(series(whole, 'ulgmImage')).toHaveLength(24)
    // The labels stay the fused ones through epoch 1 (steps 1–4), then move.
    expect(series(whole, 'ulgmShift').filter((c) => c.step <= 4).every((c) => c.value === 0)).toBe(true)
    expect(series(whole, 'ulgmShift').some((c) => c.value > 0)).toBe(true)
    // The review's text and image guesses are the heads trained on the generated labels.
    expect(pseudoLabelAt(whole.pseudoLabels, 0).text).not.toBeNull()
    expect(pseudoLabelAt(whole.pseudoLabels, 0).image).not.toBeNull()
    await expectResumesIdentically(config, data, whole)
  })
})

describe('SCDR with SPP-SCL as an auxiliary loss (§2.3–2.4)', () => {
  it('weight 0 is plain SCDR to the bit, whatever the SPP-SCL settings; a weight adds the SupCon terms and step 2', async () => {
    const plain = outcome(await train({ config: tiny(), data }))
    expect(outcome(await train({ config: tiny({ scdr: { sppSclWeight: 0 }, sppScl: { temperature: 0.5, textWeight: 3 } }), data }))).toEqual(plain)
    const config = tiny({ scdr: { sppSclWeight: 0.5 } })
    const aux = await train({ config, data })
    expect(outcome(aux).weights).not.toEqual(plain.weights)
    expect(series(aux, 'sclText')).toHaveLength(24)
    expect(series(aux, 'sclImage')).toHaveLength(24)
    // Step 2's rule is decided on every step; its loss is logged on the steps where it ran.
    const taken = series(aux, 'interStep')
    expect(taken).toHaveLength(24)
    expect(series(aux, 'sclInter')).toHaveLength(taken.filter((c) => c.value === 1).length)
    await expectResumesIdentically(config, data, aux)
  })
})

describe('train flags', () => {
  it('`--ulgm on` and `--spp-scl-aux W` set the two options; a bad value is refused naming the flag', () => {
    expect(methodOptionsOf('on', '0.1')).toEqual({ 'ulgm.mode': 'on', 'scdr.sppSclWeight': 0.1 })
    expect(methodOptionsOf(undefined, undefined)).toEqual({})
    expect(() => methodOptionsOf('yes', undefined)).toThrow('--ulgm yes: expected on or off')
    expect(() => methodOptionsOf(undefined, '-1')).toThrow('--spp-scl-aux -1: expected a weight ≥ 0 (0 = off)')
  })
})
