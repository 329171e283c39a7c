// The default semi-supervised method (issue 11; figures in docs/RESULTS.md): self-training of a
// linear softmax head on the standardised [text | image] features. A supervised fit with the logit
// adjustment z + log π_pool − log π_L, then `rounds` rounds: pseudo-label the unlabeled train posts
// with softmax(z + log π_u − log π_S) (π_S the class mix the current model was trained on), keep
// those with confidence ≥ threshold, and refit on the labeled posts plus the kept ones. The run keeps
// the round that scores best on val (mean of accuracy and macro F1): with a few dozen labels the
// rounds can drift into one class, and then the supervised fit of round 0 is what the run returns.
// Plain Float64Array math: five fits take seconds; their curves go out with the progress as they
// grow. A stopped run starts afresh on resume.
import * as tf from '@tensorflow/tfjs'
import type { CurvePoint } from '#shared/runs'
import { CONFUSION_ORDER } from '#shared/vocabulary'
import { classificationReport } from '#main/ml/metrics'
import { initBackend } from '#main/ml/tfjs-backend'
import type { Evaluation } from './checkpoint'
import type { TrainPosts } from './data'
import { pickPseudoLabels, type PseudoLabels } from './evaluate'
import { pseudoLabelsThroughOnnx } from './onnx/pseudo-labels'
import { weightArrays, type ModelTopology, type RunModelParts } from './onnx/run-model'
import { argmaxRows, fitLinearHead, linearLogits, type LinearModel, type Rows } from './linear-head'
import { classMix, logitShift } from './prior'
import { confidence } from './pseudo-label-rules'
import { Rng } from './rng'
import { concatRows, linearFitOptions, poolLogits, runPrior, unlabeledRowsOf } from './run-prior'
import { calibrate } from './calibration'
import { runSteps } from './config'
import { TrainingStopped, type TrainOptions, type TrainResult } from './train-result'

const CLASSES = 3

function joinRows(a: Rows, b: Rows): Rows {
  const data = new Float32Array(a.data.length + b.data.length)
  data.set(a.data)
  data.set(b.data, a.data.length)
  return { rows: a.rows + b.rows, dim: a.dim, data }
}

/** How a round is judged on val: the mean of accuracy and macro F1, so that neither a drift into the
 *  majority class (accuracy holds, macro F1 falls) nor into a minority one goes unnoticed. */
function roundScore(model: LinearModel, val: { x: Rows; y: ArrayLike<number> }, shift: Float32Array): number {
  const r = classificationReport(val.y, argmaxRows(linearLogits(model, val.x, shift), CLASSES), CONFUSION_ORDER)
  return (r.accuracy + r.macroF1) / 2
}

/** The selected weights with the prior folded into the bias, as tfjs artifacts. */
async function artifactsOf(model: LinearModel, shift: Float32Array, config: TrainOptions['config'], step: number, dims: { txt: number; img: number }): Promise<tf.io.ModelArtifacts> {
  const w = tf.transpose(tf.tensor2d(Float32Array.from(model.w), [model.classes, model.dim]))
  const b = tf.tensor1d(Float32Array.from(model.b, (x, c) => x + shift[c]!))
  try {
    const { data, specs } = await tf.io.encodeWeights({ w, b })
    return {
      modelTopology: { format: 'common-ground-training', method: config.method, config, classes: [...CONFUSION_ORDER], step, inputs: { text: dims.txt, image: dims.img }, logits: '[txt | img] · w + b (the prior is in b)' } as unknown as tf.io.ModelArtifacts['modelTopology'],
      weightSpecs: specs,
      weightData: data,
      format: `common-ground/${config.method}`,
      generatedBy: 'Common Ground trainer',
    }
  } finally {
    w.dispose()
    b.dispose()
  }
}

/**
 * Pseudo-labels of the unlabeled posts (rows `keep` of the pool) through the ONNX head, the path
 * every method's end-of-run pseudo-labels and `predict` take: the saved weights (the prior in b),
 * calibrated by `temperature`; and their logits. ORT's GEMM on the two feature matrices as they are,
 * where a plain-JS pass needed the pool joined into one more copy and ~4 s of a core at 100,000 posts.
 * No pass over a strong view: its loss was evidence no order uses (review/risk.ts).
 */
export async function selfTrainingPseudoLabels(artifacts: tf.io.ModelArtifacts, temperature: number, pool: TrainPosts, keep: Int32Array): Promise<{ pseudoLabels: PseudoLabels; logits: Float32Array }> {
  const topology = artifacts.modelTopology as unknown as ModelTopology
  const model: RunModelParts = { topology, weights: weightArrays(artifacts.weightSpecs ?? [], artifacts.weightData as ArrayBuffer, 'self-training'), preprocessing: null }
  const all = await pseudoLabelsThroughOnnx(model, pool, { classes: CLASSES, plfThreshold: null, noFilter: 'self-training has no pseudo-label filter', calibration: { temperature, logitAdjustment: null } })
  if (keep.length === pool.ids.length) return { pseudoLabels: all.labels, logits: all.logits }
  const logits = new Float32Array(keep.length * CLASSES)
  keep.forEach((row, i) => logits.set(all.logits.subarray(row * CLASSES, (row + 1) * CLASSES), i * CLASSES))
  return { pseudoLabels: pickPseudoLabels(all.labels, keep), logits }
}

export async function trainSelfTraining(options: TrainOptions): Promise<TrainResult> {
  const { config, data, onProgress, signal } = options
  const backend = await initBackend()
  const started = Date.now()
  const C = CLASSES
  const s = config.selfTraining
  const prior = runPrior(config, data, C)
  const xl = concatRows(data.labeled.txt.clean, data.labeled.img.clean)
  const yl = Int32Array.from(data.labeled.y)
  const uRows = unlabeledRowsOf(data)
  // The unlabeled posts are read a chunk at a time (a pool may be left in the feature cache); only the kept ones are joined.
  const u = data.unlabeled
  const logitsOfPool = (m: LinearModel, shift: ArrayLike<number>): Float32Array => poolLogits(m, u.txt.clean, u.img.clean, uRows, shift)
  const val = data.val && { x: concatRows(data.val.txt, data.val.img), y: data.val.y }
  const test = data.test && { x: concatRows(data.test.txt, data.test.img), y: data.test.y }
  const totalSteps = runSteps(config)
  const curves: CurvePoint[] = []
  /** How many of `curves` the progress events have carried. */
  let sent = 0
  const rng = new Rng(config.seed, 2)

  let x = xl
  let y: Int32Array = yl
  let model: LinearModel | null = null
  let shift = logitShift(prior.pool, prior.labeled)
  let best: { model: LinearModel; shift: Float32Array; step: number; round: number; score: number } | null = null
  for (let round = 0; round <= s.rounds; round++) {
    if (model) {
      // π_u = π_pool: both are the mix of the train posts outside the labeled subset (load-data.ts
      // drawPriorSample), which is the unlabeled posts' own (docs/RESULTS.md, issue 11, "the pool's own mix").
      const pseudo = confidence(logitsOfPool(model, logitShift(prior.unlabeled, classMix(y, C))), C)
      const kept = Array.from(pseudo.score.keys()).filter((i) => pseudo.score[i]! >= s.threshold)
      x = joinRows(xl, concatRows(u.txt.clean, u.img.clean, kept.map((i) => uRows[i]!)))
      y = Int32Array.from([...yl, ...kept.map((i) => pseudo.label[i]!)])
      curves.push({ step: round * config.steps, series: 'maskM', value: uRows.length === 0 ? 0 : kept.length / uRows.length })
      curves.push({ step: round * config.steps, series: 'round', value: round })
    }
    shift = logitShift(prior.pool, classMix(y, C))
    const offset = round * config.steps
    let losses = 0
    let evaluations = 0
    const fit = fitLinearHead(x, y, C, linearFitOptions(config, x.rows), rng, val && { ...val, shift }, (step, so) => {
      if (signal?.aborted) throw new TrainingStopped(offset + step)
      for (; losses < so.losses.length; losses++) curves.push({ step: offset + losses + 1, series: 'lx', value: so.losses[losses]! })
      for (; evaluations < so.evaluations.length; evaluations++) {
        const e = so.evaluations[evaluations]!
        curves.push({ step: offset + e.step, series: 'val.accuracy', value: e.accuracy })
      }
      if (step % (config.evalEvery || 25) !== 0 && step !== config.steps) return
      const elapsedMs = Date.now() - started
      const done = offset + step
      // The points since the last progress: the charts grow while the run trains.
      onProgress?.({ step: done, steps: totalSteps, epoch: round, elapsedMs, etaMs: (elapsedMs / done) * (totalSteps - done), points: curves.slice(sent) })
      sent = curves.length
    })
    model = fit.model
    const score = val ? roundScore(model, val, shift) : round
    if (best === null || score > best.score) best = { model, shift, step: offset + fit.step, round, score }
  }
  const final = best!.model
  shift = best!.shift
  const selectedStep = best!.step
  const report = (set: { x: Rows; y: ArrayLike<number> }) => classificationReport(set.y, argmaxRows(linearLogits(final, set.x, shift), C), CONFUSION_ORDER)
  const selected: Evaluation = { step: selectedStep, ...(val ? { val: report(val) } : {}), ...(test ? { test: report(test) } : {}) }
  if (selected.test) curves.push({ step: selectedStep, series: 'test.accuracy', value: selected.test.accuracy })

  const valLogits = val ? linearLogits(final, val.x, shift) : null
  const calibration = calibrate(valLogits, val?.y ?? null, C)
  const dims = { txt: data.labeled.txt.clean.dim, img: data.labeled.img.clean.dim }
  const artifacts = await artifactsOf(final, shift, config, selectedStep, dims)
  const { pseudoLabels, logits } = await selfTrainingPseudoLabels(artifacts, calibration.temperature, data.unlabeled, uRows)
  return {
    backend,
    config,
    metrics: { selection: config.modelSelection, selected, last: selected },
    curves: curves.sort((a, b) => a.step - b.step),
    epoch: best!.round,
    pseudoLabels,
    artifacts,
    elapsedMs: Date.now() - started,
    prior,
    logits: { val: valLogits, unlabeled: logits },
    calibration,
  }
}
