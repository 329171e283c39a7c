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
import { confidence, crossEntropyRows, plfVerdict, TOKENS, type PlfVerdict, type Token } from './pseudo-label-rules'

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
export function pseudoLabels(posts: PseudoLabelInputs, classes: number, plfThreshold: number | null, noFilter = 'this method has no pseudo-label filter'): PseudoLabel[] {
  const p = posts.clean
  const fused = p.probabilities ? topOf(p.probabilities, classes) : confidence(p.logits, classes)
  const strong = posts.strongLogits ? crossEntropyRows(posts.strongLogits, classes, fused.label) : null
  const text = p.text ? confidence(p.text, classes) : null
  const image = p.image ? confidence(p.image, classes) : null
  const textOnCommon = p.textOnCommon && text ? crossEntropyRows(p.textOnCommon, classes, text.label) : null
  const imageOnCommon = p.imageOnCommon && image ? crossEntropyRows(p.imageOnCommon, classes, image.label) : null
  const guess = (c: typeof text, i: number): HeadGuess | null => (c ? { label: c.label[i]!, confidence: c.score[i]! } : null)
  return posts.ids.map((postId, i) => {
    const selected = p.selected ? p.selected[i]! : null
    const plf: PlfVerdict =
      selected !== null && textOnCommon && imageOnCommon && plfThreshold !== null
        ? plfVerdict({ selected, ceText: textOnCommon[i]!, ceImage: imageOnCommon[i]!, threshold: plfThreshold })
        : { decision: 'not-applicable', reason: noFilter }
    return {
      postId,
      label: fused.label[i]!,
      confidence: fused.score[i]!,
      text: guess(text, i),
      image: guess(image, i),
      selected: selected === null ? null : TOKENS[selected]!,
      plf,
      loss: strong ? strong[i]! : null,
    }
  })
}
