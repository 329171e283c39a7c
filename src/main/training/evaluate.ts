// Predictions of a trained model on clean features, in chunks: metrics on val/test, and the
// pseudo-label of every unlabeled post with what the review queue shows about it.
import * as tf from '@tensorflow/tfjs'
import type { ClassificationReport } from '#shared/runs'
import { CONFUSION_ORDER } from '#shared/vocabulary'
import { classificationReport } from '#main/ml/metrics'
import type { EvalPosts, Matrix } from './data'
import { scoped, type Method, type Predictions } from './methods/method'
import type { Weights } from './params'
import { shiftLogits } from './prior'
import { confidence, crossEntropyRows, plfVerdict, TOKENS, type Confidence, type PlfVerdict, type Token } from './pseudo-label-rules'

/** Rows per forward pass at evaluation: bounds memory, not speed. */
const CHUNK = 1024

const slice = (m: Matrix, start: number, count: number): tf.Tensor2D => tf.tensor2d(m.data.subarray(start * m.dim, (start + count) * m.dim), [count, m.dim])

function concatChunks(chunks: Predictions[]): Predictions {
  const join = (pick: (p: Predictions) => Float32Array | Int32Array | undefined): Float32Array | Int32Array | undefined => {
    const parts = chunks.map(pick)
    if (parts.some((p) => p === undefined)) return undefined
    const out = parts[0] instanceof Int32Array ? new Int32Array(parts.reduce((a, p) => a + p!.length, 0)) : new Float32Array(parts.reduce((a, p) => a + p!.length, 0))
    let at = 0
    for (const p of parts) {
      out.set(p!, at)
      at += p!.length
    }
    return out
  }
  return {
    logits: join((p) => p.logits) as Float32Array,
    text: join((p) => p.text) as Float32Array | undefined,
    image: join((p) => p.image) as Float32Array | undefined,
    selected: join((p) => p.selected) as Int32Array | undefined,
    textOnCommon: join((p) => p.textOnCommon) as Float32Array | undefined,
    imageOnCommon: join((p) => p.imageOnCommon) as Float32Array | undefined,
  }
}

export function predictAll(method: Method, weights: Weights, txt: Matrix, img: Matrix): Predictions {
  const chunks: Predictions[] = []
  for (let start = 0; start < txt.rows; start += CHUNK) {
    const count = Math.min(CHUNK, txt.rows - start)
    chunks.push(scoped(() => method.predict(weights, slice(txt, start, count), slice(img, start, count))))
  }
  return concatChunks(chunks)
}

/** Metrics of the model on val or test; class indices are the trainer's, in CONFUSION_ORDER. */
/** `adjust` (log π_pool − log π_L) is added to the logits: the prior's logit adjustment. */
export function evaluateOn(method: Method, weights: Weights, posts: EvalPosts, adjust: ArrayLike<number> = new Float32Array(CONFUSION_ORDER.length)): ClassificationReport {
  return classificationReport(posts.y, confidence(shiftLogits(predictAll(method, weights, posts.txt, posts.img).logits, adjust), CONFUSION_ORDER.length).label, CONFUSION_ORDER)
}

/** The top class and its probability per row of probabilities. */
function topOf(probabilities: Float32Array, classes: number): { label: Int32Array; score: Float32Array } {
  const rows = probabilities.length / classes
  const label = new Int32Array(rows)
  const score = new Float32Array(rows)
  for (let r = 0; r < rows; r++) {
    let best = 0
    for (let c = 1; c < classes; c++) if (probabilities[r * classes + c]! > probabilities[r * classes + best]!) best = c
    label[r] = best
    score[r] = probabilities[r * classes + best]!
  }
  return { label, score }
}

export interface HeadGuess {
  label: number
  confidence: number
}

/** One post's pseudo-label as an object: what tests and benches read of a few (pseudoLabelAt). */
export interface PseudoLabel {
  postId: number
  label: number
  /** Calibrated softmax confidence of the final (fused) prediction: softmax(logits / T). */
  confidence: number
  /** SCDR's unimodal heads on the private features; null for methods without them. */
  text: HeadGuess | null
  image: HeadGuess | null
  selected: Token | null
  plf: PlfVerdict
  /** CE of the fused prediction on the post's first strong view against this label (the consistency loss it would add); null when that view was not run (the end of a run leaves it out: a second pass over the pool for evidence no order uses). */
  loss: number | null
}

/**
 * A pool's pseudo-labels as columns, row i the post ids[i]. At the end of a run on 100,000 posts an
 * object per post (and four more inside it), then a row object per post for the store, took
 * 0.2-0.3 s of the pseudo-labelling's 2 s budget; the store's writer reads these columns instead
 * (training/worker/stored-pseudo-labels.ts).
 */
export interface PseudoLabels {
  ids: readonly number[]
  /** The fused prediction's class (CONFUSION_ORDER's index) and its calibrated confidence. */
  label: Int32Array
  confidence: Float32Array
  /** SCDR's unimodal heads on the private features; null for methods without them. */
  text: Confidence | null
  image: Confidence | null
  /** The modal-selection token per post (TOKENS' index); null for methods without one. */
  selected: Int32Array | null
  /** Where the PLF rule ran, the numbers it judged (its verdict is plfDrops of them); where it did not, why. */
  plf: { ceText: Float32Array; ceImage: Float32Array; threshold: number } | { reason: string }
  /** See PseudoLabel.loss; null when the strong view was not run. */
  loss: Float32Array | null
}

/** A model's outputs on the unlabeled posts' clean features and, when run, on their first strong view. */
export interface PseudoLabelInputs {
  ids: number[]
  /** On clean features; `probabilities` (calibrated, rows × classes) when the model gives them, else softmax(logits). */
  clean: Predictions & { probabilities?: Float32Array }
  strongLogits: Float32Array | null
}

/**
 * Pseudo-labels from a model's predictions (the trainer gets them through the ONNX head, the same
 * path as `predict`); `plfThreshold` (SCDR: plfFactor × the last epoch's mean L_sup) replays the PLF
 * rule on each post for the reviewer, null where the final model has none (`noFilter` says why).
 */
export function pseudoLabels(posts: PseudoLabelInputs, classes: number, plfThreshold: number | null, noFilter = 'this method has no pseudo-label filter'): PseudoLabels {
  const p = posts.clean
  const fused = p.probabilities ? topOf(p.probabilities, classes) : confidence(p.logits, classes)
  const text = p.text ? confidence(p.text, classes) : null
  const image = p.image ? confidence(p.image, classes) : null
  const selected = p.selected ?? null
  const ruled = selected && p.textOnCommon && p.imageOnCommon && text && image && plfThreshold !== null
  return {
    ids: posts.ids,
    label: fused.label,
    confidence: fused.score,
    text,
    image,
    selected,
    plf: ruled
      ? { ceText: crossEntropyRows(p.textOnCommon!, classes, text.label), ceImage: crossEntropyRows(p.imageOnCommon!, classes, image.label), threshold: plfThreshold }
      : { reason: noFilter },
    loss: posts.strongLogits ? crossEntropyRows(posts.strongLogits, classes, fused.label) : null,
  }
}

/** The PLF verdict of row i. */
export function plfVerdictAt(labels: PseudoLabels, i: number): PlfVerdict {
  const plf = labels.plf
  if ('reason' in plf) return { decision: 'not-applicable', reason: plf.reason }
  return plfVerdict({ selected: labels.selected![i]!, ceText: plf.ceText[i]!, ceImage: plf.ceImage[i]!, threshold: plf.threshold })
}

/** Row i as an object. */
export function pseudoLabelAt(labels: PseudoLabels, i: number): PseudoLabel {
  const guess = (c: Confidence | null): HeadGuess | null => (c ? { label: c.label[i]!, confidence: c.score[i]! } : null)
  return {
    postId: labels.ids[i]!,
    label: labels.label[i]!,
    confidence: labels.confidence[i]!,
    text: guess(labels.text),
    image: guess(labels.image),
    selected: labels.selected ? TOKENS[labels.selected[i]!]! : null,
    plf: plfVerdictAt(labels, i),
    loss: labels.loss ? labels.loss[i]! : null,
  }
}

/** Every row as an object (tests and benches; the store's writer reads the columns). */
export const pseudoLabelList = (labels: PseudoLabels): PseudoLabel[] => labels.ids.map((_, i) => pseudoLabelAt(labels, i))

/** Rows `rows` of `labels`, in that order. */
export function pickPseudoLabels(labels: PseudoLabels, rows: Int32Array): PseudoLabels {
  const pick = <T extends Int32Array | Float32Array>(column: T): T => {
    const out = new (column.constructor as new (n: number) => T)(rows.length)
    for (let i = 0; i < rows.length; i++) out[i] = column[rows[i]!]!
    return out
  }
  const plf = labels.plf
  return {
    ids: Array.from(rows, (row) => labels.ids[row]!),
    label: pick(labels.label),
    confidence: pick(labels.confidence),
    text: labels.text && { label: pick(labels.text.label), score: pick(labels.text.score) },
    image: labels.image && { label: pick(labels.image.label), score: pick(labels.image.score) },
    selected: labels.selected && pick(labels.selected),
    plf: 'reason' in plf ? plf : { ceText: pick(plf.ceText), ceImage: pick(plf.ceImage), threshold: plf.threshold },
    loss: labels.loss && pick(labels.loss),
  }
}
