// Self-MM's unimodal label generation (ALGORITHMS §4.2, §8.3) for three sentiment classes. The
// regression labels become class values (negative −1, neutral 0, positive +1, clamp H = 1, SIMS's
// range); the fused label Y_m of a labeled post never changes, and its text and image labels
// Y_t, Y_v start at Y_m and follow the distances of each modality's feature to its own centres.
import * as tf from '@tensorflow/tfjs'
import type { MethodState } from './methods/method'

/** A class index (0 negative, 1 neutral, 2 positive) as a label value. */
export const CLASS_VALUE = [-1, 0, 1] as const
const H = 1
const EPS = 1e-8

export type UlgmModality = 'm' | 't' | 'v'
const MODALITIES: readonly UlgmModality[] = ['m', 't', 'v']

/** Centres of one modality: the mean feature of the posts whose label is ≥ 0 (neutral counts, excludeZero off) and < 0. */
export interface Centres {
  pos: Float64Array
  neg: Float64Array
}

const distance = (f: ArrayLike<number>, c: ArrayLike<number>): number => {
  let sum = 0
  for (let k = 0; k < c.length; k++) sum += (f[k]! - c[k]!) ** 2
  return Math.sqrt(sum)
}

/** α = (D_neg − D_pos) / (D_pos + ε): how much nearer the positive centre a feature is. */
export const relativeDistance = (f: ArrayLike<number>, c: Centres): number => (distance(f, c.neg) - distance(f, c.pos)) / (distance(f, c.pos) + EPS)

/** ŷ_s = ½·Y_m·α_s/(α_m + ε) + ½·(Y_m + α_s − α_m), clamped to [−H, H]: the ratio and difference rules averaged. */
export function generatedLabel(ym: number, alphaS: number, alphaM: number): number {
  const y = 0.5 * ((ym * alphaS) / (alphaM + EPS)) + 0.5 * (ym + alphaS - alphaM)
  return Math.min(H, Math.max(-H, y))
}

/** Y_s ← ((e − 1)/(e + 1))·Y_s + (2/(e + 1))·ŷ_s, e the 1-based epoch. */
export const momentumUpdate = (epoch: number, old: number, fresh: number): number => ((epoch - 1) / (epoch + 1)) * old + (2 / (epoch + 1)) * fresh

/** Mean of each column over the rows where `take` holds (zeros when none). */
function centreOf(bank: Float32Array, dim: number, labels: Float32Array, take: (y: number) => boolean): Float64Array {
  const out = new Float64Array(dim)
  let n = 0
  for (let r = 0; r < labels.length; r++) {
    if (!take(labels[r]!)) continue
    n++
    for (let k = 0; k < dim; k++) out[k]! += bank[r * dim + k]!
  }
  if (n > 0) for (let k = 0; k < dim; k++) out[k]! /= n
  return out
}

/** The label and feature banks of every labeled post, and the centres, updated batch by batch. */
export class UlgmBank implements MethodState {
  readonly labels: Record<UlgmModality, Float32Array>
  readonly features: Record<UlgmModality, Float32Array>
  private centres: Record<UlgmModality, Centres>

  constructor(
    classes: ArrayLike<number>,
    private readonly dims: Record<UlgmModality, number>,
  ) {
    const ym = Float32Array.from(classes, (c) => CLASS_VALUE[c]!)
    this.labels = { m: ym, t: Float32Array.from(ym), v: Float32Array.from(ym) }
    this.features = { m: new Float32Array(ym.length * dims.m), t: new Float32Array(ym.length * dims.t), v: new Float32Array(ym.length * dims.v) }
    this.centres = this.computeCentres()
  }

  private computeCentres(): Record<UlgmModality, Centres> {
    const of = (s: UlgmModality): Centres => ({
      pos: centreOf(this.features[s], this.dims[s], this.labels[s], (y) => y >= 0),
      neg: centreOf(this.features[s], this.dims[s], this.labels[s], (y) => y < 0),
    })
    return { m: of('m'), t: of('t'), v: of('v') }
  }

  /** The labels of the batch's rows (before this batch's update: what the loss reads). */
  targets(rows: Int32Array): Record<UlgmModality, Float32Array> {
    const pick = (s: UlgmModality) => Float32Array.from(rows, (r) => this.labels[s][r]!)
    return { m: pick('m'), t: pick('t'), v: pick('v') }
  }

  /**
   * §8.3 after the backward pass: from epoch 2 the text and image labels of the batch move towards
   * the generated ones (centres of the previous iteration); then the batch's features enter the
   * banks and every centre is recomputed. A post drawn twice in a batch is updated once.
   */
  update(rows: Int32Array, feats: Record<UlgmModality, Float32Array>, epoch: number): void {
    const seen = new Set<number>()
    const first = Array.from(rows.keys()).filter((i) => !seen.has(rows[i]!) && seen.add(rows[i]!))
    const row = (s: UlgmModality, i: number) => feats[s].subarray(i * this.dims[s], (i + 1) * this.dims[s])
    if (epoch > 1) {
      for (const i of first) {
        const n = rows[i]!
        const alphaM = relativeDistance(row('m', i), this.centres.m)
        for (const s of ['t', 'v'] as const) {
          const fresh = generatedLabel(this.labels.m[n]!, relativeDistance(row(s, i), this.centres[s]), alphaM)
          this.labels[s][n] = momentumUpdate(epoch, this.labels[s][n]!, fresh)
        }
      }
    }
    for (const i of first) for (const s of MODALITIES) this.features[s].set(row(s, i), rows[i]! * this.dims[s])
    this.centres = this.computeCentres()
  }

  arrays(): Record<string, Float32Array> {
    return Object.fromEntries(MODALITIES.flatMap((s) => [[`labels.${s}`, Float32Array.from(this.labels[s])], [`features.${s}`, Float32Array.from(this.features[s])]]))
  }

  restore(arrays: Record<string, Float32Array>): void {
    for (const s of MODALITIES) {
      this.labels[s].set(arrays[`labels.${s}`]!)
      this.features[s].set(arrays[`features.${s}`]!)
    }
    this.centres = this.computeCentres()
  }
}

/** mean_n(w_n·|pred_n − Y_s[n]|), w = tanh(|Y_s − Y_m|): Self-MM's weighted L1 of a unimodal task. */
export function ulgmTaskLoss(pred: tf.Tensor1D, ys: Float32Array, ym: Float32Array): tf.Scalar {
  const w = Float32Array.from(ys, (y, i) => Math.tanh(Math.abs(y - ym[i]!)))
  return tf.mean(tf.mul(tf.tensor1d(w), tf.abs(tf.sub(pred, tf.tensor1d(ys)))))
}

/**
 * Generated labels as class targets for a head with class logits (SCDR's text and image heads): ŷ
 * split between its two nearest class values, [max(0, −ŷ), 1 − |ŷ|, max(0, ŷ)] per row (rows × 3),
 * the inverse of `scalarLogits`. A label still equal to the fused one (−1, 0, +1) is its one-hot row.
 */
export function classTargets(values: ArrayLike<number>): Float32Array {
  const out = new Float32Array(values.length * 3)
  for (let i = 0; i < values.length; i++) {
    const y = Math.min(1, Math.max(-1, values[i]!))
    out[i * 3] = Math.max(0, -y)
    out[i * 3 + 1] = 1 - Math.abs(y)
    out[i * 3 + 2] = Math.max(0, y)
  }
  return out
}

/** The batch's mean |Y_s − Y_m| over text and image: how far the generated labels have moved from the fused ones. */
export function labelShift(rows: Int32Array, bank: UlgmBank): number {
  const y = bank.targets(rows)
  let sum = 0
  for (let i = 0; i < rows.length; i++) sum += (Math.abs(y.t[i]! - y.m[i]!) + Math.abs(y.v[i]! - y.m[i]!)) / 2
  return rows.length === 0 ? 0 : sum / rows.length
}

/**
 * A unimodal head's scalar as class logits for the review: ŷ clamped to [−1, 1] splits its mass
 * between the two nearest class values (p_neg = max(0, −ŷ), p_neu = 1 − |ŷ|, p_pos = max(0, ŷ));
 * logits = log(p + 1e-6), so softmax gives p back.
 */
export function scalarLogits(pred: ArrayLike<number>): Float32Array {
  const out = new Float32Array(pred.length * 3)
  for (let i = 0; i < pred.length; i++) {
    const y = Math.min(1, Math.max(-1, pred[i]!))
    out[i * 3] = Math.log(Math.max(0, -y) + 1e-6)
    out[i * 3 + 1] = Math.log(1 - Math.abs(y) + 1e-6)
    out[i * 3 + 2] = Math.log(Math.max(0, y) + 1e-6)
  }
  return out
}
