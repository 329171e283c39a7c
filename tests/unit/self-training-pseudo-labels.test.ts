// Self-training's end-of-run pseudo-labels come through the ONNX head (as every other method's and
// `predict`'s) instead of a plain-JS pass over the joined pool. They must be the labels and the
// confidences the run's saved head gives by plain arithmetic: [text | image] · w + b, softmax(z / T).
import { beforeAll, describe, expect, it } from 'vitest'
import { initBackend } from '#main/ml/tfjs-backend'
import { makeConfig } from '#main/training/config'
import { weightArrays } from '#main/training/onnx/run-model'
import { syntheticProblem } from '#main/training/synthetic'
import { train } from '#main/training/trainer'
import { pseudoLabelAt } from '#main/training/evaluate'

beforeAll(async () => {
  await initBackend({ skipNative: true })
})

describe('self-training pseudo-labels', () => {
  it('are the saved head\'s argmax and calibrated confidence on every unlabeled post, with no strong-view loss', async () => {
    const data = syntheticProblem({ seed: 5, train: 200, labeled: 30, val: 60, test: 30, dimTxt: 9, dimImg: 7, noise: 0.7, disagreement: 0.2, variants: 1 })
    const r = await train({ config: makeConfig('default', { method: 'self-training', steps: 20, seed: 2 }), data })
    const labeled = new Set(data.labeled.ids)
    const unlabeled = data.unlabeled.ids.flatMap((id, row) => (labeled.has(id) ? [] : [{ id, row }]))
    expect(r.pseudoLabels.ids).toEqual(unlabeled.map((u) => u.id))

    const weights = weightArrays(r.artifacts.weightSpecs!, r.artifacts.weightData as ArrayBuffer, 'test')
    const w = weights.get('w')!.values // [dim, classes], the prior in b
    const b = weights.get('b')!.values
    const { txt, img } = data.unlabeled
    const T = r.calibration.temperature
    unlabeled.forEach(({ row }, i) => {
      const x = [...txt.clean.data.subarray(row * txt.clean.dim, (row + 1) * txt.clean.dim), ...img.clean.data.subarray(row * img.clean.dim, (row + 1) * img.clean.dim)]
      const z = [0, 1, 2].map((c) => x.reduce((sum, v, k) => sum + v * w[k * 3 + c]!, b[c]!))
      const label = z.indexOf(Math.max(...z))
      const e = z.map((v) => Math.exp((v - z[label]!) / T))
      const p = pseudoLabelAt(r.pseudoLabels, i)
      expect(p.label).toBe(label)
      expect(p.confidence).toBeCloseTo(1 / e.reduce((a, v) => a + v, 0), 5)
      expect(p.loss).toBeNull()
      // The pool's logits the run reports are the same pass's.
      z.forEach((v, c) => expect(r.logits.unlabeled[i * 3 + c]).toBeCloseTo(v, 4))
    })
  })
})
