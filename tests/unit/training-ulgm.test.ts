// Self-MM's unimodal label generation (ULGM) against values worked out by hand, and its place in a
// supervised run: text and image heads, a label bank that resumes from a checkpoint.
import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { initBackend } from '#main/ml/tfjs-backend'
import { generatedLabel, momentumUpdate, relativeDistance, scalarLogits, UlgmBank, ulgmTaskLoss } from '#main/training/ulgm'

beforeAll(async () => {
  await initBackend({ skipNative: true })
})

describe('ULGM rules (§4.2)', () => {
  it('relative distance, the averaged ratio and difference rules, the momentum update', () => {
    // f = (0, 0), c_pos = (1, 0), c_neg = (3, 0): D_p = 1, D_n = 3, α = (3 − 1)/1 = 2.
    expect(relativeDistance([0, 0], { pos: Float64Array.of(1, 0), neg: Float64Array.of(3, 0) })).toBeCloseTo(2, 6)
    // Y_m = 1, α_s = 0.5, α_m = 1: ½·1·0.5/1 + ½·(1 + 0.5 − 1) = 0.5.
    expect(generatedLabel(1, 0.5, 1)).toBeCloseTo(0.5, 6)
    // Clamped to H = 1.
    expect(generatedLabel(1, 5, 1)).toBe(1)
    // Epoch 2: (1/3)·1 + (2/3)·0.5 = 2/3; epoch 1 would keep only the fresh label.
    expect(momentumUpdate(2, 1, 0.5)).toBeCloseTo(2 / 3, 6)
    expect(momentumUpdate(1, 1, 0.5)).toBeCloseTo(0.5, 6)
  })

  it('the bank: labels start at the fused label, stay put in epoch 1, then follow the centres', () => {
    // Post 0 positive (+1), post 1 negative (−1); one-dimensional features.
    const bank = new UlgmBank([2, 0], { m: 1, t: 1, v: 1 })
    expect(Array.from(bank.labels.t)).toEqual([1, -1])
    bank.update(Int32Array.of(0, 1), { m: Float32Array.of(1, -1), t: Float32Array.of(1, -1), v: Float32Array.of(1, -1) }, 1)
    expect(Array.from(bank.labels.t)).toEqual([1, -1])
    // Centres now m, t: pos 1, neg −1. Epoch 2, post 0 with f_m = 0.5 (α_m = (1.5 − 0.5)/0.5 = 2) and
    // f_t = 0 (α_t = 0): ŷ_t = ½·1·0/2 + ½·(1 + 0 − 2) = −0.5; Y_t = (1/3)·1 + (2/3)·(−0.5) = 0.
    bank.update(Int32Array.of(0), { m: Float32Array.of(0.5), t: Float32Array.of(0), v: Float32Array.of(1) }, 2)
    expect(bank.labels.t[0]).toBeCloseTo(0, 6)
    // f_v = 1 sits on its positive centre: α_v = 2/ε, clamped at 1, so the image label stays 1; Y_m never moves.
    expect(bank.labels.v[0]).toBeCloseTo(1, 6)
    expect(Array.from(bank.labels.m)).toEqual([1, -1])
    // A restored bank holds the same labels and centres.
    const copy = new UlgmBank([2, 0], { m: 1, t: 1, v: 1 })
    copy.restore(bank.arrays())
    expect(copy.arrays()).toEqual(bank.arrays())
  })

  it('the unimodal loss weighs each post by tanh(|Y_s − Y_m|): zero while the labels agree', () => {
    const pred = tf.tensor1d([0.5, -1])
    expect(ulgmTaskLoss(pred, Float32Array.of(1, -1), Float32Array.of(1, -1)).dataSync()[0]).toBe(0)
    // Post 0: Y_s = 0, Y_m = 1: tanh(1)·|0.5 − 0|; post 1 agrees: (0.761594·0.5 + 0)/2.
    expect(ulgmTaskLoss(pred, Float32Array.of(0, -1), Float32Array.of(1, -1)).dataSync()[0]).toBeCloseTo((Math.tanh(1) * 0.5) / 2, 6)
  })

  it('a scalar becomes class probabilities split between the two nearest classes', () => {
    const logits = scalarLogits([0.3, -2])
    const p = (i: number) => Array.from(tf.softmax(tf.tensor1d(logits.subarray(i * 3, i * 3 + 3))).dataSync())
    p(0).forEach((v, k) => expect(v).toBeCloseTo([0, 0.7, 0.3][k]!, 4))
    p(1).forEach((v, k) => expect(v).toBeCloseTo([1, 0, 0][k]!, 4))
  })
})
