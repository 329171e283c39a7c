// What every training method gives the trainer: its parameters, how a batch is laid out, the loss
// of one step (called inside tf.variableGrads), and predictions for evaluation and pseudo-labels.
import * as tf from '@tensorflow/tfjs'
import type { StepStats } from '#shared/runs'
import type { BatchPart } from '../data'
import type { ParamSpec, Weights } from '../params'

export interface Batch {
  /** Rows of every part stacked in the order of `Method.parts`. */
  txt: tf.Tensor2D
  img: tf.Tensor2D
  /** Labels of the labeled part. */
  y: Int32Array
  /** Indices into the labeled set of the labeled part's rows (ULGM's label bank is per labeled post). */
  labeled: Int32Array
  /** Indices into the unlabeled set of the unlabeled parts' rows (the same posts in every view). */
  unlabeled: Int32Array
}

export interface StepContext {
  step: number
  /** 0-based; see TRAINING.md for what an epoch is on cached features. */
  epoch: number
}

export interface StepOutput {
  loss: tf.Scalar
  /** Loss terms and mask rates of the step, for the curves. */
  stats: StepStats
}

/** Per-post predictions on clean features; the unimodal fields only where the model has heads for them. */
export interface Predictions {
  /** Final logits, rows × classes. */
  logits: Float32Array
  text?: Float32Array
  image?: Float32Array
  /** SCDR: the selected token, and the unimodal heads reading the common feature (for PLF). */
  selected?: Int32Array
  textOnCommon?: Float32Array
  imageOnCommon?: Float32Array
}

/** A second update on the same batch, after the first one's weights are applied (SPP-SCL's step 2). */
export interface FollowUp {
  loss: tf.Scalar
  /** false: the step's rule skips it; its gradients are thrown away and no update is made. */
  apply: boolean
  stats: StepStats
}

/** Per-run memory a method keeps between steps (ULGM's label bank), saved in checkpoints. */
export interface MethodState {
  arrays(): Record<string, Float32Array>
  restore(arrays: Record<string, Float32Array>): void
}

export interface Method {
  specs: ParamSpec[]
  /** The labeled and unlabeled parts of a batch, in stacking order. */
  parts(labeled: Int32Array, unlabeled: Int32Array): { labeled: BatchPart[]; unlabeled: BatchPart[] }
  /** Whether the method reads unlabeled posts at all. */
  semiSupervised: boolean
  step(w: Weights, batch: Batch, ctx: StepContext): StepOutput
  /** Called inside the gradient tape after `step`'s update was applied, with the updated weights. */
  followUp?(w: Weights, batch: Batch, ctx: StepContext): FollowUp
  state?: MethodState
  predict(w: Weights, txt: tf.Tensor2D, img: tf.Tensor2D): Predictions
}

/** Runs fn in a tensor scope: every tensor it makes is disposed, whatever it returns (tf.tidy takes only tensor results). */
export function scoped<T>(fn: () => T): T {
  tf.engine().startScope()
  try {
    return fn()
  } finally {
    tf.engine().endScope()
  }
}

/** Constant one-hot rows for class indices. */
export function oneHot(labels: ArrayLike<number>, classes: number): tf.Tensor2D {
  const out = new Float32Array(labels.length * classes)
  for (let i = 0; i < labels.length; i++) out[i * classes + labels[i]!] = 1
  return tf.tensor2d(out, [labels.length, classes])
}

/** `count` rows from `start`. */
export const rows = (t: tf.Tensor2D, start: number, count: number): tf.Tensor2D => tf.slice(t, [start, 0], [count, -1])

/** A constant copy: no gradient flows back through it. */
export const detach = <T extends tf.Tensor>(t: T): T => tf.tensor(t.dataSync(), t.shape) as T

export function mean(xs: ArrayLike<number>): number {
  let sum = 0
  for (let i = 0; i < xs.length; i++) sum += xs[i]!
  return xs.length === 0 ? 0 : sum / xs.length
}
