// The calibration a run's predictions go through: p = softmax((logits + logit adjustment) / T).
// The temperature is the one fitted on val at the run's end (runs.calibration); the class prior's
// logit adjustment is already folded into the saved model's class biases (trainer.ts), so the graph
// adds none. A run finished before calibration existed keeps T = 1.
import type { Store } from '#main/db/store'
import { NO_CALIBRATION, type Calibration } from '#main/training/onnx/head-graph'

export function runCalibration(store: Store, runId: number): Calibration {
  const fitted = store.runs.calibration(runId)
  return fitted ? { temperature: fitted.temperature, logitAdjustment: null } : NO_CALIBRATION
}
