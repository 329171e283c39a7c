// Messages between the back end and the feature worker process. The worker runs one task and
// ends; the protocol is the same whether the parent forked it (Node: CLI, browser mode) or
// started it as an Electron utilityProcess, so neither side knows which.
import type { FromChild, ToChild } from '#main/workers/child-task'
import type { EncoderPairInfo, ExtractionPhase, ExtractionSummary, OnnxFolderCheck, ProbeReport } from '#shared/features'

/** Which encoder pair, and where to load it from. */
export interface PairSource {
  /** 'default' or 'onnx:<folder>'. */
  encoder: string
  /**
   * A module exporting `loadEncoderPair(id)` in place of the registry: how tests inject fake
   * encoders into the worker. Set by code only, never from a request.
   */
  pairModule?: string
}

interface StoreConfig {
  /** The store; the worker opens its own connection (WAL lets both write). */
  dbPath: string
  /** better-sqlite3 binding for the worker's runtime (Electron's ABI differs from Node's). */
  nativeBinding?: string
  projectId: number
}

export interface ExtractionConfig extends PairSource, StoreConfig {
  /** Weak and strong views per post (K). */
  views: number
  /** Seeds every augmentation; fixed per store, since view names do not carry it. */
  seed: number
  /** Posts per batch: one encoder call per modality and one transaction each. */
  batchSize: number
  /** Also the image region rows on this grid side (features/regions), after the pair's vectors. */
  regions?: number
}

export interface ProbeConfig extends StoreConfig {
  /** Whose clean vectors to read (the parent has described the pair). */
  pair: EncoderPairInfo
}

/** What each task is given, and what it answers with. */
export interface Tasks {
  /** Whether a folder holds usable ONNX encoders: the registry loads them to tell, so not in the UI's process. */
  check: { config: { folder: string }; result: OnnxFolderCheck }
  /** Loads the pair to read its encoders' ids and dimensions (the registry lists no more than names). */
  describe: { config: PairSource; result: EncoderPairInfo }
  extract: { config: ExtractionConfig; result: ExtractionSummary }
  probe: { config: ProbeConfig; result: ProbeReport }
}
export type TaskName = keyof Tasks

export type StartMessage = { [T in TaskName]: { type: 'start'; task: T; config: Tasks[T]['config'] } }[TaskName]

/** Start a task; cancel = stop after the batch in flight (the parent kills the process if it has not ended in time). */
export type ToWorker = ToChild<StartMessage>

export interface WorkerProgress {
  phase: ExtractionPhase
  done: number
  total: number
  postsPerSecond: number | null
  etaMs: number | null
}

export type FromWorker<R = unknown> = FromChild<WorkerProgress, R>
