// A trained run as ONNX: the graph on raw features (standardisation baked in) gives the very logits
// the TensorFlow.js model gives on standardised ones, for every method; the calibration tail turns
// them into softmax((logits + adjustment) / temperature); broken inputs are refused by name.
import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { initBackend } from '#main/ml/tfjs-backend'
import { applyScaler, fitScaler } from '#main/features/probe/standardize'
import type { RunMethod } from '#shared/runs'
import { makeConfig } from '#main/training/config'
import type { Matrix } from '#main/training/data'
import { predictAll } from '#main/training/evaluate'
import { syntheticProblem } from '#main/training/synthetic'
import { buildMethod, train, type TrainResult } from '#main/training/trainer'
import { buildHeadGraph, type HeadModel } from '#main/training/onnx/head-graph'
import { HeadSession } from '#main/training/onnx/head-session'
import { headModelOf, weightArrays, type ModelTopology, type WeightSpec } from '#main/training/onnx/run-model'
import { Rng } from '#main/training/rng'
import type { StoredRows } from '#main/training/view-rows'

beforeAll(async () => {
  await initBackend({ skipNative: true })
})

const data = syntheticProblem({ seed: 5, train: 120, labeled: 24, val: 30, test: 40, dimTxt: 12, dimImg: 10, noise: 0.6, disagreement: 0.2, variants: 1 })
const config = (method: RunMethod, ulgm: 'on' | 'off' = 'off') => makeConfig('default', { method, ulgm: { mode: ulgm }, steps: 16, batchLabeled: 8, batchUnlabeled: 16, hidden: 16, clsHidden: 16, lr: 0.05, evalEvery: 8, checkpointEvery: 0, stepsPerEpoch: 4, scdr: { plfEpochs: 2 } })

/** Raw features: the test posts' features spread and shifted per column, as an encoder's are. */
function rawOf(m: Matrix, seed: number): Matrix {
  const rng = new Rng(seed)
  const scale = Array.from({ length: m.dim }, () => rng.uniform(0.05, 8))
  const shift = Array.from({ length: m.dim }, () => rng.uniform(-3, 3))
  return { ...m, data: m.data.map((x, i) => x * scale[i % m.dim]! + shift[i % m.dim]!) }
}

function standardised(raw: Matrix) {
  const scaler = fitScaler(raw.data, raw.rows, raw.dim)
  const copy = Float32Array.from(raw.data)
  applyScaler(scaler, copy, raw.rows, raw.dim)
  return { scaler, matrix: { ...raw, data: copy } }
}

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  expect(a.length).toBe(b.length)
  let worst = 0
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!))
  return worst
}

async function trained(method: RunMethod, ulgm: 'on' | 'off' = 'off'): Promise<{ result: TrainResult; model: HeadModel; raw: { txt: Matrix; img: Matrix }; std: { txt: Matrix; img: Matrix } }> {
  const result = await train({ config: config(method, ulgm), data })
  const raw = { txt: rawOf(data.test!.txt, 1), img: rawOf(data.test!.img, 2) }
  const txt = standardised(raw.txt)
  const img = standardised(raw.img)
  const topology = result.artifacts.modelTopology as unknown as ModelTopology
  const weights = weightArrays(result.artifacts.weightSpecs as WeightSpec[], result.artifacts.weightData as ArrayBuffer, 'test')
  const model = headModelOf({ topology, weights, preprocessing: { encoder: 'default', standardize: { text: txt.scaler as never, image: img.scaler as never } } })
  return { result, model, raw, std: { txt: txt.matrix, img: img.matrix } }
}

describe('ONNX head export', () => {
  it.each(['supervised', 'fixmatch', 'flexmatch', 'scdr', 'spp-scl'] as const)('%s: ONNX on raw features equals TensorFlow.js on standardised ones within 1e-4', async (method) => {
    const { result, model, raw, std } = await trained(method)
    const { method: tfMethod } = buildMethod(result.config, data)
    const tensors = tf.io.decodeWeights(result.artifacts.weightData as ArrayBuffer, result.artifacts.weightSpecs!)
    const expected = predictAll(tfMethod, new Map(Object.entries(tensors)), std.txt, std.img)
    Object.values(tensors).forEach((t) => t.dispose())

    const session = await HeadSession.open(buildHeadGraph(model))
    const got = await session.run(raw.txt, raw.img, { chunk: 16 }) // several chunks, the last one short
    await session.release()
    expect(got.logits).toHaveLength(40 * 3)
    expect(maxDiff(got.logits, expected.logits)).toBeLessThan(1e-4)
    if (method === 'scdr') {
      expect(maxDiff(got.text!, expected.text!)).toBeLessThan(1e-4)
      expect(maxDiff(got.image!, expected.image!)).toBeLessThan(1e-4)
      expect(maxDiff(got.textOnCommon!, expected.textOnCommon!)).toBeLessThan(1e-4)
      expect(maxDiff(got.imageOnCommon!, expected.imageOnCommon!)).toBeLessThan(1e-4)
      expect(Array.from(got.selected!)).toEqual(Array.from(expected.selected!))
    } else {
      expect(got.text).toBeUndefined()
    }
  })

  it("supervised with ULGM: the text and image heads' class logits equal TensorFlow.js within 1e-4", async () => {
    const { result, model, raw, std } = await trained('supervised', 'on')
    const { method: tfMethod } = buildMethod(result.config, data)
    const tensors = tf.io.decodeWeights(result.artifacts.weightData as ArrayBuffer, result.artifacts.weightSpecs!)
    const expected = predictAll(tfMethod, new Map(Object.entries(tensors)), std.txt, std.img)
    Object.values(tensors).forEach((t) => t.dispose())
    const session = await HeadSession.open(buildHeadGraph(model))
    const got = await session.run(raw.txt, raw.img, { chunk: 16 })
    await session.release()
    expect(maxDiff(got.logits, expected.logits)).toBeLessThan(1e-4)
    expect(maxDiff(got.text!, expected.text!)).toBeLessThan(1e-4)
    expect(maxDiff(got.image!, expected.image!)).toBeLessThan(1e-4)
  })

  it('applies the logit adjustment and the temperature before the softmax', async () => {
    const { model, raw } = await trained('supervised')
    const calibration = { temperature: 2.5, logitAdjustment: [0.7, -0.2, -1.1] }
    const session = await HeadSession.open(buildHeadGraph({ ...model, calibration }))
    const got = await session.run(raw.txt, raw.img)
    await session.release()
    const expected = new Float32Array(got.logits.length)
    for (let r = 0; r < got.logits.length / 3; r++) {
      const z = [0, 1, 2].map((c) => (got.logits[r * 3 + c]! + calibration.logitAdjustment[c]!) / calibration.temperature)
      const top = Math.max(...z)
      const e = z.map((v) => Math.exp(v - top))
      const sum = e.reduce((a, b) => a + b, 0)
      e.forEach((v, c) => (expected[r * 3 + c] = v / sum))
    }
    expect(maxDiff(got.probabilities, expected)).toBeLessThan(1e-6)
    // A temperature above 1 alone softens every prediction: the mean top probability falls.
    const meanTop = async (temperature: number) => {
      const s = await HeadSession.open(buildHeadGraph({ ...model, calibration: { temperature, logitAdjustment: null } }))
      const p = (await s.run(raw.txt, raw.img)).probabilities
      await s.release()
      return Array.from({ length: p.length / 3 }, (_, r) => Math.max(p[r * 3]!, p[r * 3 + 1]!, p[r * 3 + 2]!)).reduce((a, b) => a + b, 0) / (p.length / 3)
    }
    expect(await meanTop(2.5)).toBeLessThan(await meanTop(1))
  })

  it('gives the same outputs for rows read from elsewhere a chunk at a time as for a matrix in one call', async () => {
    const { model, raw } = await trained('scdr')
    const session = await HeadSession.open(buildHeadGraph(model))
    const whole = await session.run(raw.txt, raw.img)
    // A stored view (as the feature cache's) that records which rows it was asked for.
    const asked: number[] = []
    const stored = (m: Matrix): StoredRows => ({
      rows: m.rows,
      dim: m.dim,
      read(rows, out) {
        for (let i = 0; i < rows.length; i++) out.set(m.data.subarray(rows[i]! * m.dim, (rows[i]! + 1) * m.dim), i * m.dim)
        if (m === raw.txt) asked.push(...Array.from(rows))
      },
    })
    const chunked = await session.run(stored(raw.txt), stored(raw.img), { chunk: 7 })
    await session.release()
    expect(asked).toEqual(Array.from({ length: raw.txt.rows }, (_, i) => i))
    expect(chunked.logits).toEqual(whole.logits)
    expect(chunked.probabilities).toEqual(whole.probabilities)
    expect(chunked.selected).toEqual(whole.selected)
  })

  it('refuses features of the wrong width and a bad calibration, naming the problem', async () => {
    const { model, raw } = await trained('supervised')
    const session = await HeadSession.open(buildHeadGraph(model))
    await expect(session.run(raw.img, raw.img)).rejects.toThrow(/reads text 12-d and image 10-d features, got 10-d and 10-d/)
    await session.release()
    expect(() => buildHeadGraph({ ...model, calibration: { temperature: 0, logitAdjustment: null } })).toThrow(/temperature must be a positive number/)
    expect(() => buildHeadGraph({ ...model, calibration: { temperature: 1, logitAdjustment: [1, 2] } })).toThrow(/logit adjustment needs 3 finite numbers/)
    expect(() => buildHeadGraph({ ...model, weights: new Map() })).toThrow(/the supervised model has no weight "w1"/)
  })
})
