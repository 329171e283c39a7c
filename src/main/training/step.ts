// One optimiser step of any method on a batch given as plain arrays: the forward pass and loss
// inside tf.variableGrads, then the update. Shared by the trainer and the bench's fidelity check.
import * as tf from '@tensorflow/tfjs'
import type { StepStats } from '#shared/runs'
import { scoped, type Method, type StepContext } from './methods/method'
import type { Optimizer } from './optimizer'
import type { Params } from './params'

export interface HostBatch {
  /** Rows of every batch part stacked (Method.parts order), row-major. */
  txt: Float32Array
  img: Float32Array
  dims: { txt: number; img: number }
  y: Int32Array
  /** Indices into the labeled set of the labeled rows. */
  labeled: Int32Array
  unlabeled: Int32Array
}

/**
 * Scales the gradients so their global L2 norm is at most `maxNorm` (PyTorch's clip_grad_norm_);
 * returns the norm before clipping. One read-back for the whole set.
 */
export function clipByGlobalNorm(grads: tf.Tensor[], maxNorm: number): { grads: tf.Tensor[]; norm: number } {
  const norm = Math.sqrt(tf.addN(grads.map((g) => tf.sum(tf.square(g)))).dataSync()[0]!)
  if (!(maxNorm > 0) || norm <= maxNorm) return { grads, norm }
  const scale = maxNorm / (norm + 1e-6)
  return { grads: grads.map((g) => tf.mul(g, scale)), norm }
}

/**
 * Runs one step and returns the method's loss terms and mask rates (and the gradient norm when
 * clipping). A method with a follow-up (SPP-SCL) gets a second tape on the updated weights; its
 * update is applied only when the method's rule says so, and the logged total is the sum of both.
 */
export function trainingStep(method: Method, params: Params, optimizer: Optimizer, batch: HostBatch, ctx: StepContext, lr: number, clipNorm = 0): StepStats {
  const trainable = method.specs.filter((s) => s.trainable)
  const variables = trainable.map((s) => params.variables.get(s.name)!)
  return scoped(() => {
    const tensors = {
      txt: tf.tensor2d(batch.txt, [batch.txt.length / batch.dims.txt, batch.dims.txt]),
      img: tf.tensor2d(batch.img, [batch.img.length / batch.dims.img, batch.dims.img]),
      y: batch.y,
      labeled: batch.labeled,
      unlabeled: batch.unlabeled,
    }
    const update = (loss: () => { loss: tf.Scalar; apply?: boolean }): number => {
      let apply = true
      const { grads } = tf.variableGrads(() => {
        const out = loss()
        apply = out.apply ?? true
        return out.loss
      }, variables)
      if (!apply) return NaN
      // A parameter outside the loss's graph (SPP-SCL's classifier in step 2) gets a zero gradient, as
      // in PyTorch after zero_grad(set_to_none=False): AdamW still decays it and moves its moments.
      const raw = variables.map((v) => grads[v.name] ?? tf.zerosLike(v))
      const clipped = clipNorm > 0 ? clipByGlobalNorm(raw, clipNorm) : { grads: raw, norm: NaN }
      optimizer.apply(new Map(trainable.map((s, i) => [s.name, clipped.grads[i]!])), lr)
      return clipped.norm
    }
    let stats: StepStats = {}
    const norm = update(() => {
      const out = method.step(params.weights, tensors, ctx)
      stats = out.stats
      return out
    })
    if (method.followUp) {
      let second: StepStats = {}
      update(() => {
        const out = method.followUp!(params.weights, tensors, ctx)
        second = out.stats
        return out
      })
      stats = { ...stats, ...second, loss: (stats.loss ?? 0) + (second.loss ?? 0) }
    }
    return clipNorm > 0 ? { ...stats, gradNorm: norm } : stats
  })
}
