// A run's calibration, fitted at its end on the validation posts (issue 11): the temperature that
// makes its confidence honest, then the risk model of "this pseudo-label is wrong" on the
// calibrated confidences. Without enough validation posts, right and wrong (enoughToCalibrate): T = 1
// and the fallback risk weights, the run not calibrated.
import { enoughToCalibrate, FALLBACK_RISK, type RunCalibration } from '#shared/calibration'
import { CONFUSION_ORDER } from '#shared/vocabulary'
import { fitRiskModel } from '#main/ml/risk-model'
import { fitTemperature, meanNll } from '#main/ml/temperature'
import { confidence } from './pseudo-label-rules'

export const NO_CALIBRATION: RunCalibration = { temperature: 1, posts: 0, nllBefore: 0, nllAfter: 0, risk: FALLBACK_RISK }

/** Logits divided by the temperature (a new array); the argmax is unchanged. */
export function temper(logits: Float32Array, temperature: number): Float32Array {
  return temperature === 1 ? logits : Float32Array.from(logits, (z) => z / temperature)
}

/** `logits` rows × classes (classes in CONFUSION_ORDER) of the validation posts, whose labels are `labels`. */
export function calibrate(logits: Float32Array | null, labels: ArrayLike<number> | null, classes: number): RunCalibration {
  if (!logits || !labels || labels.length === 0) return NO_CALIBRATION
  const own = confidence(logits, classes).label
  const wrong = own.reduce((n, label, i) => n + (label !== labels[i] ? 1 : 0), 0)
  if (!enoughToCalibrate(labels.length, wrong)) {
    const nll = meanNll(logits, labels, classes, 1)
    return { temperature: 1, posts: labels.length, nllBefore: nll, nllAfter: nll, risk: FALLBACK_RISK }
  }
  const fit = fitTemperature(logits, labels, classes)
  const calibrated = confidence(temper(logits, fit.temperature), classes)
  const examples = Array.from(calibrated.label, (label, i) => ({
    confidence: calibrated.score[i]!,
    label: CONFUSION_ORDER[label]!,
    wrong: label !== labels[i],
  }))
  return { temperature: fit.temperature, posts: fit.posts, nllBefore: fit.nllBefore, nllAfter: fit.nllAfter, risk: fitRiskModel(examples) }
}
