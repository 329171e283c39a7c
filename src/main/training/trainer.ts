// train(): one run of a method on in-memory features, from a seed (or a checkpoint) to metrics,
// curves, pseudo-labels and the weights. Knows nothing of the store or of processes: the caller
// loads features, persists checkpoints and relays progress.
import * as tf from '@tensorflow/tfjs'
import type { CurvePoint, CurveSeries } from '#shared/runs'
import { CONFUSION_ORDER } from '#shared/vocabulary'
import { initBackend } from '#main/ml/tfjs-backend'
import { nextTurn } from '#main/core/loop-turns'
import type { Evaluation, TrainerCheckpoint } from './checkpoint'
import { inPlfPhase, isSemiSupervised, optimizerSettings, validateConfig, type TrainingConfig } from './config'
import { dataProblems, drawRows, stackBatch, type TrainingData } from './data'
import { Ema } from './ema'
import { calibrate } from './calibration'
import { evaluateOn, predictAll, pseudoLabels } from './evaluate'
import { fusionMethod } from './methods/fusion'
import type { Method } from './methods/method'
import { scdrMethod } from './methods/scdr'
import { sppSclMethod } from './methods/spp-scl'
import { pseudoLabelsThroughOnnx } from './onnx/pseudo-labels'
import { weightArrays, type ModelTopology, type RunModelParts } from './onnx/run-model'
import { Optimizer } from './optimizer'
import { disposeWeights, Params, weightsFrom, type Weights } from './params'
import { FlexMatchThresholds } from './pseudo-label-rules'
import { Rng } from './rng'
import { logitShift, shiftLogits } from './prior'
import { runPrior } from './run-prior'
import { cosineFactor } from './schedule'
import { trainSelfTraining } from './self-training'
import { trainingStep, type HostBatch } from './step'
import { UlgmBank } from './ulgm'
import { buildTeacher, teacherLabelsOf, type TeacherTargets } from './teacher/teacher'
import { InvalidTrainingInput, TrainingStopped, type TrainOptions, type TrainResult } from './train-result'

/** Sentiment classes, in the order SCDR's ordinal hinge reads them: 0 negative, 1 neutral, 2 positive. */
export const CLASSES = 3

export { InvalidTrainingInput, TrainingStopped, type CheckpointStore, type Progress, type TrainOptions, type TrainResult } from './train-result'

/**
 * `align` (log π_u − log π_L) is added to the logits an unlabeled loss turns into pseudo-labels:
 * distribution alignment. Self-training is no tfjs method: train() hands it to its own trainer.
 */
export function buildMethod(config: TrainingConfig, data: TrainingData, align: Float32Array = new Float32Array(CLASSES), teacher: TeacherTargets | null = null): { method: Method; flex: FlexMatchThresholds | null } {
  const regions = config.fusion === 'text-guided' ? data.regions : undefined
  if (config.fusion === 'text-guided' && !regions) throw new InvalidTrainingInput(['fusion text-guided: the training data holds no image regions (extract them: `extract --regions G`)'])
  const dims = { txt: data.labeled.txt.clean.dim, img: data.labeled.img.clean.dim, clsHidden: config.clsHidden, classes: CLASSES, ...(regions ? { regions } : {}) }
  const ulgmOn = config.ulgm.mode === 'on'
  // SCDR's bank reads its heads' post-layer-1 features (clsHidden wide); supervised's, its ULGM encoders'.
  if (config.method === 'scdr') {
    const tgf = regions ? { tgf: { layout: regions, heads: config.tgf.heads, dim: config.tgf.dim } } : {}
    const ulgm = ulgmOn ? new UlgmBank(data.labeled.y, { m: config.clsHidden, t: config.clsHidden, v: config.clsHidden }) : null
    return { method: scdrMethod(config, { ...dims, hidden: config.hidden, ...tgf }, align, teacher, ulgm), flex: null }
  }
  if (config.method === 'spp-scl') return { method: sppSclMethod(config, dims), flex: null }
  const flex = config.method === 'flexmatch' ? new FlexMatchThresholds(data.unlabeled.ids.length, CLASSES, config.flexmatch.warmup) : null
  const ulgm = ulgmOn ? new UlgmBank(data.labeled.y, { m: config.clsHidden, t: config.ulgm.hidden, v: config.ulgm.hidden }) : null
  return { method: fusionMethod(config, dims, flex, align, ulgm, teacher), flex }
}

/** Final-layer biases that produce class logits: the prior is folded into them in the saved model. */
const CLASS_BIASES = new Set(['b2', 'cm.b2', 'ct.b2', 'cv.b2', 'f2.b'])


/** A step's points; a value that is not finite (a diverging loss) is left out of its curve. */
function pointsOf(step: number, values: Partial<Record<CurveSeries, number>>): CurvePoint[] {
  const points: CurvePoint[] = []
  for (const [series, value] of Object.entries(values) as [CurveSeries, number | undefined][]) {
    if (value !== undefined && Number.isFinite(value)) points.push({ step, series, value })
  }
  return points
}

export async function train(options: TrainOptions): Promise<TrainResult> {
  const { config, data, onProgress, signal, checkpoint } = options
  const backend = await initBackend()
  const configProblems = validateConfig(config).map((p) => p.message)
  if (configProblems.length > 0) throw new InvalidTrainingInput(configProblems)
  const semi = isSemiSupervised(config.method)
  const problems = dataProblems(data, { unlabeled: semi, val: config.modelSelection === 'val', test: config.modelSelection === 'test' }, CLASSES)
  if (problems.length > 0) throw new InvalidTrainingInput(problems)

  if (config.method === 'self-training') return trainSelfTraining(options)

  // The prior: predictions get log π_pool − log π_L, pseudo-labels log π_u − log π_L.
  const prior = runPrior(config, data, CLASSES)
  const adjust = logitShift(prior.pool, prior.labeled)
  const align = logitShift(prior.unlabeled, prior.labeled)
  // A frozen teacher labels every unlabeled post once, before the first step: seeded, so a resumed run rebuilds the same one.
  const teacher = buildTeacher(config.teacher, data, { seed: config.seed, classes: CLASSES, pool: adjust, align, run: options.teacherRun })
  const { method, flex } = buildMethod(config, data, align, teacher)
  const stepsPerEpoch = config.stepsPerEpoch || Math.ceil(semi ? data.unlabeled.ids.length / config.batchUnlabeled : data.labeled.ids.length / config.batchLabeled)
  const evalEvery = config.evalEvery || stepsPerEpoch
  const checkpointEvery = checkpoint?.every ?? config.checkpointEvery
  // An ONNX teacher's file hash too: a model swapped in the folder since the checkpoint is another teacher.
  const teacherModel = options.teacherRun?.model?.sha256
  const fingerprint = JSON.stringify({ config, rows: [data.labeled.ids.length, data.unlabeled.ids.length], dims: [data.labeled.txt.clean.dim, data.labeled.img.clean.dim], ...(teacherModel ? { teacherModel } : {}) })

  // Separate streams: the initial weights do not depend on how many batches were drawn, and vice versa.
  const params = Params.initial(method.specs, new Rng(config.seed, 1))
  let rng = new Rng(config.seed, 2)
  const optimizer = new Optimizer(optimizerSettings(config), method.specs.filter((s) => s.trainable), params.variables)
  const ema = new Ema(config.emaDecay)
  ema.reset(params.weights)
  let step = 0
  let curves: CurvePoint[] = []
  let best: TrainerCheckpoint['best'] = null
  let last: Evaluation = { step: 0 }
  let elapsedBefore = 0

  const saved = await checkpoint?.load()
  if (saved) {
    if (saved.fingerprint !== fingerprint) throw new InvalidTrainingInput(['checkpoint belongs to a run with another config or data'])
    params.assign(saved.params)
    optimizer.restore(saved.optimizer)
    ema.restore(saved.ema, params.weights)
    if (flex && saved.flex) flex.restore(saved.flex.selected, saved.flex.beta)
    if (method.state && saved.method) method.state.restore(saved.method)
    rng = Rng.fromState(saved.rng)
    step = saved.step
    curves = saved.curves
    best = saved.best
    elapsedBefore = saved.elapsedMs
    last = saved.last
  }

  const started = Date.now()
  const elapsed = (): number => elapsedBefore + Date.now() - started
  const snapshot = (): TrainerCheckpoint => ({
    version: 2,
    fingerprint,
    step,
    rng: rng.state,
    params: params.arrays(),
    optimizer: optimizer.state(),
    ema: ema.arrays(),
    flex: flex ? { selected: Int32Array.from(flex.selected), beta: Float64Array.from(flex.beta) } : null,
    ...(method.state ? { method: method.state.arrays() } : {}),
    best,
    last,
    curves,
    elapsedMs: elapsed(),
  })

  const evaluate = (weights: Weights): Evaluation => ({
    step,
    ...(data.val ? { val: evaluateOn(method, weights, data.val, adjust) } : {}),
    ...(data.test ? { test: evaluateOn(method, weights, data.test, adjust) } : {}),
  })
  const score = (e: Evaluation): number =>
    config.modelSelection === 'val' ? e.val!.accuracy : config.modelSelection === 'test' ? e.test!.accuracy : e.step

  const dropout = { fallback: config.strongFallbackDropout, strong: config.strongDropout }
  const startStep = step
  try {
    while (step < config.steps) {
      if (signal?.aborted) {
        if (checkpoint) await checkpoint.save(snapshot())
        throw new TrainingStopped(step)
      }
      const epoch = Math.floor(step / stepsPerEpoch)
      // SCRD registers a new EMA at every epoch start (QUIRK); at step 0 both options agree.
      if (config.emaReset === 'epoch' && step % stepsPerEpoch === 0) ema.reset(params.weights)
      const lr = config.lr * (config.schedule === 'cosine' ? cosineFactor(step, config.steps) : 1)
      const labeledRows = drawRows(config.batchLabeled, data.labeled.ids.length, rng)
      const unlabeledRows = semi ? drawRows(config.batchUnlabeled, data.unlabeled.ids.length, rng) : new Int32Array(0)
      const parts = method.parts(labeledRows, unlabeledRows)
      const groups = [
        { posts: data.labeled, parts: parts.labeled },
        { posts: data.unlabeled, parts: parts.unlabeled },
      ]
      const batch: HostBatch = {
        txt: stackBatch(groups, 'txt', rng, dropout),
        img: stackBatch(groups, 'img', rng, dropout),
        dims: { txt: data.labeled.txt.clean.dim, img: data.labeled.img.clean.dim },
        y: Int32Array.from(labeledRows, (r) => data.labeled.y[r]!),
        labeled: labeledRows,
        unlabeled: unlabeledRows,
      }
      const stats = trainingStep(method, params, optimizer, batch, { step, epoch }, lr, config.clipNorm)
      ema.update(params.weights)
      step++
      const points = pointsOf(step, { ...stats, lr })
      if (step % evalEvery === 0 || step === config.steps) {
        last = evaluate(ema.shadow)
        points.push(...pointsOf(step, { 'val.accuracy': last.val?.accuracy, 'test.accuracy': last.test?.accuracy }))
        if (best === null || score(last) >= score(best.evaluation)) best = { evaluation: last, weights: ema.arrays() }
      }
      curves.push(...points)
      if (checkpoint && checkpointEvery > 0 && step % checkpointEvery === 0) await checkpoint.save(snapshot())
      const rate = (elapsed() - elapsedBefore) / (step - startStep)
      onProgress?.({ step, steps: config.steps, epoch, elapsedMs: elapsed(), etaMs: rate * (config.steps - step), points })
      // Lets an abort (or the parent's message) in between steps.
      await nextTurn()
    }

    const selected = best!.evaluation
    const weights = weightsFrom(method.specs, best!.weights)
    try {
      // SCDR's PLF threshold: plfFactor × the mean L_sup of the last epoch's steps, replayed only when
      // the PLF phase reached the end of the run: a filter the final model never ran has no verdict.
      const lastEpoch = curves.filter((p) => p.series === 'lsup' && p.step > config.steps - stepsPerEpoch).map((p) => p.value)
      const plfAtEnd = config.method === 'scdr' && inPlfPhase(config, { step: config.steps - 1, epoch: Math.floor((config.steps - 1) / stepsPerEpoch) })
      const plfThreshold = plfAtEnd ? (config.scdr.plfFactor * lastEpoch.reduce((a, b) => a + b, 0)) / Math.max(1, Math.min(stepsPerEpoch, config.steps)) : null
      const noFilter = config.method === 'scdr' ? 'the pseudo-label filter ran only in the first steps of this run; the final model was never filtered' : 'this method has no pseudo-label filter'
      const u = data.unlabeled
      const valLogits = data.val ? shiftLogits(predictAll(method, weights, data.val.txt, data.val.img).logits, adjust) : null
      // The prior is folded into the saved class biases (so every head's logits carry it, in tfjs and in
      // the ONNX graph alike); the temperature is fitted on the val logits the reviewer's confidences come from: prior applied.
      const calibration = calibrate(valLogits, data.val?.y ?? null, CLASSES)
      const adjusted = tf.tidy(() => Object.fromEntries([...weights].map(([name, t]) => [name, CLASS_BIASES.has(name) ? tf.add(t, tf.tensor1d(adjust)) : t.clone()])))
      const { data: weightData, specs } = await tf.io.encodeWeights(adjusted)
      tf.dispose(Object.values(adjusted))
      const textGuided = config.fusion === 'text-guided' && data.regions ? { textGuided: { ...data.regions, heads: config.tgf.heads, combine: config.tgf.combine } } : {}
      const topology: ModelTopology = { format: 'common-ground-training', method: config.method, classes: [...CONFUSION_ORDER], step: selected.step, inputs: { text: data.labeled.txt.clean.dim, image: data.labeled.img.clean.dim }, ...textGuided }
      const artifacts: tf.io.ModelArtifacts = {
        modelTopology: { ...topology, config } as unknown as tf.io.ModelArtifacts['modelTopology'],
        weightSpecs: specs,
        weightData,
        format: `common-ground/${config.method}`,
        generatedBy: 'Common Ground trainer',
      }
      // Every method proposes labels for the unlabeled posts, supervised too: a baseline's proposals
      // are worth reviewing and comparing. They come through the ONNX head, as `predict`'s do; the
      // features here are standardised already, so the graph leaves standardisation out.
      const model: RunModelParts = { topology, weights: weightArrays(specs, weightData as ArrayBuffer, 'trainer'), preprocessing: null }
      // The pool's logits come from the same clean pass (the prior is in the biases): no tfjs pass over the
      // pool, and no strong-view pass either (pseudo-labels.ts).
      const pool = u.ids.length > 0 ? await pseudoLabelsThroughOnnx(model, u, { classes: CLASSES, plfThreshold, noFilter, calibration: { temperature: calibration.temperature, logitAdjustment: null } }) : { labels: pseudoLabels({ ids: [], clean: { logits: new Float32Array(0) }, strongLogits: null }, CLASSES, null, noFilter), logits: new Float32Array(0) }
      const epoch = Math.floor((config.steps - 1) / stepsPerEpoch)
      const logits = { val: valLogits, unlabeled: pool.logits }
      return { backend, config, metrics: { selection: config.modelSelection, selected, last }, curves, epoch, pseudoLabels: pool.labels, artifacts, elapsedMs: elapsed(), prior, logits, calibration, teacher: teacher?.used ?? null, teacherLabels: teacher ? teacherLabelsOf(teacher, u.ids) : [] }
    } finally {
      disposeWeights(weights)
    }
  } finally {
    ema.dispose()
    optimizer.dispose()
    params.dispose()
  }
}
