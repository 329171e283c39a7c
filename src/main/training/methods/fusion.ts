// The baselines on one simple fusion model: the text and image features concatenated, then an MLP
// (Linear(d_txt + d_img, clsHidden) → ReLU → Linear(clsHidden, C)). `supervised` trains it on the
// labeled posts alone; `fixmatch` and `flexmatch` add USB's consistency loss (ALGORITHMS §1.13):
// hard pseudo-labels from the weak view, CE on the strong view, masked, divided by the full batch.
import * as tf from '@tensorflow/tfjs'
import type { TrainingConfig } from '../config'
import { maskedBatchMean, meanCE, perSampleCE } from '../losses'
import { linear } from '../ops/linear'
import { bias, weight, type Weights } from '../params'
import { shiftLogits } from '../prior'
import { confidence, FlexMatchThresholds, thresholdMask } from '../pseudo-label-rules'
import { teacherTerm } from '../teacher/loss'
import type { TeacherTargets } from '../teacher/teacher'
import { mean, oneHot, rows, type Batch, type Method, type Predictions, type StepContext, type StepOutput } from './method'

export interface FusionDims {
  txt: number
  img: number
  clsHidden: number
  classes: number
}

function logitsOf(w: Weights, txt: tf.Tensor2D, img: tf.Tensor2D): tf.Tensor2D {
  const x = tf.concat([txt, img], 1)
  const h = linear(x, w.get('w1') as tf.Tensor2D, w.get('b1') as tf.Tensor1D, { relu: true, inputGrad: false })
  return linear(h, w.get('w2') as tf.Tensor2D, w.get('b2') as tf.Tensor1D)
}

/**
 * The fused head on the strong view with the teacher's modality blanked (standardised features: 0 is
 * the pool's mean): the student must find the teacher's label in its own modality, not copy it from
 * the input the teacher read. FixMatch has no unimodal head; this is its image (or text) branch.
 */
function studentLogits(w: Weights, txt: tf.Tensor2D, img: tf.Tensor2D, student: TeacherTargets['student']): tf.Tensor2D {
  return student === 'image' ? logitsOf(w, tf.zerosLike(txt), img) : logitsOf(w, txt, tf.zerosLike(img))
}

/**
 * `flex` is FlexMatch's per-post memory (sized to the unlabeled set); null for FixMatch and
 * supervised. `align` (log π_u − log π_L) shifts the weak view's logits before they become
 * pseudo-labels: distribution alignment with the class prior.
 */
export function fusionMethod(config: TrainingConfig, dims: FusionDims, flex: FlexMatchThresholds | null, align: ArrayLike<number> = new Float32Array(dims.classes), teacher: TeacherTargets | null = null): Method {
  const C = dims.classes
  const semiSupervised = config.method !== 'supervised'
  const input = dims.txt + dims.img
  return {
    specs: [weight('w1', input, dims.clsHidden), bias('b1', input, dims.clsHidden), weight('w2', dims.clsHidden, C), bias('b2', dims.clsHidden, C)],
    semiSupervised,
    parts: (labeled, unlabeled) => ({
      labeled: [{ rows: labeled, view: 'weak' }],
      unlabeled: semiSupervised
        ? [
            { rows: unlabeled, view: 'weak' },
            { rows: unlabeled, view: 'strong0' },
          ]
        : [],
    }),

    step(w: Weights, batch: Batch, _ctx: StepContext): StepOutput {
      const l = batch.y.length
      const u = batch.unlabeled.length
      const yHot = oneHot(batch.y, C)
      if (!semiSupervised) {
        const loss = meanCE(logitsOf(w, batch.txt, batch.img), yHot)
        const value = loss.dataSync()[0]!
        return { loss, stats: { loss: value, lx: value } }
      }
      // The weak view is read as numbers (no gradient); labeled and strong rows share one pass.
      const p = confidence(shiftLogits(logitsOf(w, rows(batch.txt, l, u), rows(batch.img, l, u)).dataSync(), align), C)
      const mask = flex ? flex.maskAndUpdate(batch.unlabeled, p, config.threshold) : thresholdMask(p.score, config.threshold)
      const both = (x: tf.Tensor2D): tf.Tensor2D => tf.concat([rows(x, 0, l), rows(x, l + u, u)])
      const logits = logitsOf(w, both(batch.txt), both(batch.img))
      const lx = meanCE(rows(logits, 0, l), yHot)
      const lu = maskedBatchMean(perSampleCE(rows(logits, l, u), oneHot(p.label, C)), tf.tensor1d(mask))
      const taught = teacher ? teacherTerm(teacher, studentLogits(w, rows(batch.txt, l + u, u), rows(batch.img, l + u, u), teacher.student), batch.unlabeled, C) : null
      const loss = tf.addN([lx, tf.mul(lu, config.lambdaU), ...(taught ? [taught.loss] : [])]) as tf.Scalar
      const [lossValue, lxValue, luValue, teacherValue] = tf.stack([loss, lx, lu, ...(taught ? [taught.loss] : [])]).dataSync()
      const stats = { loss: lossValue!, lx: lxValue!, lu: luValue!, maskM: mean(mask) }
      return { loss, stats: taught ? { ...stats, lteacher: teacherValue!, teacherMask: taught.rate } : stats }
    },

    predict(w: Weights, txt: tf.Tensor2D, img: tf.Tensor2D): Predictions {
      return { logits: logitsOf(w, txt, img).dataSync() as Float32Array }
    },
  }
}
