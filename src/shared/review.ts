// Review of a run's pseudo-labels: the queue, decisions, bulk accept. Pure types, constants and schemas: no Node, no DOM.
import * as v from 'valibot'
import { fields, id, int, num, oneOf, opt } from './fields'
import { personName, type AnnotationEntry } from './labeling'
import type { PostRow } from './projects'
import { SENTIMENTS, type CountBySentiment, type Sentiment } from './vocabulary'

/** `risk`: riskiest first (see src/main/review/risk.ts); `confidence`: least confident first. */
export const REVIEW_ORDERS = ['risk', 'confidence'] as const
export type ReviewOrder = (typeof REVIEW_ORDERS)[number]

/**
 * `pending`: no decision yet; `decided`: accepted, corrected or rejected in review; `disagrees`: the
 * run's teacher, or a generated text/image label (ULGM), gives another label than the proposal.
 */
export const REVIEW_FILTERS = ['all', 'pending', 'decided', 'disagrees'] as const
export type ReviewFilter = (typeof REVIEW_FILTERS)[number]

/**
 * Which posts' pseudo-labels the queue holds. `unlabeled` (the default): posts without a label of
 * their own (a human's, an imported one, an earlier review's), so a proposal never stands against a
 * label nobody asked to replace; `labeled`: only posts that carry one (the user asked to review
 * them: each item shows that label, who set it and when); `all`: both.
 */
export const REVIEW_SCOPES = ['unlabeled', 'labeled', 'all'] as const
export type ReviewScope = (typeof REVIEW_SCOPES)[number]

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

/** What a run's teacher said about a post. */
export interface TeacherOpinion extends HeadPrediction {
  /** Which teacher, in words: 'text teacher', 'image teacher', "run #4's text head", 'ONNX text teacher (folder)'. */
  name: string
  /** Above its confidence filter, so it taught the student. */
  kept: boolean
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
  /** The run's distillation teacher's label for the post ("text teacher", "ONNX text teacher", …), and whether §3.3's filter kept it. */
  teacher: TeacherOpinion | null
  /** The text and image heads learned generated labels (ULGM): `text` and `image` are those. */
  generated: boolean
  /** The pseudo-label filter's verdict ('accepted' / 'rejected') and its reason. */
  plfDecision: string | null
  plfReason: string | null
  loss: number | null
  /** 0..1, higher = more likely wrong; `reasons` says why, most important first. */
  risk: number
  reasons: string[]
  decision: ReviewDecision | null
  /**
   * The overall label the post carries apart from this run's review (who set it, how and when), or
   * null: what an accept or a correction replaces. A decision of this run on the post leaves it here.
   */
  existing: AnnotationEntry | null
}

/** Most items a review page may ask for, and the deepest offset. */
export const REVIEW_PAGE_MAX = 200
export const REVIEW_OFFSET_MAX = 100_000_000

export const ReviewQueueRequest = fields({
  runId: id(),
  order: v.nullish(oneOf(REVIEW_ORDERS), 'risk'),
  filter: v.nullish(oneOf(REVIEW_FILTERS), 'all'),
  offset: v.nullish(int(0, REVIEW_OFFSET_MAX), 0),
  limit: int(1, REVIEW_PAGE_MAX),
  scope: v.nullish(oneOf(REVIEW_SCOPES), 'unlabeled'),
})
export type ReviewQueueRequest = v.InferOutput<typeof ReviewQueueRequest>

export interface ReviewQueuePage {
  runId: number
  projectId: number
  /** Items matching the filter. */
  total: number
  /** The scope's pseudo-labels nobody has decided on yet. */
  pending: number
  /** Pseudo-labels of the run on posts that carry a label of their own (left out of the `unlabeled` scope). */
  labeled: number
  items: ReviewItem[]
}

export const ReviewDecideRequest = fields({
  runId: id(),
  postId: id(),
  kind: oneOf(REVIEW_ACTIONS),
  /** Required for `correct` (the writer says so). */
  label: opt(oneOf(SENTIMENTS)),
  annotator: personName(),
  /**
   * The label the reviewer saw on the post and agrees to replace (ReviewItem.existing). An accept or
   * a correction on a post that carries a label is refused without it, or when the label is no longer
   * that one: a human label changes only by a decision made while seeing it.
   */
  replaces: opt(oneOf(SENTIMENTS)),
})
export type ReviewDecideRequest = v.InferOutput<typeof ReviewDecideRequest>

/** Undoes this reviewer's latest step in the run. */
export const ReviewUndoRequest = fields({ runId: id(), annotator: personName() })

/** Pending items at or above a confidence. */
export const ReviewBulkRequest = fields({ runId: id(), minConfidence: num(0, 1) })
export const ReviewBulkAcceptRequest = fields({ runId: id(), minConfidence: num(0, 1), annotator: personName() })

/** Review decisions of a run changed (decide, undo, bulk accept), from any window. */
export const ReviewChanged = v.object({ runId: v.number(), projectId: v.number() })

export interface ReviewDecideResult {
  postId: number
  /** A correction to the proposed label is an accept, and says so. */
  decision: ReviewDecision
  /** The label this decision replaced (a post's own label, as it stood), or null. */
  replaced: AnnotationEntry | null
  undoable: true
}

export interface ReviewUndoResult {
  /** The post whose decision was undone (the first one, for a bulk accept), or null when nothing was left to undo. */
  undone: null | { postId: number; posts: number }
}

export interface ReviewBulkPreview {
  /** Pending items with confidence >= minConfidence, on posts without a label of their own. */
  count: number
  perClass: CountBySentiment
  /** Pending items above the threshold left out because their post carries a label: bulk accept never replaces one. */
  labeledLeftOut: number
}

export interface ReviewBulkResult {
  accepted: number
  perClass: CountBySentiment
}
