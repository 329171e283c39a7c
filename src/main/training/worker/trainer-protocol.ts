// Messages between the back end and the trainer process. The trainer runs one task — a training run,
// or `predict` (reading every post's vectors, the ONNX pass and the set's rows: seconds at 100,000
// posts, which must not hold the shell's event loop) — and ends; the protocol is the same whether the
// parent forked it (Node: CLI, browser mode) or started it as an Electron utilityProcess:
// start → progress … → done | cancelled | failed (each task its own progress).
import type { EncoderPairInfo } from '#shared/features'
import type { RunProgressEvent } from '#shared/runs'
import type { FromChild, ToChild } from '#main/workers/child-task'
import type { Calibration } from '../onnx/head-graph'
import type { ModelMetadata } from '../onnx/model-metadata'
import type { PredictWork } from '../onnx/predict-posts'
import type { PredictionSetSummary } from '#shared/predictions'

interface StoreRef {
  /** The store; the trainer opens its own connection (WAL lets both write). */
  dbPath: string
  /** better-sqlite3 binding for the trainer's runtime (Electron's ABI differs from Node's). */
  nativeBinding?: string
}

/** Which pair's features to read: a built-in pair id resolves by itself; any other pair comes described. */
export type PairRef = string | EncoderPairInfo

export interface TrainTask extends StoreRef {
  /** A queued run: the trainer reads its request and config from the row, and resumes from its checkpoint if one exists. */
  runId: number
  pair: PairRef
}

export interface TrainSummary {
  step: number
  elapsedMs: number
}

/** Where `predict` finds its model: a finished run's folder (with what the shell read of the run), or an exported folder. */
export type PredictModelRef =
  | { kind: 'run'; folder: string; run: NonNullable<ModelMetadata['run']>; appVersion: string; calibration: Calibration }
  | { kind: 'folder'; folder: string }

/** A model applied to a project's posts (predict-task.ts); the set records the run or the folder it came from. */
export interface PredictTask extends StoreRef {
  projectId: number
  model: PredictModelRef
}

export interface TrainerTasks {
  train: { config: TrainTask; progress: TrainerProgress; result: TrainSummary }
  predict: { config: PredictTask; progress: PredictWork; result: PredictionSetSummary }
}
export type TrainerTaskName = keyof TrainerTasks

export type TrainerStart = { [T in TrainerTaskName]: { type: 'start'; task: T; config: TrainerTasks[T]['config'] } }[TrainerTaskName]

/** A run's `runs.progress` event without the ids the parent adds: where it is, and its curve points since the last message. */
export type TrainerProgress = Omit<RunProgressEvent, 'runId' | 'projectId'>

export type ToTrainer = ToChild<TrainerStart>
/** Any task's progress message (the parent relays it to the task's own callback). */
export type AnyTrainerProgress = TrainerTasks[TrainerTaskName]['progress']
export type FromTrainer = FromChild<AnyTrainerProgress, TrainerTasks[TrainerTaskName]['result']>
