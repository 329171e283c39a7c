// Messages between the back end and the trainer process. The trainer runs one task and ends; the
// protocol is the same whether the parent forked it (Node: CLI, browser mode) or started it as an
// Electron utilityProcess: start → progress … → done | cancelled | failed.
import type { EncoderPairInfo } from '#shared/features'
import type { RunProgressEvent } from '#shared/runs'
import type { FromChild, ToChild } from '#main/workers/child-task'

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

export interface TrainerTasks {
  train: { config: TrainTask; result: TrainSummary }
}
export type TrainerTaskName = keyof TrainerTasks

export type TrainerStart = { [T in TrainerTaskName]: { type: 'start'; task: T; config: TrainerTasks[T]['config'] } }[TrainerTaskName]

/** A run's `runs.progress` event without the ids the parent adds: where it is, and its curve points since the last message. */
export type TrainerProgress = Omit<RunProgressEvent, 'runId' | 'projectId'>

export type ToTrainer = ToChild<TrainerStart>
export type FromTrainer = FromChild<TrainerProgress, TrainerTasks[TrainerTaskName]['result']>
