// Training runs: requests, plans, presets, the training config, curves, progress, results.
// Pure types, constants and schemas: no Node, no DOM.
import * as v from 'valibot'
import type { RunConfidence } from './calibration'
import { encoderId } from './features'
import { fields, id, int, oneOf, opt } from './fields'
import type { PriorSettings, RunPrior, SelfTrainingSettings } from './run-prior'
import type { TeacherSettings, TeacherUsed } from './run-teacher'
import type { ScdrSettings, SppSclSettings, TgfSettings, UlgmSettings } from './run-method-settings'
import { CurvePoint } from './run-curves'
export { PRIOR_SOURCES, RunPrior, type PriorSettings, type PriorSource, type SelfTrainingSettings } from './run-prior'
export type { ScdrSettings, SppSclSettings, TgfSettings, UlgmSettings } from './run-method-settings'
export { TEACHER_FILTERS, TEACHER_SOURCES, TEACHER_TARGETS, TeacherUsed, type TeacherFilter, type TeacherSettings, type TeacherSource, type TeacherTargets } from './run-teacher'
import type { CountBySentiment, Sentiment } from './vocabulary'

export const RUN_METHODS = ['self-training', 'supervised', 'fixmatch', 'flexmatch', 'scdr', 'spp-scl'] as const
export type RunMethod = (typeof RUN_METHODS)[number]
/** The semi-supervised method a new run gets without touching a setting (docs/RESULTS.md). */
export const DEFAULT_RUN_METHOD: RunMethod = 'self-training'

/** The presets' names; their values live with the trainer (training/config.ts). */
export const PRESET_NAMES = ['paper', 'default', 'quick'] as const
export type PresetName = (typeof PRESET_NAMES)[number]

export const RUN_STATUSES = ['queued', 'running', 'done', 'failed', 'cancelled'] as const
export type RunStatus = (typeof RUN_STATUSES)[number]

/** 'per-class': n/3 of each class (the paper's protocol); 'proportional': the labels' own class mix. */
export const LABEL_DRAWS = ['per-class', 'proportional'] as const
export type LabelDraw = (typeof LABEL_DRAWS)[number]

/** Most labels a draw may ask for; far above any project, it only bounds nonsense. */
export const RUN_LABELS_MAX = 10_000_000

const LABEL_MODES = 'one of draw, current'
/** Which labels a run learns from: a seeded draw of n from the posts' labels, or the project's own labels as they are. */
export const RunLabels = v.variant(
  'mode',
  [
    fields({ mode: v.literal('draw'), n: int(1, RUN_LABELS_MAX), draw: v.nullish(oneOf(LABEL_DRAWS), 'per-class') }),
    fields({ mode: v.literal('current') }),
  ],
  (issue) => {
    const absent = issue.input === undefined || issue.input === null
    // With a path, the issue is about `mode` itself; without, about the whole field.
    if (issue.path?.length) return absent ? `required (${LABEL_MODES})` : `expected ${LABEL_MODES}`
    return absent ? 'required ({ mode: "draw", n, draw } or { mode: "current" })' : 'expected an object'
  },
)
export type RunLabels = v.InferOutput<typeof RunLabels>

export const RunRequest = fields({
  projectId: id(),
  method: oneOf(RUN_METHODS),
  preset: v.nullish(oneOf(PRESET_NAMES), 'default'),
  labels: RunLabels,
  /** Seeds the labeled draw, the weights and the batches; the preset's seed when absent. */
  seed: opt(int(0, 2 ** 32 - 1)),
  /** Encoder pair id ('default-v2', 'default-v1', 'default' for the current default, or 'onnx:<folder>'); the current default when absent. */
  encoder: encoderId(),
  /** Config fields by dotted name ('lr', 'scdr.selector'), over the preset; the plan checks names and values. */
  overrides: opt(v.record(v.string(), v.union([v.number(), v.string(), v.boolean()], 'expected a number, text or true/false'), 'expected an object')),
})
export type RunRequest = v.InferOutput<typeof RunRequest>

/** A request about one run (its existence is the handler's to check). */
export const RunRef = fields({ runId: id() })

export const FUSIONS = ['concat', 'text-guided'] as const
export type FusionChoice = (typeof FUSIONS)[number]

export const OPTIMIZERS = ['sgd', 'adam', 'adamw'] as const
export type OptimizerName = (typeof OPTIMIZERS)[number]

/** Every hyper-parameter of a run; presets, defaults and the rules live in training/config.ts. */
export interface TrainingConfig {
  method: RunMethod
  seed: number
  /** Optimiser steps of the whole run; the cosine schedule spans them. */
  steps: number
  /** Steps per epoch; 0 = one pass over the unlabeled set (the labeled set for `supervised`). */
  stepsPerEpoch: number
  batchLabeled: number
  /** Unlabeled posts per view per step (SCRD: uratio·batch = 4·2). */
  batchUnlabeled: number
  optimizer: OptimizerName
  lr: number
  momentum: number
  nesterov: boolean
  /** Not applied to biases. */
  weightDecay: number
  adamBeta1: number
  adamBeta2: number
  adamEpsilon: number
  /** Clip the gradients' global L2 norm to this (0 = never, as SCRD's `clip`). */
  clipNorm: number
  /** 'cosine': max(0, cos(π·7/16·step/steps)); 'constant'. */
  schedule: 'cosine' | 'constant'
  /** τ: the confidence a pseudo-label needs (FixMatch, SCDR; FlexMatch's upper threshold). */
  threshold: number
  /** λ_u, the weight of the unlabeled loss. */
  lambdaU: number
  emaDecay: number
  /** 'epoch': the shadow restarts from the current weights at every epoch (QUIRK); 'never'. */
  emaReset: 'epoch' | 'never'
  /** Which evaluation picks the final weights: best val accuracy, best test accuracy (QUIRK), or the last. */
  modelSelection: 'val' | 'test' | 'last'
  /** Evaluate every this many steps; 0 = at every epoch end. */
  evalEvery: number
  /** Checkpoint every this many steps (0 = never). */
  checkpointEvery: number
  /** Dropout rate on the weak features that stands in for a strong view no cache holds. */
  strongFallbackDropout: number
  /** Feature dropout on every strong view, cached or not, sampled per step (0 = none). */
  strongDropout: number
  /** d, the width of every SCDR feature (512). */
  hidden: number
  /** Width of the classifier heads' hidden layer (SCDR 1024; also the fusion MLP's). */
  clsHidden: number
  scdr: ScdrSettings
  flexmatch: { warmup: boolean }
  prior: PriorSettings
  selfTraining: SelfTrainingSettings
  sppScl: SppSclSettings
  ulgm: UlgmSettings
  /**
   * How supervised, FixMatch, FlexMatch and SCDR runs fuse the modalities: 'concat' (the default:
   * the features side by side) or 'text-guided' (the text queries the image's regions, group `tgf`).
   * Absent on runs made before it existed: 'concat'.
   */
  fusion: FusionChoice
  tgf: TgfSettings
  /** A cross-modal distillation teacher (FixMatch, FlexMatch, SCDR): off in every preset. */
  teacher: TeacherSettings
}

/** The labeled subset as stored on a run: how it was asked for and which posts it holds. */
export interface RunSubset {
  mode: 'draw' | 'current'
  n?: number
  draw?: LabelDraw
  seed: number
  postIds: number[]
  /** Posts per class index (0 negative, 1 neutral, 2 positive). */
  perClass: number[]
}

/** Labeled posts a run used, by where the label came from, and by class. */
export interface LabelsUsed {
  total: number
  human: number
  imported: number
  pseudoAccepted: number
  correction: number
  perClass: CountBySentiment
}

export interface ConfigFieldProblem {
  field: string
  message: string
}

/** Labels a run leaves out, per reason (only reasons that apply). */
export type NotCounted = Array<{ reason: string; count: number }>

export interface RunPlan {
  ok: boolean
  problems: ConfigFieldProblem[]
  labels: LabelsUsed
  /** Labels of the project this run would not learn from, and why. */
  notCounted: NotCounted
  featuresReady: boolean
  /** Posts without every vector the run reads. */
  featuresMissing: number
  /** The class prior the run would use (an estimate's values are known only once it runs); null when the config cannot start. */
  prior: RunPrior | null
  /** Whether text-guided fusion can run on the pair's image regions of grid tgf.grid; `reason` says why not. */
  regions: { grid: number; missing: number; reason: string | null }
}

/** Every config field by dotted name, with its value. */
export type TrainingConfigView = Record<string, number | string | boolean>

export interface RunChoice<Id extends string = string> {
  id: Id
  label: string
  description: string
}

export interface RunPresets {
  methods: RunChoice<RunMethod>[]
  presets: RunChoice<PresetName>[]
  /** The paper's value of every field, per method. */
  defaults: Record<RunMethod, TrainingConfigView>
  /**
   * What a run of each method uses under each preset, every field (makeConfig: the preset with the
   * method's own base, e.g. SPP-SCL's AdamW): the launch dialog shows the chosen pair and sends only
   * what the user changed, so what it shows is what the run gets.
   */
  presetValues: Record<RunMethod, Record<PresetName, TrainingConfigView>>
}

export interface RunScores {
  accuracy: number
  weightedF1: number
  macroF1: number
}

export interface ClassScores {
  label: Sentiment
  precision: number
  recall: number
  f1: number
  /** True instances of the class. */
  support: number
}

/**
 * Metrics on one split (ml/metrics.ts computes them for training and the probe). Confusion rows are
 * the truth, columns the prediction, both in `CONFUSION_ORDER`.
 */
export interface ClassificationReport extends RunScores {
  perClass: ClassScores[]
  confusion: number[][]
  /** Posts scored. */
  n: number
}

/** What a model must beat on the test posts it was scored on. */
export interface RunBaselines {
  /** Always the most frequent class of the train pool by the run's class prior (π_pool), else of its training labels. */
  majority: { label: Sentiment; test: RunScores } | null
  /** The project's latest linear probe (text + image features), on the test posts it scored; null before any probe. */
  probe: { encoder: string; n: number; test: RunScores } | null
}

export interface RunSummary {
  id: number
  projectId: number
  method: RunMethod
  /** A preset name ('' for runs stored before presets were recorded). */
  preset: PresetName | ''
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
  /** Set once the run has test scores: the baselines they stand beside. */
  baselines?: RunBaselines
  /** The latest progress while this back end runs it: a reloaded window picks the run up again. */
  progress?: RunProgress
  /** The class prior it used (null until it is done, and for runs stored before priors). */
  prior: RunPrior | null
  /** What its distillation teacher labeled and how well (null without a teacher, or until it is done). */
  teacher?: TeacherUsed | null
  /** Whether its confidences are calibrated, on how many validation posts, at what temperature (once it is done; not for runs stored before v8). */
  confidence?: RunConfidence
}

export interface RunDetail extends RunSummary {
  /** The full training config the run trains with. */
  config: TrainingConfig
  /** The request it was started from. */
  request: RunRequest
  /** The labeled posts it drew (null until training starts). */
  subset: RunSubset | null
  /** At the step model selection kept. */
  metrics: { val?: ClassificationReport; test?: ClassificationReport; step?: number }
  /** Every point of its curves: stored once it is done, streamed so far while it runs. */
  curves: CurvePoint[]
}

export { CURVE_SERIES, CurvePoint, isCurveSeries, STEP_STATS, type CurveSeries, type StepStat, type StepStats } from './run-curves'

/** 'loading' while features are read, 'teacher' while an ONNX teacher labels the posts (step = posts done), 'training', 'saving' while results are written. */
export const RUN_PHASES = ['loading', 'teacher', 'training', 'saving'] as const
export type RunPhase = (typeof RUN_PHASES)[number]

/** Where a running run is. */
export const RunProgress = v.object({
  runId: v.number(),
  projectId: v.number(),
  step: v.number(),
  steps: v.number(),
  epoch: v.number(),
  elapsedMs: v.number(),
  etaMs: v.number(),
  phase: v.picklist(RUN_PHASES),
})
export type RunProgress = v.InferOutput<typeof RunProgress>

/** A `runs.progress` event: where the run is, and its curve points since the previous event (every step's). */
export const RunProgressEvent = v.object({ ...RunProgress.entries, points: v.array(CurvePoint) })
export type RunProgressEvent = v.InferOutput<typeof RunProgressEvent>

export const RunFinished = v.object({ runId: v.number(), projectId: v.number(), status: v.picklist(RUN_STATUSES), error: v.optional(v.string()) })
export type RunFinished = v.InferOutput<typeof RunFinished>

/** Points a running run's curves keep; past it, every other step is dropped (then every 4th, …). */
export const LIVE_CURVE_MAX = 100_000

/**
 * A running run's curves as its progress events bring them. The back end keeps one per running run
 * (what `runs.get` answers until the run stores its own) and the UI one per run it watches, so a
 * window that watched from the start and one opened midway draw the same points. Past `max` points,
 * only every 2nd step is kept (then every 4th, …); evaluations and round starts always.
 */
export class LiveCurve {
  private stride = 1
  private kept: CurvePoint[] = []

  constructor(private readonly max = LIVE_CURVE_MAX) {}

  get points(): readonly CurvePoint[] {
    return this.kept
  }

  add(points: readonly CurvePoint[]): void {
    for (const p of points) if (this.keeps(p)) this.kept.push(p)
    if (this.kept.length > this.max) {
      this.stride *= 2
      this.kept = this.kept.filter((p) => this.keeps(p))
    }
  }

  /** Forgets the points up to `step`: what the stored curves already hold. */
  dropThrough(step: number): void {
    this.kept = this.kept.filter((p) => p.step > step)
  }

  private keeps(p: CurvePoint): boolean {
    return p.step % this.stride === 0 || p.series === 'val.accuracy' || p.series === 'test.accuracy' || p.series === 'round'
  }
}
