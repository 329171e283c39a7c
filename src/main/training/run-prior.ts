// The prior a run uses, resolved from its config and data (prior.ts has the rules): a random labeled
// sample, a typed prior, or a guarded BBSE estimate from a linear head fitted on the labeled posts
// (its confusion matrix from two-fold cross-fitting, never from val or test).
import type { RunPrior } from '#shared/runs'
import { confusionMatrix } from '#main/ml/metrics'
import type { TrainingConfig } from './config'
import type { TrainingData } from './data'
import { argmaxRows, fitLinearHead, linearLogits, type LinearFitOptions, type LinearModel, type Rows } from './linear-head'
import { classMix, estimatePriorBbse, resolvePrior, type PriorEstimate } from './prior'
import { Rng } from './rng'
import { readRows, type ViewRows } from './view-rows'

/** Row-wise [txt | img]: the linear head's input. */
export function concatRows(txt: ViewRows, img: ViewRows, rows?: ArrayLike<number>): Rows {
  const list = rows ?? Int32Array.from({ length: txt.rows }, (_, i) => i)
  const dim = txt.dim + img.dim
  const t = readRows(txt, list)
  const v = readRows(img, list)
  const data = new Float32Array(list.length * dim)
  for (let i = 0; i < list.length; i++) {
    data.set(t.subarray(i * txt.dim, (i + 1) * txt.dim), i * dim)
    data.set(v.subarray(i * img.dim, (i + 1) * img.dim), i * dim + txt.dim)
  }
  return { rows: list.length, dim, data }
}

/** Rows per chunk of a linear head's pass over a pool. */
const LOGITS_CHUNK = 4096

/**
 * The linear head's logits on rows `rows` of [txt | img] (only `txt` when `img` is null), a chunk at a
 * time: a pool left in the feature cache is never joined whole. Row by row the same as one pass.
 */
export function poolLogits(model: LinearModel, txt: ViewRows, img: ViewRows | null, rows: ArrayLike<number>, shift?: ArrayLike<number>): Float32Array {
  const out = new Float32Array(rows.length * model.classes)
  for (let start = 0; start < rows.length; start += LOGITS_CHUNK) {
    const chunk = Array.prototype.slice.call(rows, start, start + LOGITS_CHUNK) as number[]
    const x: Rows = img ? concatRows(txt, img, chunk) : { rows: chunk.length, dim: txt.dim, data: readRows(txt, chunk) }
    out.set(linearLogits(model, x, shift), start * model.classes)
  }
  return out
}

/** Rows of `x` picked by index. */
export function pickRows(x: Rows, rows: ArrayLike<number>): Rows {
  const data = new Float32Array(rows.length * x.dim)
  for (let i = 0; i < rows.length; i++) data.set(x.data.subarray(rows[i]! * x.dim, (rows[i]! + 1) * x.dim), i * x.dim)
  return { rows: rows.length, dim: x.dim, data }
}

/** The linear head's fit settings from a config (self-training's, or fixed ones for the estimate). */
export function linearFitOptions(config: Pick<TrainingConfig, 'steps' | 'batchLabeled' | 'lr' | 'momentum' | 'clipNorm' | 'emaDecay' | 'evalEvery' | 'selfTraining'>, rows: number): LinearFitOptions {
  return {
    steps: config.steps,
    batch: config.batchLabeled,
    lr: config.lr,
    momentum: config.momentum,
    clipNorm: config.clipNorm,
    emaDecay: config.emaDecay,
    evalEvery: config.evalEvery || 25,
    weightDecay: config.selfTraining.decayRows / Math.max(1, rows),
  }
}

const ESTIMATE_FIT = { steps: 1000, batchLabeled: 128, lr: 0.01, momentum: 0.9, clipNorm: 5, emaDecay: 0.99, evalEvery: 1000 }

/** Pool rows of the posts that are not in the labeled subset. */
export function unlabeledRowsOf(data: TrainingData): Int32Array {
  const labeled = new Set(data.labeled.ids)
  return Int32Array.from(data.unlabeled.ids.flatMap((id, i) => (labeled.has(id) ? [] : [i])))
}

/** BBSE on a linear head: confusion from two folds of the labeled posts, predictions on the unlabeled ones. */
export function estimateFromUnlabeled(config: TrainingConfig, data: TrainingData, classes: number): PriorEstimate {
  const x = concatRows(data.labeled.txt.clean, data.labeled.img.clean)
  const y = Int32Array.from(data.labeled.y)
  const fit = { ...ESTIMATE_FIT, selfTraining: config.selfTraining }
  const rng = new Rng(config.seed, 5)
  const truth: number[] = []
  const predicted: number[] = []
  // Plain loops: the folds were built by spreading an array per row (40,000 labeled posts took 7.8 s
  // per fold), and a spread push of a fold past ~125,000 rows throws "Maximum call stack size exceeded".
  for (const fold of [0, 1]) {
    const train: number[] = []
    const held: number[] = []
    for (let i = 0; i < y.length; i++) (i % 2 === fold ? held : train).push(i)
    if (train.length === 0 || held.length === 0) continue
    const model = fitLinearHead(pickRows(x, train), train.map((i) => y[i]!), classes, linearFitOptions(fit, train.length), rng).model
    for (const label of argmaxRows(linearLogits(model, pickRows(x, held)), classes)) predicted.push(label)
    for (const i of held) truth.push(y[i]!)
  }
  const model = fitLinearHead(x, y, classes, linearFitOptions(fit, y.length), rng).model
  const u = poolLogits(model, data.unlabeled.txt.clean, data.unlabeled.img.clean, unlabeledRowsOf(data))
  return estimatePriorBbse(confusionMatrix(truth, predicted, classes), argmaxRows(u, classes), classMix(y, classes))
}

/** What a launch dialog shows before the run: an estimate's values are known only once it runs. */
export function previewPrior(config: TrainingConfig, perClass: readonly number[], sample: readonly number[]): RunPrior {
  const total = perClass.reduce((a, b) => a + b, 0)
  const mix = perClass.map((n) => (total === 0 ? 1 / perClass.length : n / total))
  const pending = (): PriorEstimate => ({ prior: mix, accepted: true, reason: 'estimated when the run starts, from the model’s predictions on the unlabeled posts (the labeled mix if the guards reject it)' })
  return resolvePrior(config.prior, mix, sample.length > 0 ? sample : null, pending)
}

/** π_pool, π_L and π_u of a run. */
export function runPrior(config: TrainingConfig, data: TrainingData, classes: number): RunPrior {
  // load-data drew it: extra random labels, or a proportional draw's own (prior.sample 0 included).
  const sample = data.priorSample && data.priorSample.length > 0 ? data.priorSample : null
  return resolvePrior(config.prior, classMix(data.labeled.y, classes), sample, () => estimateFromUnlabeled(config, data, classes))
}
