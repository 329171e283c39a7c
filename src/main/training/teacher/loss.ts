// The student's loss against the teacher's targets (ALGORITHMS §3.3 hard labels; soft targets as
// Hinton et al.'s distillation): T² · Σ_i keep_i · CE(softmax(z_i / T), q_i) / B, with q one-hot
// (hard, T = 1) or softmax(teacher logits / T) (soft). Divided by the whole batch, as FixMatch's
// and SCRD's unlabeled losses are, so a strict filter weighs less.
import * as tf from '@tensorflow/tfjs'
import { maskedBatchMean, perSampleCE } from '../losses'
import { teacherBatch, type TeacherTargets } from './teacher'

export function teacherLoss(studentLogits: tf.Tensor2D, targets: tf.Tensor2D, keep: tf.Tensor1D, temperature: number): tf.Scalar {
  const scaled = temperature === 1 ? studentLogits : (tf.div(studentLogits, temperature) as tf.Tensor2D)
  return tf.mul(maskedBatchMean(perSampleCE(scaled, targets), keep), temperature * temperature) as tf.Scalar
}

/** The weighted teacher term of a step on the student's logits for the batch's unlabeled rows, and the share of them the teacher labels. */
export function teacherTerm(t: TeacherTargets, studentLogits: tf.Tensor2D, unlabeledRows: Int32Array, classes: number): { loss: tf.Scalar; rate: number } {
  const b = teacherBatch(t, unlabeledRows, classes)
  return { loss: tf.mul(teacherLoss(studentLogits, b.targets, b.keep, t.temperature), t.weight) as tf.Scalar, rate: b.rate }
}
