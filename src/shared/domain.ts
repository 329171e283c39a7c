// Domain vocabulary shared by the back end and the UI. Pure types and constants: no Node, no DOM.

export const SENTIMENTS = ['positive', 'neutral', 'negative'] as const
export type Sentiment = (typeof SENTIMENTS)[number]

/** What a label is about: the whole post, or one modality on its own. */
export const MODALITIES = ['overall', 'text', 'image'] as const
export type Modality = (typeof MODALITIES)[number]

/** `conflict` holds posts whose text and image disagree in polarity (kept, flagged, out of benchmarks). */
export const SPLITS = ['train', 'val', 'test', 'conflict', 'unassigned'] as const
export type Split = (typeof SPLITS)[number]

export const ANNOTATION_SOURCES = ['human', 'imported', 'pseudo-accepted', 'correction'] as const
export type AnnotationSource = (typeof ANNOTATION_SOURCES)[number]

export const IMPORT_FORMATS = ['mvsa', 'csv', 'jsonl', 'folder', 'label-studio'] as const
export type ImportFormat = (typeof IMPORT_FORMATS)[number]

export interface ProjectSummary {
  id: number
  name: string
  description: string
  createdAt: string
  postCount: number
}

/** Current label per modality; `null` where nobody (or no rule) labeled that modality. */
export type LabelSet = Record<Modality, Sentiment | null>

export interface PostRow {
  id: number
  externalId: string
  text: string
  split: Split
  /** Text and image labels disagree in polarity (positive vs negative). */
  conflict: boolean
  labels: LabelSet
  /** Media paths, turned into URLs by the renderer's API client (see `mediaPath` in contract.ts). */
  thumb: string
  image: string
  width: number
  height: number
}

export interface PostQuery {
  projectId: number
  offset: number
  limit: number
  split?: Split
  /** Only posts whose current overall label is this; `'unlabeled'` for posts without one. */
  overall?: Sentiment | 'unlabeled'
}

export interface PostPage {
  total: number
  offset: number
  rows: PostRow[]
}

export type CountBySentiment = Record<Sentiment, number>

export interface ProjectStats {
  projectId: number
  total: number
  splits: Record<Split, number>
  /** Current labels per modality and class, over all posts. */
  labels: Record<Modality, CountBySentiment>
  /** Current overall labels per split and class. */
  overallBySplit: Record<Split, CountBySentiment & { unlabeled: number }>
  conflicts: number
  /** Annotation counts per annotator and source (whole history). */
  annotators: Array<{ annotator: string; source: AnnotationSource; count: number }>
}

export type ProblemSeverity = 'error' | 'warning'

export const PROBLEM_CODES = [
  'missing-image',
  'unreadable-image',
  'missing-text',
  'empty-text',
  'duplicate-id',
  'already-imported',
  'unknown-label',
  'bad-row',
  'bad-file',
  'unknown-split',
  'path-outside-dataset',
  'not-utf8',
  'no-labels-file',
] as const
export type ProblemCode = (typeof PROBLEM_CODES)[number]

/** One thing wrong with the input, located precisely enough for a person to fix it. */
export interface ImportProblem {
  severity: ProblemSeverity
  code: ProblemCode
  /** Path of the offending file, relative to the imported folder when inside it. */
  file: string
  /** 1-based line number in `file`, where the problem sits on a line. */
  line?: number
  externalId?: string
  message: string
}

export interface ImportReport {
  format: ImportFormat
  path: string
  /** Posts found in the input (valid or not). */
  found: number
  imported: number
  /** Posts left out because of an error (see problems). */
  skipped: number
  /** Posts already in the project (same external id), left untouched. */
  alreadyPresent: number
  annotations: number
  conflicts: number
  problems: ImportProblem[]
  durationMs: number
}

export interface ImportRequest {
  projectId: number
  path: string
  /** Detected from the folder's content when omitted. */
  format?: ImportFormat
}

export type ImportPhase = 'scanning' | 'reading' | 'images' | 'writing'

export interface ImportProgress {
  jobId: string
  projectId: number
  phase: ImportPhase
  done: number
  total: number
  /** Estimated milliseconds left, once there is enough to estimate from. */
  etaMs: number | null
}

export type JobOutcome = 'done' | 'cancelled' | 'failed'

export interface ImportFinished {
  jobId: string
  projectId: number
  outcome: JobOutcome
  report?: ImportReport
  error?: string
}

export interface AppInfo {
  name: string
  version: string
  shell: 'electron' | 'browser'
  dbPath: string
  schemaVersion: number
  /** Whether the shell can show a native file dialog (`system.pickPath`). */
  nativeDialogs: boolean
  /** The OS user running the back end: the annotator name offered until someone sets theirs. */
  user: string
}

export interface DirectoryListing {
  path: string
  parent: string | null
  entries: Array<{ name: string; kind: 'dir' | 'file' }>
}

// ---- Labeling ---------------------------------------------------------------------------------

/** How a label reached the history: written, or an undo/redo restoring an earlier one. */
export const ANNOTATION_KINDS = ['label', 'undo', 'redo'] as const
export type AnnotationKind = (typeof ANNOTATION_KINDS)[number]

/** Longest annotator name the history keeps. */
export const ANNOTATOR_NAME_MAX = 64

/** Sources a person writes from the labeling view: a label, or the settling of a disagreement. */
export const LABELING_SOURCES = ['human', 'correction'] as const satisfies readonly AnnotationSource[]
export type LabelingSource = (typeof LABELING_SOURCES)[number]

/** One row of a post's append-only history. `label: null` records a cleared label. */
export interface AnnotationEntry {
  id: number
  modality: Modality
  label: Sentiment | null
  source: AnnotationSource
  kind: AnnotationKind
  annotator: string
  runId: number | null
  createdAt: string
}

/** A post's labels as they stand, who set each and when, and everything that came before. */
export interface PostLabels {
  postId: number
  labels: LabelSet
  /** The latest history row per modality (its label may be null: cleared). */
  current: Record<Modality, AnnotationEntry | null>
  /** Newest first. */
  history: AnnotationEntry[]
}

export interface PseudoLabelSummary {
  runId: number
  label: Sentiment
  confidence: number
}

/** What the labeling view shows of one post. */
export interface LabelingPost {
  post: PostRow
  labels: PostLabels
  /** The latest run's pseudo-label, where training has produced one. */
  pseudo: PseudoLabelSummary | null
}

export interface LabelRequest {
  projectId: number
  postId: number
  modality: Modality
  /** `null` clears the modality's label. */
  label: Sentiment | null
  annotator: string
  /** `correction` when settling a disagreement; `human` otherwise. */
  source?: LabelingSource
}

/** One step on an annotator's undo stack, as the buttons describe it. */
export interface LabelStep {
  postId: number
  externalId: string
  modality: Modality
  from: Sentiment | null
  to: Sentiment | null
}

/** What Ctrl+Z and Ctrl+Shift+Z would do next for this annotator in this project. */
export interface UndoState {
  undo: LabelStep | null
  redo: LabelStep | null
}

/** The back end's acknowledgement: when it arrives, the label is committed to SQLite. */
export interface LabelAck {
  annotationId: number
  step: LabelStep
  labels: PostLabels
  undo: UndoState
}

/** The answer to an undo or redo; `step` is null when there was nothing to undo or redo. */
export interface UndoAck {
  step: LabelStep | null
  labels: PostLabels | null
  undo: UndoState
}

/**
 * Orders a queue can follow: unlabeled posts first (then the rest), import order, or the latest
 * suggestion batch in the order its strategy ranked it.
 */
export const QUEUE_ORDERS = ['unlabeled-first', 'id', 'suggested'] as const
export type QueueOrder = (typeof QUEUE_ORDERS)[number]

export interface QueueFilter {
  order?: QueueOrder
  split?: Split
  /** One class of the current overall label, or `'unlabeled'`. */
  overall?: Sentiment | 'unlabeled'
  /** Posts whose current text and image labels differ. */
  disagree?: boolean
  /** Text containing this (case-insensitive for ASCII). */
  search?: string
  /** Posts a training run gave a pseudo-label. */
  pseudo?: boolean
}

/** A place in a queue; opaque to the UI, which hands back the one it was given. */
export interface QueueCursor {
  segment: number
  key: number
}

export interface QueueRequest extends QueueFilter {
  projectId: number
  /** Continue after (`next`) or before (`prev`) this place; from the start or the end when absent. */
  cursor?: QueueCursor
  /** Start at this post's place, inclusive (a jump from the grid). Ignored when `cursor` is given. */
  at?: number
  direction?: 'next' | 'prev'
  limit?: number
  /** Also count the posts matching the filter (costs a scan with a text search). */
  withTotal?: boolean
}

export const SUGGEST_STRATEGIES = ['stratified', 'diverse', 'uncertain'] as const
export type SuggestStrategy = (typeof SUGGEST_STRATEGIES)[number]

/** Which strategy picked a post for labeling, and why. */
export interface Suggestion {
  batchId: number
  rank: number
  strategy: SuggestStrategy
  reason: string
}

export interface QueueItem {
  post: PostRow
  cursor: QueueCursor
  /** Set in the `suggested` order. */
  suggestion: Suggestion | null
}

export interface QueuePage {
  items: QueueItem[]
  /** Posts matching the filter, when asked for. */
  total: number | null
}

/** Whether a strategy can run now; `reason` says why not, or what it will use. */
export interface StrategyStatus {
  strategy: SuggestStrategy
  available: boolean
  reason: string
}

export interface SuggestRequest {
  projectId: number
  /** `auto`: uncertain once a run exists, else diverse once features exist, else stratified. */
  strategy: SuggestStrategy | 'auto'
  count: number
  annotator?: string
  /** Seeds the random choices, for repeatable picks. */
  seed?: number
}

export interface SuggestResult {
  batchId: number
  /** Posts picked, by rank; a strategy that runs short is topped up by stratified random. */
  picked: Array<{ postId: number; externalId: string; strategy: SuggestStrategy; reason: string }>
  /** Unlabeled posts there were to pick from. */
  candidates: number
}

/** An annotator's current labels per modality and class: the latest of their rows per post. */
export interface AnnotatorLabelCounts {
  annotator: string
  labels: Record<Modality, CountBySentiment>
}

export interface LabelProgress {
  projectId: number
  total: number
  /** How many labeled posts the team aims for; null until someone sets it. */
  target: number | null
  labels: Record<Modality, CountBySentiment>
  /** People labeling here (human and correction rows). */
  annotators: AnnotatorLabelCounts[]
}

export interface PairAgreement {
  a: string
  b: string
  /** Posts both labeled. */
  posts: number
  agreed: number
  /** Cohen's κ; null with `reason` where it is undefined. */
  kappa: number | null
  reason?: string
}

export interface Disagreement {
  postId: number
  externalId: string
  text: string
  /** Each annotator's label, by annotator name. */
  labels: Array<{ annotator: string; label: Sentiment }>
  /** The label a correction settled it on, if any came after. */
  resolved: Sentiment | null
}

export interface AgreementReport {
  projectId: number
  modality: Modality
  annotators: Array<{ annotator: string; posts: number }>
  pairs: PairAgreement[]
  /** Krippendorff's α (nominal) over every annotator; null with `alphaReason` where undefined. */
  alpha: number | null
  alphaReason?: string
  /** Posts labeled by two or more annotators. */
  units: number
  disagreements: Disagreement[]
  /** All disagreements, of which at most the first few hundred are listed. */
  disagreementCount: number
}

// ---- Features ---------------------------------------------------------------------------------

/** One frozen encoder as the UI describes it; every cached vector carries its `id`. */
export interface EncoderDescription {
  id: string
  modality: 'image' | 'text'
  dim: number
  description: string
}

/** An image and a text encoder extracted together: 'default' (embedded) or 'onnx:<folder>'. */
export interface EncoderPairInfo {
  id: string
  image: EncoderDescription
  text: EncoderDescription
}

/** A pair the app ships, as the encoder choice lists it. */
export interface BuiltInPairChoice {
  id: string
  description: string
}

export interface OnnxFolderCheck {
  /** The folder, made absolute. */
  path: string
  ok: boolean
  /** Each names the file at fault and what is wrong with it. */
  problems: string[]
  /** The pair id to extract with ('onnx:<folder>') when the folder is usable. */
  encoder: string | null
}

export interface EncoderChoices {
  pairs: BuiltInPairChoice[]
  /** The answer about the ONNX folder asked about, if one was. */
  folder: OnnxFolderCheck | null
}

/** Weak and strong views per post: 1 by default, each one a full encoding pass. */
export const FEATURE_VIEWS_MAX = 8

export interface FeatureViewCount {
  modality: 'image' | 'text'
  encoder: string
  /** 'clean', 'weak:0', 'strong:0', … (a text's weak view is its clean text). */
  view: string
  done: number
  missing: number
}

export type ExtractionPhase = 'starting' | 'loading' | 'planning' | 'encoding'

export interface ExtractionProgress {
  jobId: string
  projectId: number
  /** The encoder pair. */
  encoder: string
  phase: ExtractionPhase
  /** Posts encoded out of the posts that had something missing. */
  done: number
  total: number
  postsPerSecond: number | null
  etaMs: number | null
}

export interface FeatureStatus {
  projectId: number
  pair: EncoderPairInfo
  views: number
  posts: number
  /** Posts with every view of both encoders cached. */
  complete: number
  rows: FeatureViewCount[]
  /** The extraction running for this project, if any. */
  job: ExtractionProgress | null
}

export interface ExtractionProblem {
  postId: number
  externalId: string
  message: string
}

export interface ExtractionSummary {
  pair: EncoderPairInfo
  views: number
  /** Posts in the project, of which `alreadyDone` needed nothing. */
  posts: number
  alreadyDone: number
  /** Posts this run encoded (some or all of their views). */
  encoded: number
  vectorsWritten: number
  /** Posts whose image could not be read (their text views are stored; the image views stay missing). */
  failed: number
  problems: ExtractionProblem[]
  durationMs: number
  /** Posts per second through the whole path: decode, views, both encoders, writes. */
  postsPerSecond: number
  /** Encoder-only throughput, posts per second (all of a post's views of that modality). */
  imagePostsPerSecond: number | null
  textPostsPerSecond: number | null
  /** Peak resident memory of the extraction process, in MB. */
  peakRssMb: number
}

export interface ExtractionFinished {
  jobId: string
  projectId: number
  encoder: string
  outcome: JobOutcome
  summary?: ExtractionSummary
  error?: string
}

export const FEATURE_SETS = ['text', 'image', 'both'] as const
export type FeatureSet = (typeof FEATURE_SETS)[number]

export interface ProbeScores {
  accuracy: number
  weightedF1: number
  macroF1: number
}

export interface ProbeRow {
  features: FeatureSet
  dim: number
  /** The inverse regularisation strength chosen on val by weighted F1 (1 where there is no val). */
  c: number
  val: ProbeScores | null
  test: ProbeScores & {
    /** `confusion[truth][prediction]`, classes in `ProbeReport.classes` order. */
    confusion: number[][]
  }
  durationMs: number
}

export interface ProbeReport {
  projectId: number
  pair: EncoderPairInfo
  classes: Sentiment[]
  /** Labeled posts used per split. */
  counts: { train: number; val: number; test: number }
  /** Posts left out, and why. */
  leftOut: { conflict: number; unassigned: number; unlabeled: number; missingFeatures: number }
  rows: ProbeRow[]
  durationMs: number
}

// ---- Review (pseudo-labels of a run) ------------------------------------------------------------

/** `risk`: riskiest first (see src/main/review/risk.ts); `confidence`: least confident first. */
export const REVIEW_ORDERS = ['risk', 'confidence'] as const
export type ReviewOrder = (typeof REVIEW_ORDERS)[number]

/** `pending`: no decision yet; `decided`: accepted, corrected or rejected in review. */
export const REVIEW_FILTERS = ['all', 'pending', 'decided'] as const
export type ReviewFilter = (typeof REVIEW_FILTERS)[number]

/** What a reviewer asks for: keep the proposed label, give another one, or throw it away. */
export const REVIEW_ACTIONS = ['accept', 'correct', 'reject'] as const
export type ReviewAction = (typeof REVIEW_ACTIONS)[number]

/** Where the model's fused prediction leaned: one head, or both together. */
export type ReliedModality = 'text' | 'image' | 'common'

/** One head's own prediction. */
export interface HeadPrediction {
  label: Sentiment
  confidence: number
}

/** A decision as it stands: `label` is the label written (accepted or corrected); none for a rejection. */
export interface ReviewDecision {
  kind: 'accepted' | 'corrected' | 'rejected'
  label?: Sentiment
}

export interface ReviewItem {
  postId: number
  externalId: string
  /** The post as the grid shows it: text, thumb and image media paths, split, current labels. */
  post: PostRow
  /** The run's fused pseudo-label and its confidence. */
  proposed: Sentiment
  confidence: number
  /** The text head's and the image head's predictions, where the run stored them. */
  text: HeadPrediction | null
  image: HeadPrediction | null
  /** The modality the model relied on. */
  modality: ReliedModality | null
  /** The pseudo-label filter's verdict ('accepted' / 'rejected') and its reason. */
  plfDecision: string | null
  plfReason: string | null
  loss: number | null
  /** 0..1, higher = more likely wrong; `reasons` says why, most important first. */
  risk: number
  reasons: string[]
  decision: ReviewDecision | null
}

export interface ReviewQueueRequest {
  runId: number
  order?: ReviewOrder
  filter?: ReviewFilter
  offset: number
  limit: number
}

export interface ReviewQueuePage {
  runId: number
  projectId: number
  /** Items matching the filter. */
  total: number
  /** The run's pseudo-labels nobody has decided on yet. */
  pending: number
  items: ReviewItem[]
}

export interface ReviewDecideRequest {
  runId: number
  postId: number
  kind: ReviewAction
  /** Required for `correct`. */
  label?: Sentiment
  annotator: string
}

export interface ReviewDecideResult {
  postId: number
  decision: ReviewDecision
  undoable: true
}

export interface ReviewUndoResult {
  /** The post whose decision was undone (the first one, for a bulk accept), or null when nothing was left to undo. */
  undone: null | { postId: number; posts: number }
}

export interface ReviewBulkPreview {
  /** Pending items with confidence >= minConfidence. */
  count: number
  perClass: CountBySentiment
}

export interface ReviewBulkResult {
  accepted: number
  perClass: CountBySentiment
}

// ---- Export -------------------------------------------------------------------------------------

export const EXPORT_FORMATS = ['csv', 'jsonl', 'label-studio'] as const
export type ExportFormat = (typeof EXPORT_FORMATS)[number]

export interface ExportLabelsRequest {
  projectId: number
  format: ExportFormat
  /** The file to write (absolute; written to a temporary name, then renamed). */
  path: string
  /** Include this run's pseudo-labels as predictions. */
  runId?: number
}

export interface ExportLabelsResult {
  path: string
  /** Posts written. */
  rows: number
}

export interface ExportModelResult {
  /** The folder written. */
  path: string
  /** Files copied, relative to `path`. */
  files: string[]
}

// ---- Runs (training) ----

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

/** Class order of confusion matrices (and of the trainer's class indices). */
export const CONFUSION_ORDER = ['negative', 'neutral', 'positive'] as const satisfies readonly Sentiment[]

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
