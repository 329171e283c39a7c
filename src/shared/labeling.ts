// Labeling: labels with undo/redo, the queue, suggestions, progress, agreement. Pure types, constants and schemas: no Node, no DOM.
import * as v from 'valibot'
import { bool, fields, id, int, oneOf, oneOfOrNull, opt, searchText, text } from './fields'
import type { PostRow } from './projects'
import { LabelSet, MODALITIES, SENTIMENTS, SPLITS, type AnnotationSource, type CountBySentiment, type Modality, type Sentiment } from './vocabulary'

/** How a label reached the history: written, or an undo/redo restoring an earlier one. */
export const ANNOTATION_KINDS = ['label', 'undo', 'redo'] as const
export type AnnotationKind = (typeof ANNOTATION_KINDS)[number]

/** Longest annotator name the history keeps. */
export const ANNOTATOR_NAME_MAX = 64

/** A person's name as recorded with their labels: trimmed, not empty, short, no control characters. */
export const personName = /* @__NO_SIDE_EFFECTS__ */ () =>
  v.pipe(
    text(ANNOTATOR_NAME_MAX * 4),
    v.trim(),
    v.minLength(1, 'enter a name'),
    v.maxLength(ANNOTATOR_NAME_MAX, `at most ${ANNOTATOR_NAME_MAX} characters`),
    v.check((name) => ![...name].some((c) => c < ' ' || c === '\u007f'), 'no control characters'),
  )

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

/** One post of a project. */
export const PostRef = fields({ projectId: id(), postId: id() })

export const LabelRequest = fields({
  projectId: id(),
  postId: id(),
  modality: oneOf(MODALITIES),
  /** `null` clears the modality's label. */
  label: oneOfOrNull(SENTIMENTS),
  annotator: personName(),
  /** `correction` when settling a disagreement; `human` otherwise. */
  source: v.nullish(oneOf(LABELING_SOURCES), 'human'),
})
export type LabelRequest = v.InferOutput<typeof LabelRequest>

/** Requests about one annotator's undo stack in a project. */
export const AnnotatorRequest = fields({ projectId: id(), annotator: personName() })

/** Most labeled posts a team may aim for. */
export const LABEL_TARGET_MAX = 10_000_000

export const LabelTargetRequest = fields({
  projectId: id(),
  /** null: no target. */
  target: v.nullable(int(1, LABEL_TARGET_MAX, `required (a number of posts from 1 to ${LABEL_TARGET_MAX}, or null)`)),
})

/** `imported`: compare the imported labels' annotators too (a team's Label Studio labels, a data set's own), not only labels given in the app. */
export const AgreementRequest = fields({ projectId: id(), modality: v.nullish(oneOf(MODALITIES), 'overall'), imported: v.nullish(bool(), false) })

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

/** Longest text search, and most posts a queue page may ask for. */
export const QUEUE_SEARCH_MAX = 200
export const QUEUE_PAGE_MAX = 50

/** A place in a queue; opaque to the UI, which hands back the one it was given. */
export const QueueCursor = fields({ segment: int(0, 1), key: int(0, Number.MAX_SAFE_INTEGER) })
export type QueueCursor = v.InferOutput<typeof QueueCursor>

export const QueueRequest = fields({
  projectId: id(),
  order: opt(oneOf(QUEUE_ORDERS)),
  split: opt(oneOf(SPLITS)),
  /** One class of the current overall label, or `'unlabeled'`. */
  overall: opt(oneOf(SENTIMENTS, ['unlabeled'])),
  /** Posts whose current text and image labels differ. */
  disagree: opt(bool()),
  /** Text containing this (case-insensitive for ASCII); blank is no search. */
  search: searchText(QUEUE_SEARCH_MAX),
  /** Posts a training run gave a pseudo-label. */
  pseudo: opt(bool()),
  /**
   * Also serve conflict posts (text and image disagree in polarity, or split 'conflict'): training
   * leaves them out, so a queue skips them unless asked (or its split filter is 'conflict').
   */
  conflicts: opt(bool()),
  /** Continue after (`next`) or before (`prev`) this place; from the start or the end when absent. */
  cursor: opt(QueueCursor),
  /** Start at this post's place, inclusive (a jump from the grid). Ignored when `cursor` is given. */
  at: opt(id()),
  direction: opt(oneOf(['next', 'prev'])),
  limit: v.nullish(int(1, QUEUE_PAGE_MAX), 10),
  /** Also count the posts matching the filter (costs a scan with a text search). */
  withTotal: opt(bool()),
})
export type QueueRequest = v.InferOutput<typeof QueueRequest>

/** Which posts a queue holds, in which order. */
export type QueueFilter = Partial<Pick<QueueRequest, 'order' | 'split' | 'overall' | 'disagree' | 'search' | 'pseudo' | 'conflicts'>>

/** Why a queue and Suggest leave conflict posts out unless asked. */
export const CONFLICT_EXPLANATION =
  'Conflict posts (text and image disagree in polarity) are left out of training and scoring: a label on one does not count. They are offered only when you ask for them.'

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

/** Which strategies can run, counting conflict posts or not. */
export const StrategiesRequest = fields({ projectId: id(), conflicts: opt(bool()) })

/** Most posts one suggestion may pick. */
export const SUGGEST_MAX = 1000

export const SuggestRequest = fields({
  projectId: id(),
  /** `auto`: uncertain once a run exists, else diverse once features exist, else stratified. */
  strategy: oneOf(SUGGEST_STRATEGIES, ['auto']),
  count: int(1, SUGGEST_MAX),
  annotator: opt(personName()),
  /** Also pick conflict posts, which training leaves out (see `CONFLICT_EXPLANATION`). */
  conflicts: opt(bool()),
  /** Seeds the random choices, for repeatable picks; a random seed when absent. */
  seed: v.nullish(int(0, 0xffffffff), () => Math.floor(Math.random() * 0xffffffff)),
})
export type SuggestRequest = v.InferOutput<typeof SuggestRequest>

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

/**
 * Posts training can use (not conflict posts) and conflict posts, each with how many carry an
 * overall label: the progress panel speaks of the first, and says why the second do not count.
 */
export interface LabelCoverage {
  usable: number
  usableLabeled: number
  conflict: number
  conflictLabeled: number
}

/** Share of usable posts labeled from which the labeling view says "most posts are labeled" and points to what comes next. */
export const MOSTLY_LABELED = 0.8

export interface LabelProgress {
  projectId: number
  total: number
  coverage: LabelCoverage
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

/** A post's labels changed (a label, an undo or a redo, a review decision), from any window. */
export const LabelsChanged = v.object({ projectId: v.number(), postId: v.number(), labels: LabelSet, annotator: v.string() })
export type LabelsChanged = v.InferOutput<typeof LabelsChanged>
