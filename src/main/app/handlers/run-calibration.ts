// The calibration a run's predictions go through: p = softmax((logits + logit adjustment) / T).
// Runs store none yet, so it is the identity; a run's fitted temperature and its prior's logit
// adjustment are read here once runs record them, and the export and `predict` follow.
import type { Store } from '#main/db/store'
import { NO_CALIBRATION, type Calibration } from '#main/training/onnx/head-graph'

export function runCalibration(_store: Store, _runId: number): Calibration {
  return NO_CALIBRATION
}
