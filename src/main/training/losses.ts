// The loss terms of ALGORITHMS §1.4 and §1.13 as tensor functions; every one has a hand-worked
// test in tests/unit/training-losses.test.ts.
import * as tf from '@tensorflow/tfjs'
import { matMul, type CustomGradientFunc } from './ops/linear'
import { ordinalHinge } from './ordinal-hinge'

/** Per-sample cross-entropy as log-softmax + NLL: −Σ_c target_c · log softmax(logits)_c. */
export const perSampleCE = (logits: tf.Tensor2D, oneHot: tf.Tensor2D): tf.Tensor1D => tf.neg(tf.sum(tf.mul(oneHot, tf.logSoftmax(logits)), 1)) as tf.Tensor1D

export const meanCE = (logits: tf.Tensor2D, oneHot: tf.Tensor2D): tf.Scalar => tf.mean(perSampleCE(logits, oneHot))

/** Σ_i values_i · mask_i / B: the mean over the whole batch, masked rows counting as zeros (SCRD, USB). */
export const maskedBatchMean = (values: tf.Tensor1D, mask: tf.Tensor1D): tf.Scalar => tf.div(tf.sum(tf.mul(values, mask)), values.shape[0])

/** The mean over the selected rows only (SCRD's unimodal supervision); 0 when none is selected. */
export function subsetMean(values: tf.Tensor1D, mask: Float32Array): tf.Scalar {
  const selected = mask.reduce((a, b) => a + b, 0)
  return tf.div(tf.sum(tf.mul(values, tf.tensor1d(mask))), Math.max(1, selected))
}

/** sum((a − b)²) / numel. */
export const mse = (a: tf.Tensor, b: tf.Tensor): tf.Scalar => tf.mean(tf.squaredDifference(a, b))

/**
 * mean_i max(0, cos(s_i, c_i)): PyTorch's CosineEmbeddingLoss with target −1 and margin 0, whose
 * cosine is x·y / sqrt((|x|² + 1e-12)(|y|² + 1e-12)).
 */
export function orthogonality(s: tf.Tensor2D, c: tf.Tensor2D): tf.Scalar {
  const dot = tf.sum(tf.mul(s, c), 1)
  const norms = tf.sqrt(tf.mul(tf.add(tf.sum(tf.square(s), 1), 1e-12), tf.add(tf.sum(tf.square(c), 1), 1e-12)))
  return tf.mean(tf.relu(tf.div(dot, norms)))
}

/** Row cosines as SCRD's hinge computes them: norms sqrt(Σx² + 1e-8) clamped below at 1e-8. */
export function cosineMatrix(x: tf.Tensor2D): tf.Tensor2D {
  const norms = tf.maximum(tf.sqrt(tf.add(tf.sum(tf.square(x), 1, true), 1e-8)), 1e-8)
  const unit = tf.div(x, norms) as tf.Tensor2D
  return matMul(unit, tf.transpose(unit))
}

/**
 * L_sim (§1.4 g): the ordinal margin hinge over the rows of x with class ids. The loss and dL/dcos
 * are computed in plain arrays (ordinal-hinge.ts); the gradient reaches x through cosineMatrix.
 */
export function ordinalHingeLoss(x: tf.Tensor2D, ids: ArrayLike<number>, marginPerStep: number): tf.Scalar {
  const op = tf.customGrad(((cos: tf.Tensor2D) => {
    const { loss, grad } = ordinalHinge(cos.dataSync(), ids, marginPerStep)
    return { value: tf.scalar(loss), gradFunc: (dy: tf.Scalar) => tf.mul(dy, tf.tensor2d(Float32Array.from(grad), cos.shape)) }
  }) as unknown as CustomGradientFunc)
  return op(cosineMatrix(x)) as tf.Scalar
}
