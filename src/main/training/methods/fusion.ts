// The baselines on one simple fusion model: the text and image features concatenated, then an MLP
// (Linear(d_txt + d_img, clsHidden) → ReLU → Linear(clsHidden, C)). `supervised` trains it on the
// labeled posts alone; `fixmatch` and `flexmatch` add USB's consistency loss (ALGORITHMS §1.13):
// hard pseudo-labels from the weak view, CE on the strong view, masked, divided by the full batch.
// With ULGM on (supervised only), each modality first goes through its own encoder
// e = ReLU(x·W + b) (ulgm.hidden wide; the fine-tuned encoders Self-MM shares between tasks), the
// fused MLP reads [e_t; e_v], and a Linear on e_t / e_v predicts the generated text / image label
// (ulgm.ts): the unimodal tasks shape the features the fused head reads. With fusion 'text-guided'
// the MLP reads the text-guided fused feature instead (models/text-guided.ts: the text queries the
// image's region rows, its attention and the pooled vector are mapped into the text's space).
import * as tf from '@tensorflow/tfjs'
import { isSemiSupervised, type TrainingConfig } from '../config'
import { maskedBatchMean, meanCE, perSampleCE } from '../losses'
import { linear } from '../ops/linear'
import { bias, weight, type Weights } from '../params'
import { shiftLogits } from '../prior'
import { confidence, FlexMatchThresholds, thresholdMask } from '../pseudo-label-rules'
import { labelShift, scalarLogits, ulgmTaskLoss, type UlgmBank } from '../ulgm'
import { teacherTerm } from '../teacher/loss'
import type { TeacherTargets } from '../teacher/teacher'
import type { RegionLayout } from '../data'
import { textGuidedFocus, textGuidedHidden, textGuidedSpecs } from '../models/text-guided'
import { mean, oneHot, rows, type Batch, type Method, type Predictions, type StepContext, type StepOutput } from './method'

export interface FusionDims {
  txt: number
  img: number
  clsHidden: number
  classes: number
  /** Text-guided fusion: where the image rows hold their regions (`img` is then pooled + regions wide). */
  regions?: RegionLayout
}

type Forward = (w: Weights, txt: tf.Tensor2D, img: tf.Tensor2D) => tf.Tensor2D

function hiddenOf(w: Weights, txt: tf.Tensor2D, img: tf.Tensor2D): tf.Tensor2D {
  return linear(tf.concat([txt, img], 1), w.get('w1') as tf.Tensor2D, w.get('b1') as tf.Tensor1D, { relu: true, inputGrad: false })
}

const logitsFrom = (w: Weights, h: tf.Tensor2D): tf.Tensor2D => linear(h, w.get('w2') as tf.Tensor2D, w.get('b2') as tf.Tensor1D)

const concatLogits = (w: Weights, txt: tf.Tensor2D, img: tf.Tensor2D): tf.Tensor2D => logitsFrom(w, hiddenOf(w, txt, img))

/** With ULGM: a text and an image encoder, Linear → ReLU (the features labels are generated from), each with a Linear to one value. */
const ulgmSpecs = (dims: FusionDims, hidden: number) =>
  (['ut', 'uv'] as const).flatMap((name) => {
    const input = name === 'ut' ? dims.txt : dims.img
    return [weight(`${name}.w1`, input, hidden), bias(`${name}.b1`, input, hidden), weight(`${name}.w2`, hidden, 1), bias(`${name}.b2`, hidden, 1)]
  })

/** The ULGM model's fused hidden layer on the two encoders' features. */
const fusedOn = (w: Weights, text: tf.Tensor2D, image: tf.Tensor2D): tf.Tensor2D =>
  linear(tf.concat([text, image], 1), w.get('w1') as tf.Tensor2D, w.get('b1') as tf.Tensor1D, { relu: true })

/** A ULGM branch: its feature and its scalar prediction. */
function unimodal(w: Weights, name: 'ut' | 'uv', x: tf.Tensor2D): { feature: tf.Tensor2D; pred: tf.Tensor1D } {
  const feature = linear(x, w.get(`${name}.w1`) as tf.Tensor2D, w.get(`${name}.b1`) as tf.Tensor1D, { relu: true, inputGrad: false })
  return { feature, pred: tf.reshape(linear(feature, w.get(`${name}.w2`) as tf.Tensor2D, w.get(`${name}.b2`) as tf.Tensor1D), [-1]) as tf.Tensor1D }
}

/**
 * The fused head on the strong view with the teacher's modality blanked (standardised features: 0 is
 * the pool's mean): the student must find the teacher's label in its own modality, not copy it from
 * the input the teacher read. FixMatch has no unimodal head; this is its image (or text) branch.
 */
function studentLogits(forward: Forward, w: Weights, txt: tf.Tensor2D, img: tf.Tensor2D, student: TeacherTargets['student']): tf.Tensor2D {
  return student === 'image' ? forward(w, tf.zerosLike(txt), img) : forward(w, txt, tf.zerosLike(img))
}

/**
 * `flex` is FlexMatch's per-post memory (sized to the unlabeled set); null for FixMatch and
 * supervised. `align` (log π_u − log π_L) shifts the weak view's logits before they become
 * pseudo-labels: distribution alignment with the class prior.
 */
export function fusionMethod(
  config: TrainingConfig,
  dims: FusionDims,
  flex: FlexMatchThresholds | null,
  align: ArrayLike<number> = new Float32Array(dims.classes),
  ulgm: UlgmBank | null = null,
  teacher: TeacherTargets | null = null,
): Method {
  const C = dims.classes
  const semiSupervised = isSemiSupervised(config.method)
  const input = dims.txt + dims.img
  const layout = config.fusion === 'text-guided' ? dims.regions : undefined
  if (config.fusion === 'text-guided' && !layout) throw new Error('fusion text-guided: the training data holds no image regions (load them with regions)')
  const logitsOf: Forward = layout ? (w, txt, img) => logitsFrom(w, textGuidedHidden(w, txt, img, layout, config.tgf)) : concatLogits
  const specs = layout
    ? textGuidedSpecs(layout, dims.txt, config.tgf, dims.clsHidden, C)
    : [weight('w1', ulgm ? 2 * config.ulgm.hidden : input, dims.clsHidden), bias('b1', ulgm ? 2 * config.ulgm.hidden : input, dims.clsHidden), weight('w2', dims.clsHidden, C), bias('b2', dims.clsHidden, C), ...(ulgm ? ulgmSpecs(dims, config.ulgm.hidden) : [])]
  return {
    specs,
    semiSupervised,
    ...(ulgm ? { state: ulgm } : {}),
    parts: (labeled, unlabeled) => ({
      labeled: [{ rows: labeled, view: 'weak' }],
      unlabeled: semiSupervised
        ? [
            { rows: unlabeled, view: 'weak' },
            { rows: unlabeled, view: 'strong0' },
          ]
        : [],
    }),

    step(w: Weights, batch: Batch, ctx: StepContext): StepOutput {
      const l = batch.y.length
      const u = batch.unlabeled.length
      const yHot = oneHot(batch.y, C)
      if (ulgm) {
        // The multi-task loss of §4.2 with the fused task as CE; labels move after the loss is read.
        const text = unimodal(w, 'ut', batch.txt)
        const image = unimodal(w, 'uv', batch.img)
        const h = fusedOn(w, text.feature, image.feature)
        const y = ulgm.targets(batch.labeled)
        const lx = meanCE(logitsFrom(w, h), yHot)
        const lt = ulgmTaskLoss(text.pred, y.t, y.m)
        const lv = ulgmTaskLoss(image.pred, y.v, y.m)
        const loss = tf.add(lx, tf.mul(tf.add(lt, lv), config.ulgm.weight)) as tf.Scalar
        const [lossValue, lxValue, ltValue, lvValue] = tf.stack([loss, lx, lt, lv]).dataSync()
        ulgm.update(batch.labeled, { m: h.dataSync() as Float32Array, t: text.feature.dataSync() as Float32Array, v: image.feature.dataSync() as Float32Array }, ctx.epoch + 1)
        return { loss, stats: { loss: lossValue!, lx: lxValue!, ulgmText: ltValue!, ulgmImage: lvValue!, ulgmShift: labelShift(batch.labeled, ulgm) } }
      }
      // Text-guided fusion: how focused its attention is on the labeled rows (a curve; no gradient).
      const focus = (): { tgfFocus?: number } => (layout ? { tgfFocus: textGuidedFocus(w, rows(batch.txt, 0, l), rows(batch.img, 0, l), layout, config.tgf) } : {})
      if (!semiSupervised) {
        const loss = meanCE(logitsOf(w, batch.txt, batch.img), yHot)
        const value = loss.dataSync()[0]!
        return { loss, stats: { loss: value, lx: value, ...focus() } }
      }
      // The weak view is read as numbers (no gradient); labeled and strong rows share one pass.
      const p = confidence(shiftLogits(logitsOf(w, rows(batch.txt, l, u), rows(batch.img, l, u)).dataSync(), align), C)
      const mask = flex ? flex.maskAndUpdate(batch.unlabeled, p, config.threshold) : thresholdMask(p.score, config.threshold)
      const both = (x: tf.Tensor2D): tf.Tensor2D => tf.concat([rows(x, 0, l), rows(x, l + u, u)])
      const logits = logitsOf(w, both(batch.txt), both(batch.img))
      const lx = meanCE(rows(logits, 0, l), yHot)
      const lu = maskedBatchMean(perSampleCE(rows(logits, l, u), oneHot(p.label, C)), tf.tensor1d(mask))
      const taught = teacher ? teacherTerm(teacher, studentLogits(logitsOf, w, rows(batch.txt, l + u, u), rows(batch.img, l + u, u), teacher.student), batch.unlabeled, C) : null
      const loss = tf.addN([lx, tf.mul(lu, config.lambdaU), ...(taught ? [taught.loss] : [])]) as tf.Scalar
      const [lossValue, lxValue, luValue, teacherValue] = tf.stack([loss, lx, lu, ...(taught ? [taught.loss] : [])]).dataSync()
      const stats = { loss: lossValue!, lx: lxValue!, lu: luValue!, maskM: mean(mask), ...focus() }
      return { loss, stats: taught ? { ...stats, lteacher: teacherValue!, teacherMask: taught.rate } : stats }
    },

    predict(w: Weights, txt: tf.Tensor2D, img: tf.Tensor2D): Predictions {
      if (!ulgm) return { logits: logitsOf(w, txt, img).dataSync() as Float32Array }
      const text = unimodal(w, 'ut', txt)
      const image = unimodal(w, 'uv', img)
      const logits = logitsFrom(w, fusedOn(w, text.feature, image.feature)).dataSync() as Float32Array
      return { logits, text: scalarLogits(text.pred.dataSync()), image: scalarLogits(image.pred.dataSync()) }
    },
  }
}
