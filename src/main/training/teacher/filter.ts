// ALGORITHMS §3.3: the teacher's probabilities → hard labels, kept only above a confidence. The
// per-class rule of the T4SA notebook (negative 0.70, neutral and positive 0.90, strict >), its flat
// variant (one threshold) and the unfiltered argmax. Ties of the argmax go to the lower class
// (negative, then neutral, then positive), as the notebook's column order does.
import type { TeacherFilter } from '#shared/run-teacher'

export interface FilterSettings {
  filter: TeacherFilter
  /** Per-class thresholds in class order (negative, neutral, positive). */
  perClass: readonly number[]
  flat: number
}

export interface FilteredLabels {
  /** Argmax class per row. */
  label: Int32Array
  /** Its probability. */
  score: Float64Array
  /** 1 where the label is kept. */
  keep: Float32Array
}

/** Argmax and max of each row of `probs` (rows × classes), then the filter: keep iff p > threshold(c). */
export function filterTeacherLabels(probs: ArrayLike<number>, classes: number, settings: FilterSettings): FilteredLabels {
  const rows = probs.length / classes
  const label = new Int32Array(rows)
  const score = new Float64Array(rows)
  const keep = new Float32Array(rows)
  for (let i = 0; i < rows; i++) {
    let best = 0
    for (let c = 1; c < classes; c++) if (probs[i * classes + c]! > probs[i * classes + best]!) best = c
    const p = probs[i * classes + best]!
    label[i] = best
    score[i] = p
    const threshold = settings.filter === 'per-class' ? settings.perClass[best]! : settings.filter === 'flat' ? settings.flat : -Infinity
    keep[i] = p > threshold ? 1 : 0
  }
  return { label, score, keep }
}

/** Row-wise softmax(logits / T), in float64. */
export function softmaxRows(logits: ArrayLike<number>, classes: number, temperature = 1): Float64Array {
  const out = new Float64Array(logits.length)
  for (let i = 0; i < logits.length / classes; i++) {
    let max = -Infinity
    for (let c = 0; c < classes; c++) max = Math.max(max, logits[i * classes + c]! / temperature)
    let sum = 0
    for (let c = 0; c < classes; c++) sum += out[i * classes + c] = Math.exp(logits[i * classes + c]! / temperature - max)
    for (let c = 0; c < classes; c++) out[i * classes + c]! /= sum
  }
  return out
}
