// The linear probe of one feature set (MEASUREMENTS.md protocol): standardise with the training
// rows, fit multinomial logistic regression on train for each C of a small grid, keep the C with
// the best weighted F1 on val, and score that model on test.
import type { ClassificationReport } from '#shared/runs'
import type { Sentiment } from '#shared/vocabulary'
import { classificationReport } from '#main/ml/metrics'
import { fitLogReg, predict, type LogRegModel } from './logistic-regression'
import { applyScaler, fitScaler } from './standardize'

/** Ascending, so each fit starts from the previous (more regularised) solution. */
export const PROBE_C_GRID = [0.001, 0.01, 0.1, 1] as const
/** C where there is no val split to choose on (sklearn's default). */
export const FALLBACK_C = 1
export const PROBE_MAX_ITERATIONS = 100

export interface Rows {
  /** Row-major, `rows × dim`; standardised in place by `fitProbe`. */
  x: Float32Array
  rows: number
  y: Uint8Array
}

export interface ProbeData {
  dim: number
  /** Class names, by the index `y` holds. */
  classes: readonly Sentiment[]
  train: Rows
  val: Rows
  test: Rows
}

export interface ProbeFit {
  c: number
  val: ClassificationReport | null
  test: ClassificationReport
}

const score = (model: LogRegModel, rows: Rows, classes: readonly Sentiment[]): ClassificationReport =>
  classificationReport(rows.y, predict(model, rows.x, rows.rows), classes)

export function fitProbe(data: ProbeData, grid: readonly number[] = PROBE_C_GRID): ProbeFit {
  const { dim, classes, train, val, test } = data
  const scaler = fitScaler(train.x, train.rows, dim)
  for (const rows of [train, val, test]) applyScaler(scaler, rows.x, rows.rows, dim)
  const fit = (c: number, init?: LogRegModel): LogRegModel =>
    fitLogReg({ x: train.x, rows: train.rows, dim, y: train.y }, { classes: classes.length, c, maxIterations: PROBE_MAX_ITERATIONS, init })

  if (val.rows === 0) {
    const model = fit(FALLBACK_C)
    return { c: FALLBACK_C, val: null, test: score(model, test, classes) }
  }
  let best: { c: number; model: LogRegModel; val: ClassificationReport } | null = null
  let previous: LogRegModel | undefined
  for (const c of grid) {
    const model = fit(c, previous)
    previous = model
    const onVal = score(model, val, classes)
    // Strictly better only: ties keep the more regularised model.
    if (!best || onVal.weightedF1 > best.val.weightedF1) best = { c, model, val: onVal }
  }
  return { c: best!.c, val: best!.val, test: score(best!.model, test, classes) }
}
