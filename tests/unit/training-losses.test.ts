// Every loss term of SCDR and the baselines against values worked out by hand on tiny tensors.
import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { initBackend } from '#main/ml/tfjs-backend'
import { cosineMatrix, maskedBatchMean, meanCE, mse, ordinalHingeLoss, orthogonality, perSampleCE, subsetMean } from '#main/training/losses'
import { oneHot } from '#main/training/methods/method'
import { ordinalHinge } from '#main/training/ordinal-hinge'
import { Rng } from '#main/training/rng'

beforeAll(async () => {
  await initBackend({ skipNative: true })
})

const values = (t: tf.Tensor): number[] => Array.from(t.dataSync())
const value = (t: tf.Tensor): number => t.dataSync()[0]!

describe('cross-entropy (log-softmax + NLL)', () => {
  it('matches log Σ exp − the target logit, per sample and as a mean', () => {
    const logits = tf.tensor2d([
      [2, 1, 0],
      [0, 0, 0],
    ])
    const y = oneHot([0, 2], 3)
    // Row 1: log(e² + e + 1) − 2 = 0.407606; row 2: log 3.
    const expected = [Math.log(Math.exp(2) + Math.exp(1) + 1) - 2, Math.log(3)]
    values(perSampleCE(logits, y)).forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 5))
    expect(value(meanCE(logits, y))).toBeCloseTo((expected[0]! + expected[1]!) / 2, 5)
  })

  it('stays finite for large logits', () => {
    expect(value(meanCE(tf.tensor2d([[1000, 0, 0]]), oneHot([1], 3)))).toBeCloseTo(1000, 2)
  })
})

describe('masks', () => {
  it('the unlabeled mean divides by the whole batch, masked rows counting as zeros', () => {
    // (1 + 3) / 4, not (1 + 3) / 2.
    expect(value(maskedBatchMean(tf.tensor1d([1, 2, 3, 4]), tf.tensor1d([1, 0, 1, 0])))).toBeCloseTo(1, 6)
  })

  it('the unimodal supervision averages over the selected rows only, 0 when none', () => {
    expect(value(subsetMean(tf.tensor1d([1, 2, 3, 4]), Float32Array.from([1, 0, 1, 0])))).toBeCloseTo(2, 6)
    expect(value(subsetMean(tf.tensor1d([1, 2]), Float32Array.from([0, 0])))).toBe(0)
  })
})

describe('decoupling losses', () => {
  it('MSE is the sum of squares over every element / numel (L_rec, L_cyc)', () => {
    const a = tf.tensor2d([
      [1, 2],
      [3, 4],
    ])
    const b = tf.tensor2d([
      [1, 0],
      [0, 4],
    ])
    expect(value(mse(a, b))).toBeCloseTo((0 + 4 + 9 + 0) / 4, 6)
  })

  it('L_ort is mean max(0, cos): orthogonal rows cost 0, opposite rows 0, 45° costs 1/√2', () => {
    const s = tf.tensor2d([
      [1, 0],
      [1, 1],
      [1, 0],
    ])
    const c = tf.tensor2d([
      [0, 1],
      [1, 0],
      [-1, 0],
    ])
    expect(value(orthogonality(s, c))).toBeCloseTo(Math.SQRT1_2 / 3, 5)
  })

  it('cosines use norms sqrt(Σx² + 1e-8), so a zero row gives 0 rather than NaN', () => {
    const cos = values(
      cosineMatrix(
        tf.tensor2d([
          [3, 4],
          [0, 0],
        ]),
      ),
    )
    expect(cos[0]).toBeCloseTo(1, 6)
    expect(cos[1]).toBe(0)
  })
})

describe('ordinal hinge L_sim', () => {
  // Three vectors, ids 0, 0, 2, margin 0.15 per class step (0 negative, 1 neutral, 2 positive).
  const cos = [1, 0.5, 0.4, 0.5, 1, -0.1, 0.4, -0.1, 1]
  const ids = [0, 0, 2]

  it('works out by hand', () => {
    // Anchor 0: max(0, 0.15·2 − cos(0,1) + cos(0,2)) = 0.3 − 0.5 + 0.4 = 0.2.
    // Anchor 1: 0.3 − 0.5 − 0.1 < 0 → 0. Anchor 2 has no positive: left out. Mean = 0.1.
    const r = ordinalHinge(cos, ids, 0.15)
    expect(r.anchors).toBe(2)
    expect(r.loss).toBeCloseTo(0.1, 9)
    // Only anchor 0's hinge is active: +1/2 on its negative, −1/2 on its positive.
    expect(Array.from(r.grad, (g) => g + 0)).toEqual([0, -0.5, 0.5, 0, 0, 0, 0, 0, 0])
  })

  it('the margin grows with the distance between class ids', () => {
    // Same cosines, but the negative is neutral: margin 0.15 → 0.15 − 0.5 + 0.4 = 0.05, over 2 anchors.
    expect(ordinalHinge(cos, [0, 0, 1], 0.15).loss).toBeCloseTo(0.025, 9)
  })

  it('is 0 when no anchor has both a positive and a negative', () => {
    expect(ordinalHinge(cos, [0, 1, 2], 0.15)).toMatchObject({ loss: 0, anchors: 0 })
  })

  it('equals the triple loop, and its gradient reaches the vectors as autodiff of the triple loop does', () => {
    const rng = new Rng(5)
    const m = 9
    const x = tf.tensor2d(Float32Array.from({ length: m * 4 }, () => rng.uniform(-1, 1)), [m, 4])
    const idsR = Array.from({ length: m }, (_, i) => i % 3)
    // The definition written out over (anchor, positive, negative) triples with tensor ops.
    const tripleLoop = (v: tf.Tensor2D): tf.Scalar => {
      const c = cosineMatrix(v)
      const perAnchor: tf.Scalar[] = []
      for (let a = 0; a < m; a++) {
        const terms: tf.Tensor[] = []
        for (let p = 0; p < m; p++) {
          if (p === a || idsR[p] !== idsR[a]) continue
          for (let n = 0; n < m; n++) {
            if (idsR[n] === idsR[a]) continue
            const margin = 0.15 * Math.abs(idsR[a]! - idsR[n]!)
            terms.push(tf.relu(tf.add(tf.sub(margin, c.slice([a, p], [1, 1])), c.slice([a, n], [1, 1]))))
          }
        }
        perAnchor.push(tf.mean(tf.concat(terms.map((t) => t.reshape([1])))) as tf.Scalar)
      }
      return tf.mean(tf.stack(perAnchor)) as tf.Scalar
    }
    expect(value(ordinalHingeLoss(x, idsR, 0.15))).toBeCloseTo(value(tripleLoop(x)), 5)
    const ours = values(tf.grad((v: tf.Tensor) => ordinalHingeLoss(v as tf.Tensor2D, idsR, 0.15))(x))
    const reference = values(tf.grad((v: tf.Tensor) => tripleLoop(v as tf.Tensor2D))(x))
    ours.forEach((g, i) => expect(g).toBeCloseTo(reference[i]!, 5))
  })
})
