// What train() takes and gives, shared by the tfjs trainer and self-training's linear head.
import type * as tf from '@tensorflow/tfjs'
import type { RunCalibration } from '#shared/calibration'
import type { CurvePoint, RunPrior, TeacherUsed } from '#shared/runs'
import type { BackendChoice } from '#main/ml/tfjs-backend'
import type { Evaluation, TrainerCheckpoint } from './checkpoint'
import type { TrainingConfig } from './config'
import type { TrainingData } from './data'
import type { PseudoLabels } from './evaluate'
import type { RunTeacherLogits, TeacherLabel } from './teacher/teacher'

export interface Progress {
  step: number
  steps: number
  epoch: number
  elapsedMs: number
  etaMs: number
  /** The step's curve points: its statistics, the learning rate, and accuracy when it evaluated. */
  points: CurvePoint[]
}

export interface CheckpointStore {
  /** Save every this many steps; defaults to config.checkpointEvery. */
  every?: number
  save(state: TrainerCheckpoint): void | Promise<void>
  /** The last saved state, or null to start afresh. */
  load(): TrainerCheckpoint | null | Promise<TrainerCheckpoint | null>
}

export interface TrainOptions {
  config: TrainingConfig
  data: TrainingData
  onProgress?: (progress: Progress) => void
  signal?: AbortSignal
  checkpoint?: CheckpointStore
  /** A finished run's predictions when config.teacher.source is 'run' (the caller reads them from the store). */
  teacherRun?: RunTeacherLogits
}

export interface TrainResult {
  backend: BackendChoice
  config: TrainingConfig
  /** The evaluation model selection kept (its step, val and test reports) and the last one. */
  metrics: { selection: TrainingConfig['modelSelection']; selected: Evaluation; last: Evaluation }
  /** Every step's points, in step order. */
  curves: CurvePoint[]
  /** The 0-based epoch of the last step. */
  epoch: number
  pseudoLabels: PseudoLabels
  /** The selected weights in tfjs' format: hand them to any tf.io save handler (`handler.save(artifacts)`). */
  artifacts: tf.io.ModelArtifacts
  elapsedMs: number
  /** The class prior the run used (the prior's mode 'off' included). */
  prior: RunPrior
  /**
   * Logits of the selected model with the prior applied, rows × 3 in CONFUSION_ORDER: val (for
   * calibration, same row order as data.val) and the unlabeled pool (same order as pseudoLabels).
   */
  logits: { val: Float32Array | null; unlabeled: Float32Array }
  /** Temperature and risk model fitted on the validation posts from `logits.val` (calibration.ts). */
  calibration: RunCalibration
  /** What the run's distillation teacher labeled and how well (null without one). */
  teacher?: TeacherUsed | null
  /** The teacher's label per unlabeled post it read (empty without a teacher). */
  teacherLabels?: TeacherLabel[]
}

export class InvalidTrainingInput extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('; '))
  }
}

/** Thrown when the signal aborts; a checkpoint of the step reached was saved first (when a store is given). */
export class TrainingStopped extends Error {
  constructor(readonly step: number) {
    super(`training stopped at step ${step}`)
  }
}

