// Training runs: requests, plans, presets, progress, results. Pure types and constants: no Node, no DOM.
import type { CountBySentiment, Sentiment } from './vocabulary'

export const RUN_METHODS = ['supervised', 'fixmatch', 'flexmatch', 'scdr'] as const
export type RunMethod = (typeof RUN_METHODS)[number]

export const RUN_STATUSES = ['queued', 'running', 'done', 'failed', 'cancelled'] as const
export type RunStatus = (typeof RUN_STATUSES)[number]

/** 'per-class': n/3 of each class (the paper's protocol); 'proportional': the labels' own class mix. */
export const LABEL_DRAWS = ['per-class', 'proportional'] as const
export type LabelDraw = (typeof LABEL_DRAWS)[number]

/** Which labels a run learns from: a seeded draw of n from the posts' labels, or the project's own labels as they are. */
export type RunLabels = { mode: 'draw'; n: number; draw: LabelDraw } | { mode: 'current' }

/** Labeled posts a run used, by where the label came from, and by class. */
export interface LabelsUsed {
  total: number
  human: number
  imported: number
  pseudoAccepted: number
  correction: number
  perClass: CountBySentiment
}

export interface RunRequest {
  projectId: number
  method: RunMethod
  /** A preset id from `runs.presets`. */
  preset: string
  labels: RunLabels
  /** Seeds the labeled draw, the weights and the batches; the preset's seed when absent. */
  seed?: number
  /** Encoder pair id ('default' or 'onnx:<folder>'); 'default' when absent. */
  encoder?: string
  /** Config fields by dotted name ('lr', 'scdr.selector'), over the preset. */
  overrides?: Record<string, number | string | boolean>
}

export interface ConfigFieldProblem {
  field: string
  message: string
}

export interface RunPlan {
  ok: boolean
  problems: ConfigFieldProblem[]
  labels: LabelsUsed
  featuresReady: boolean
  /** Posts without every vector the run reads. */
  featuresMissing: number
}

/** Every config field by dotted name, with its value. */
export type TrainingConfigView = Record<string, number | string | boolean>

export interface RunChoice {
  id: string
  label: string
  description: string
}

export interface RunPresets {
  methods: RunChoice[]
  presets: RunChoice[]
  /** The paper's value of every field, per method. */
  defaults: Record<RunMethod, TrainingConfigView>
  /** Every preset's values, per preset id (the launch dialog shows the chosen one). */
  presetValues: Record<string, TrainingConfigView>
}

export interface RunScores {
  accuracy: number
  weightedF1: number
  macroF1: number
}

export interface RunSummary {
  id: number
  projectId: number
  method: RunMethod
  preset: string
  status: RunStatus
  createdAt: string
  startedAt: string | null
  finishedAt: string | null
  /** The TensorFlow.js backend it computed on, and why that one. */
  backend: string | null
  backendReason: string | null
  error: string | null
  seed: number
  encoder: string
  steps: number
  /** Steps done (at the last checkpoint while running). */
  step: number
  labels: LabelsUsed
  elapsedMs: number | null
  test?: RunScores
  val?: RunScores
  /** The latest progress while this back end runs it: a reloaded window picks the run up again. */
  progress?: RunProgress
}

export interface ClassScoresView {
  label: Sentiment
  precision: number
  recall: number
  f1: number
  support: number
}

/** Metrics on one split. Confusion rows are the truth, columns the prediction, both in `CONFUSION_ORDER`. */
export interface ClassificationReport extends RunScores {
  perClass: ClassScoresView[]
  confusion: number[][]
}

export interface RunCurvePoint {
  step: number
  /** 'val.accuracy', 'test.accuracy', 'lr', or a loss / mask rate of the method ('lsup', 'mask', …). */
  name: string
  value: number
}

/**
 * The curve points a progress event adds: every statistic of the step, and validation accuracy
 * when it was measured. The back end keeps them for a running run, the UI draws them live.
 */
export function progressPoints(progress: Pick<RunProgress, 'step' | 'stats' | 'valAccuracy'>): RunCurvePoint[] {
  const points = Object.entries(progress.stats).map(([name, value]) => ({ step: progress.step, name, value }))
  if (progress.valAccuracy !== undefined) points.push({ step: progress.step, name: 'val.accuracy', value: progress.valAccuracy })
  return points
}

export interface RunDetail extends RunSummary {
  /** The full training config, the labeled subset (post ids, per class) and the request. */
  config: Record<string, unknown>
  /** At the step model selection kept. */
  metrics: { val?: ClassificationReport; test?: ClassificationReport; step?: number }
  curves: RunCurvePoint[]
}

export interface RunProgress {
  runId: number
  projectId: number
  step: number
  steps: number
  epoch: number
  /** Losses and pseudo-label mask rates per head of the last step. */
  stats: Record<string, number>
  valAccuracy?: number
  elapsedMs: number
  etaMs: number
  /** 'loading' while features are read, 'training', 'saving' while results are written. */
  phase: 'loading' | 'training' | 'saving'
}

export interface RunFinished {
  runId: number
  projectId: number
  status: RunStatus
  error?: string
}
