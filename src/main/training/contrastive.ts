// SPP-SCL's loss terms and step-2 rule (ALGORITHMS §2.3–2.4) as tensor functions and plain numbers;
// each has a hand-worked test in tests/unit/training-contrastive.test.ts.
import * as tf from '@tensorflow/tfjs'

/** Rows scaled to unit length as F.normalize does: x / max(‖x‖, 1e-12). */
export const normalizeRows = (x: tf.Tensor2D): tf.Tensor2D => tf.div(x, tf.maximum(tf.norm(x, 2, 1, true), 1e-12)) as tf.Tensor2D

/** [y_i = y_j] as a B×B constant. */
function sameLabel(y: ArrayLike<number>): Float32Array {
  const b = y.length
  const out = new Float32Array(b * b)
  for (let i = 0; i < b; i++) for (let j = 0; j < b; j++) out[i * b + j] = y[i] === y[j] ? 1 : 0
  return out
}

/**
 * Mean over anchors of −(1/max(|P(i)|, 1)) Σ_{p∈P(i)} log_prob(i, p), with log_prob = logits − log Σ_k exp(logits_k);
 * `positives` is the B×B mask of P(i). Anchors without positives add 0 and still count in the mean.
 */
function supConMean(logits: tf.Tensor2D, positives: Float32Array): tf.Scalar {
  const b = logits.shape[0]
  const mask = tf.tensor2d(positives, [b, b])
  const logProb = tf.sub(logits, tf.logSumExp(logits, 1, true))
  const counts = tf.maximum(tf.sum(mask, 1), 1)
  return tf.neg(tf.mean(tf.div(tf.sum(tf.mul(mask, logProb), 1), counts))) as tf.Scalar
}

/**
 * The intra-modal SupCon of the released code (`CLoss`): positives P(i) = {j ≠ i : y_j = y_i}, and
 * the diagonal logit zeroed by multiplication rather than masked, so exp(0) = 1 stays in every
 * denominator: −(1/B) Σ_i (1/|P(i)|) Σ_p [s_ip/τ − log(1 + Σ_{k≠i} exp(s_ik/τ))], s = cosines.
 */
export function supConIntra(x: tf.Tensor2D, y: ArrayLike<number>, temperature: number): tf.Scalar {
  const b = x.shape[0]
  const z = normalizeRows(x)
  const offDiagonal = tf.sub(1, tf.eye(b))
  const logits = tf.mul(tf.div(tf.matMul(z, z, false, true), temperature), offDiagonal) as tf.Tensor2D
  const positives = sameLabel(y)
  for (let i = 0; i < b; i++) positives[i * b + i] = 0
  return supConMean(logits, positives)
}

/**
 * The inter-modal SupCon (`CLoss_T_I(T, I, y)`): text rows anchor, image rows are the candidates, one
 * direction; P'(i) = {j : y_j = y_i} includes i: −(1/B) Σ_i (1/|P'(i)|) Σ_p [s_ip/τ − log Σ_k exp(s_ik/τ)],
 * s_ik = cos(T_i, I_k).
 */
export function supConInter(anchors: tf.Tensor2D, candidates: tf.Tensor2D, y: ArrayLike<number>, temperature: number): tf.Scalar {
  const logits = tf.div(tf.matMul(normalizeRows(anchors), normalizeRows(candidates), false, true), temperature) as tf.Tensor2D
  return supConMean(logits, sameLabel(y))
}

export interface StatementCheck {
  /** #{(i, j) : sigmoid(T_i·I_j) < mean diagonal}, over all B² pairs. */
  count: number
  /** Same-label ordered pairs, diagonal included (Σ_c n_c²). */
  samePairs: number
  /** count ≥ ⌊2M/3⌋: the statement holds and step 2 is skipped. */
  skip: boolean
}

/**
 * The condition of §2.4 on the re-forwarded projections (B×D row-major each): S = sigmoid of the raw
 * dot products (not normalised), d = trace(S)/B, count = #{S_ij < d}; step 2 runs only when count < ⌊2M/3⌋.
 */
export function statementCheck(text: Float32Array, image: Float32Array, dim: number, y: ArrayLike<number>): StatementCheck {
  const b = y.length
  const s = new Float64Array(b * b)
  for (let i = 0; i < b; i++) {
    for (let j = 0; j < b; j++) {
      let dot = 0
      for (let k = 0; k < dim; k++) dot += text[i * dim + k]! * image[j * dim + k]!
      s[i * b + j] = 1 / (1 + Math.exp(-dot))
    }
  }
  let trace = 0
  for (let i = 0; i < b; i++) trace += s[i * b + i]!
  const d = trace / b
  let count = 0
  for (const v of s) if (v < d) count++
  let samePairs = 0
  for (let i = 0; i < b; i++) for (let j = 0; j < b; j++) if (y[i] === y[j]) samePairs++
  return { count, samePairs, skip: count >= Math.floor((2 * samePairs) / 3) }
}
