// SPP-SCL's contrastive losses and step-2 rule against values worked out by hand on tiny tensors.
import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { initBackend } from '#main/ml/tfjs-backend'
import { statementCheck, supConInter, supConIntra } from '#main/training/contrastive'

beforeAll(async () => {
  await initBackend({ skipNative: true })
})

const value = (t: tf.Tensor): number => t.dataSync()[0]!
const e2 = Math.exp(2)

describe('intra-modal SupCon (CLoss)', () => {
  it('keeps the "1 +" of the zeroed diagonal in every denominator', () => {
    // Unit rows z1 = z3 = (1, 0), z2 = (0, 1); τ = 0.5, so s13/τ = 2 and the rest 0. Labels 0, 0, 1.
    // Anchor 1: P = {2}: 0 − log(1 + e⁰ + e²); anchor 2: P = {1}: 0 − log(1 + 1 + 1); anchor 3: no positive, 0.
    const x = tf.tensor2d([
      [3, 0],
      [0, 2],
      [0.5, 0],
    ])
    const loss = value(supConIntra(x, [0, 0, 1], 0.5))
    expect(loss).toBeCloseTo((Math.log(2 + e2) + Math.log(3)) / 3, 5) // 1.112719
    // The textbook SupCon (diagonal masked out) would give (log(1 + e²) + log 2) / 3 = 0.940025.
    expect(Math.abs(loss - (Math.log(1 + e2) + Math.log(2)) / 3)).toBeGreaterThan(0.1)
  })
})

describe('inter-modal SupCon (CLoss_T_I)', () => {
  it('anchors on text rows, counts the matched pair as a positive, one direction only', () => {
    // T = (1,0), (0,1), (1,0); I = (0,1), (0,1), (1,0); τ = 0.5; labels 0, 0, 1.
    // T1 logits (0, 0, 2), P' = {1, 2}: −log(2 + e²) each; T2 logits (2, 2, 0): 2 − log(2e² + 1) each;
    // T3 logits (0, 0, 2), P' = {3}: 2 − log(2 + e²).
    const t = tf.tensor2d([
      [1, 0],
      [0, 1],
      [1, 0],
    ])
    const i = tf.tensor2d([
      [0, 1],
      [0, 1],
      [1, 0],
    ])
    const expected = (Math.log(2 + e2) + (Math.log(2 * e2 + 1) - 2) + (Math.log(2 + e2) - 2)) / 3 // 1.079238
    expect(value(supConInter(t, i, [0, 0, 1], 0.5))).toBeCloseTo(expected, 5)
  })
})

describe('the step-2 statement (§2.4)', () => {
  it('skips step 2 when count ≥ ⌊2M/3⌋, on sigmoids of raw dot products, diagonal included', () => {
    // T = (2), (−1); I = (1), (3): S = σ([[2, 6], [−1, −3]]) = [[.881, .998], [.269, .047]];
    // d = (.881 + .047)/2 = .464; count = 2 (.269, .047). Same labels: M = 4, ⌊8/3⌋ = 2 → skip.
    expect(statementCheck(Float32Array.of(2, -1), Float32Array.of(1, 3), 1, [0, 0])).toEqual({ count: 2, samePairs: 4, skip: true })
    // Labels 0, 1: M = 2, ⌊4/3⌋ = 1 → still skipped.
    expect(statementCheck(Float32Array.of(2, -1), Float32Array.of(1, 3), 1, [0, 1])).toEqual({ count: 2, samePairs: 2, skip: true })
  })

  it('runs step 2 when too few pairs fall below the mean diagonal', () => {
    // Every dot product 1·1 = 1: no S_ij is below d, count 0 < ⌊2·9/3⌋ = 6.
    expect(statementCheck(Float32Array.of(1, 1, 1), Float32Array.of(1, 1, 1), 1, [2, 2, 2])).toEqual({ count: 0, samePairs: 9, skip: false })
    // Raw, not normalised: T = (2), (1), I = (1), (3) give count 2 (.881 and .731 < d = .917); cosines would all be 1.
    expect(statementCheck(Float32Array.of(2, 1), Float32Array.of(1, 3), 1, [0, 0]).count).toBe(2)
  })
})
