// One optimiser step of any method on a batch given as plain arrays: the forward pass and loss
// inside tf.variableGrads, then the update. Shared by the trainer and the bench's fidelity check.
import * as tf from '@tensorflow/tfjs'
import { scoped, type Method, type StepContext } from './methods/method'
import type { Optimizer } from './optimizer'
import type { Params } from './params'

export interface HostBatch {
  /** Rows of every batch part stacked (Method.parts order), row-major. */
  txt: Float32Array
  img: Float32Array
  dims: { txt: number; img: number }
  y: Int32Array
  unlabeled: Int32Array
}

/** Runs one step and returns the method's loss terms and mask rates. */
export function trainingStep(method: Method, params: Params, optimizer: Optimizer, batch: HostBatch, ctx: StepContext, lr: number): Record<string, number> {
  const trainable = method.specs.filter((s) => s.trainable)
  const variables = trainable.map((s) => params.variables.get(s.name)!)
  return scoped(() => {
    const tensors = {
      txt: tf.tensor2d(batch.txt, [batch.txt.length / batch.dims.txt, batch.dims.txt]),
      img: tf.tensor2d(batch.img, [batch.img.length / batch.dims.img, batch.dims.img]),
      y: batch.y,
      unlabeled: batch.unlabeled,
    }
    let stats: Record<string, number> = {}
    const { grads } = tf.variableGrads(() => {
      const out = method.step(params.weights, tensors, ctx)
      stats = out.stats
      return out.loss
    }, variables)
    optimizer.apply(new Map(trainable.map((s, i) => [s.name, grads[variables[i]!.name]!])), lr)
    return stats
  })
}
