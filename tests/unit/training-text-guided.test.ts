// Text-guided fusion (our reading of ALGORITHMS §4.1): the text-oriented attention over a post's
// image regions against values worked by hand, the runs it is an option of end to end, their ONNX
// heads equal to the TensorFlow.js models, and resume from a checkpoint to the very same result.
import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { initBackend } from '#main/ml/tfjs-backend'
import { decodeCheckpoint, encodeCheckpoint } from '#main/training/checkpoint'
import { makeConfig, validateConfig, type ConfigOverrides } from '#main/training/config'
import type { TrainingData } from '#main/training/data'
import { predictAll } from '#main/training/evaluate'
import { attendRegions, attentionFocus } from '#main/training/models/text-guided'
import { buildHeadGraph } from '#main/training/onnx/head-graph'
import { HeadSession } from '#main/training/onnx/head-session'
import { headModelOf, weightArrays, type ModelTopology, type WeightSpec } from '#main/training/onnx/run-model'
import { syntheticProblem } from '#main/training/synthetic'
import { buildMethod, InvalidTrainingInput, train, TrainingStopped, type TrainResult } from '#main/training/trainer'
import type { RunMethod } from '#shared/runs'

beforeAll(async () => {
  await initBackend({ skipNative: true })
})

/** Identity maps unless said: the attention's arithmetic shows through. */
function attentionWeights(wo = [1, 0, 0, 1], bo = [0, 0]): Map<string, tf.Tensor> {
  const eye = tf.tensor2d([1, 0, 0, 1], [2, 2])
  const zero = tf.tensor1d([0, 0])
  return new Map<string, tf.Tensor>([
    ['tgf.wq', eye],
    ['tgf.bq', zero],
    ['tgf.wk', eye],
    ['tgf.bk', zero],
    ['tgf.wv', eye],
    ['tgf.bv', zero],
    ['tgf.wo', tf.tensor2d(wo, [2, 2])],
    ['tgf.bo', tf.tensor1d(bo)],
  ])
}

// Post 1: query [1, 0], regions [2, 0] and [0, 1]. Post 2: query [0, 1], regions [1, 1] and [0, 3].
const query = () => tf.tensor2d([1, 0, 0, 1], [2, 2])
const regions = () => tf.tensor2d([2, 0, 0, 1, 1, 1, 0, 3], [4, 2])

describe('text-oriented attention over image regions', () => {
  it('one head: softmax of q·k/√2 over the post\'s own regions, the values mixed by it', () => {
    tf.tidy(() => {
      const { out, weights } = attendRegions(attentionWeights(), query(), regions(), 2, 1)
      // Post 1: scores 2/√2 and 0 → a = 0.80443, 0.19557; out = 0.80443·[2, 0] + 0.19557·[0, 1].
      // Post 2: scores 1/√2 and 3/√2 → a = 0.19557, 0.80443; out = 0.19557·[1, 1] + 0.80443·[0, 3].
      expect(Array.from(weights.dataSync())).toEqual([0.80443, 0.19557, 0.19557, 0.80443].map((x) => expect.closeTo(x, 5)))
      expect(Array.from(out.dataSync())).toEqual([1.60886, 0.19557, 0.19557, 2.60886].map((x) => expect.closeTo(x, 4)))
      // Focus: 1 − H(0.80443, 0.19557)/ln 2 for both posts = 1 − 0.49419/0.69315.
      expect(attentionFocus(weights)).toBeCloseTo(0.28702, 4)
      expect(attentionFocus(tf.tensor3d([0.5, 0.5, 1, 0], [2, 2, 1]))).toBeCloseTo(0.5, 6)
    })
  })

  it('two heads attend on their own halves, then W_o and b_o map the joined heads', () => {
    tf.tidy(() => {
      const { out, weights } = attendRegions(attentionWeights([1, 1, 0, 2], [0.5, 0]), query(), regions(), 2, 2)
      // Post 1, head 1 (first coordinate): scores 2, 0 → 0.88080, 0.11920 → 1.76159; head 2: scores 0, 0 → ½, ½ → 0.5.
      // [1.76159, 0.5]·[[1, 1], [0, 2]] + [0.5, 0] = [2.26159, 2.76159].
      const w = weights.arraySync() as number[][][]
      expect(w[0]!.map((cell) => cell.map((x) => Number(x.toFixed(5))))).toEqual([
        [0.8808, 0.5],
        [0.1192, 0.5],
      ])
      const [first] = out.arraySync() as number[][]
      expect(first).toEqual([expect.closeTo(2.26159, 4), expect.closeTo(2.76159, 4)])
    })
  })
})

// Image rows: 4 pooled columns, then 2 regions of 3 channels.
const base = syntheticProblem({ seed: 5, train: 120, labeled: 24, val: 30, test: 40, dimTxt: 12, dimImg: 10, noise: 0.6, disagreement: 0.2, variants: 1 })
const data: TrainingData = { ...base, regions: { pooled: 4, cells: 2, channels: 3 } }
const tiny = (method: RunMethod, overrides: ConfigOverrides = {}) =>
  makeConfig('default', { method, fusion: 'text-guided', tgf: { heads: 2, dim: 8 }, steps: 16, batchLabeled: 8, batchUnlabeled: 16, hidden: 16, clsHidden: 16, lr: 0.05, evalEvery: 8, checkpointEvery: 8, stepsPerEpoch: 4, scdr: { plfEpochs: 2 }, ...overrides })

const outcome = (r: TrainResult) => ({ metrics: r.metrics, curves: r.curves, pseudoLabels: r.pseudoLabels, weights: Buffer.from(r.artifacts.weightData as ArrayBuffer).toString('base64') })

describe('text-guided fusion runs', () => {
  it.each(['supervised', 'fixmatch', 'scdr'] as const)('%s: trains, records the reading in its model, and its ONNX head gives the TensorFlow.js logits', async (method) => {
    const result = await train({ config: tiny(method), data })
    const topology = result.artifacts.modelTopology as unknown as ModelTopology & { config: { fusion: string } }
    expect(topology.textGuided).toEqual({ pooled: 4, cells: 2, channels: 3, heads: 2, combine: 'gate' })
    expect(topology.config.fusion).toBe('text-guided')
    expect(result.pseudoLabels.ids).toHaveLength(120)
    // Its own curve: how focused the attention over the regions is, at every step, in [0, 1].
    const focus = result.curves.filter((c) => c.series === 'tgfFocus')
    expect(focus).toHaveLength(16)
    for (const c of focus) expect(c.value).toBeGreaterThanOrEqual(0)
    for (const c of focus) expect(c.value).toBeLessThanOrEqual(1)
    const names = (result.artifacts.weightSpecs ?? []).map((s) => s.name)
    expect(names).toContain('tgf.wk')
    // SCDR's P_v reads the pooled vector only; the regions reach it through the attention.
    if (method === 'scdr') expect(result.artifacts.weightSpecs!.find((s) => s.name === 'pv')!.shape).toEqual([4, 16])

    const { method: tfMethod } = buildMethod(result.config, data)
    const tensors = tf.io.decodeWeights(result.artifacts.weightData as ArrayBuffer, result.artifacts.weightSpecs!)
    const expected = predictAll(tfMethod, new Map(Object.entries(tensors)), data.test!.txt, data.test!.img)
    Object.values(tensors).forEach((t) => t.dispose())
    const weights = weightArrays(result.artifacts.weightSpecs as WeightSpec[], result.artifacts.weightData as ArrayBuffer, 'test')
    const session = await HeadSession.open(buildHeadGraph(headModelOf({ topology, weights, preprocessing: null })))
    const got = await session.run(data.test!.txt, data.test!.img, { chunk: 16 })
    await session.release()
    let worst = 0
    got.logits.forEach((x, i) => (worst = Math.max(worst, Math.abs(x - expected.logits[i]!))))
    expect(worst).toBeLessThan(1e-4)
  })

  it('the concat combine option and SCDR resume from a checkpoint to exactly the uninterrupted result', async () => {
    for (const config of [tiny('supervised', { tgf: { heads: 2, dim: 8, combine: 'concat' } }), tiny('scdr')]) {
      const whole = await train({ config, data })
      const saved: Uint8Array[] = []
      const controller = new AbortController()
      await expect(
        train({ config, data, onProgress: (p) => p.step === 11 && controller.abort(), signal: controller.signal, checkpoint: { save: (s) => void saved.push(encodeCheckpoint(s)), load: () => null } }),
      ).rejects.toThrow(TrainingStopped)
      const from = decodeCheckpoint(saved.at(-1)!)
      expect(from.step).toBeGreaterThan(0)
      expect(outcome(await train({ config, data, checkpoint: { save: () => undefined, load: () => from } }))).toEqual(outcome(whole))
    }
  })

  it('is refused where it cannot run, naming the field', async () => {
    await expect(train({ config: tiny('supervised'), data: base })).rejects.toThrow(InvalidTrainingInput)
    expect(validateConfig(tiny('spp-scl')).map((p) => p.message)).toContain('fusion text-guided is an option of supervised, fixmatch, flexmatch and scdr runs')
    expect(validateConfig(tiny('supervised', { tgf: { heads: 3, dim: 8 } })).map((p) => p.message)).toContain('tgf.dim must be a whole number up to 4096 and a multiple of tgf.heads')
    expect(validateConfig(tiny('supervised', { ulgm: { mode: 'on' } })).map((p) => p.field)).toContain('fusion')
  })
})
