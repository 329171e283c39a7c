// Classification metrics as the MVSA literature reports them (ALGORITHMS §6): accuracy, per-class
// precision / recall / F1, their support-weighted and unweighted means, and the confusion matrix.
// Shared by the linear probe and training; classes are indices 0..n-1 into the class names given
// (training: CONFUSION_ORDER, the probe: SENTIMENTS). The report is the one type runs store and the UI shows.
// weightedF1 is Σ_c (n_c / N) · F1_c (sklearn `average='weighted'`); macroF1 is (1 / C) Σ_c F1_c over
// every class, present or not (sklearn `average='macro'`); `confusion[truth][prediction]` counts.
import type { ClassificationReport, ClassScores } from '#shared/runs'
import type { Sentiment } from '#shared/vocabulary'

/** A ratio whose denominator is zero counts as 0, as sklearn's `zero_division=0` does. */
const ratio = (num: number, den: number): number => (den === 0 ? 0 : num / den)

export function confusionMatrix(truth: ArrayLike<number>, predicted: ArrayLike<number>, classes: number): number[][] {
  if (truth.length !== predicted.length) throw new Error(`truth has ${truth.length} items, predictions ${predicted.length}`)
  const m = Array.from({ length: classes }, () => new Array<number>(classes).fill(0))
  for (let i = 0; i < truth.length; i++) {
    const t = truth[i]!
    const p = predicted[i]!
    if (!(t >= 0 && t < classes && p >= 0 && p < classes)) throw new Error(`class index out of range at item ${i}`)
    m[t]![p]!++
  }
  return m
}

/** `names[i]` is class i's name. */
export function classificationReport(truth: ArrayLike<number>, predicted: ArrayLike<number>, names: readonly Sentiment[]): ClassificationReport {
  const classes = names.length
  const confusion = confusionMatrix(truth, predicted, classes)
  const n = truth.length
  let correct = 0
  const perClass: ClassScores[] = []
  for (let c = 0; c < classes; c++) {
    const tp = confusion[c]![c]!
    correct += tp
    const support = confusion[c]!.reduce((a, b) => a + b, 0)
    const predictedAs = confusion.reduce((a, row) => a + row[c]!, 0)
    const precision = ratio(tp, predictedAs)
    const recall = ratio(tp, support)
    perClass.push({ label: names[c]!, precision, recall, f1: ratio(2 * precision * recall, precision + recall), support })
  }
  return {
    accuracy: ratio(correct, n),
    weightedF1: ratio(
      perClass.reduce((a, s) => a + s.f1 * s.support, 0),
      n,
    ),
    macroF1: ratio(
      perClass.reduce((a, s) => a + s.f1, 0),
      classes,
    ),
    perClass,
    confusion,
    n,
  }
}
