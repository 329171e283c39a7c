// Label checks (issue 15, part 2): the human labels that are probably wrong, found by confident
// learning on out-of-fold probabilities (src/main/review/label-errors.ts), and reviewed as a queue
// of their own. Pure types and schemas: no Node, no DOM.
import * as v from 'valibot'
import { fields, id, int, oneOf, opt } from './fields'
import { personName, type AnnotationEntry } from './labeling'
import type { PostRow } from './projects'
import { SENTIMENTS, type Sentiment } from './vocabulary'

export const LABEL_CHECK_STATUSES = ['running', 'done', 'failed', 'cancelled'] as const
export type LabelCheckStatus = (typeof LABEL_CHECK_STATUSES)[number]

/** `accept`: the suggested label replaces the given one (a correction naming it); `keep`: the given label stays, the item is reviewed. */
export const LABEL_CHECK_ACTIONS = ['accept', 'keep'] as const
export type LabelCheckAction = (typeof LABEL_CHECK_ACTIONS)[number]

export const LABEL_CHECK_FILTERS = ['all', 'pending', 'decided'] as const
export type LabelCheckFilter = (typeof LABEL_CHECK_FILTERS)[number]

export const LabelCheckStartRequest = fields({
  projectId: id(),
  /** Encoder pair whose cached features the check reads; the current default when absent. */
  encoder: opt(v.pipe(v.string(), v.maxLength(4096))),
})

export const LabelCheckRef = fields({ checkId: id() })

export interface LabelCheckSummary {
  id: number
  projectId: number
  encoder: string
  status: LabelCheckStatus
  /** Labeled posts that got out-of-fold probabilities. */
  checked: number
  /** Posts listed as likely label errors. */
  listed: number
  /** Listed posts nobody has decided on yet. */
  pending: number
  error: string | null
  createdAt: string
  finishedAt: string | null
}

export interface LabelCheckDecision {
  kind: 'accepted' | 'kept'
  /** The label written (accepted), none when kept. */
  label?: Sentiment
  annotator: string
}

export interface LabelCheckItem {
  postId: number
  externalId: string
  rank: number
  post: PostRow
  /** The label the check looked at, and the history row that gave it (who, how, when). */
  given: Sentiment
  givenBy: AnnotationEntry | null
  suggested: Sentiment
  /** Out-of-fold probability per class. */
  probabilities: Record<Sentiment, number>
  /** The post's current overall label: what an accept replaces (someone may have relabeled it since the check). */
  current: AnnotationEntry | null
  decision: LabelCheckDecision | null
}

export const LABEL_CHECK_PAGE_MAX = 200

export const LabelCheckQueueRequest = fields({
  checkId: id(),
  filter: v.nullish(oneOf(LABEL_CHECK_FILTERS), 'all'),
  offset: v.nullish(int(0, 100_000_000), 0),
  limit: int(1, LABEL_CHECK_PAGE_MAX),
})

export interface LabelCheckPage {
  check: LabelCheckSummary
  total: number
  items: LabelCheckItem[]
}

export const LabelCheckDecideRequest = fields({
  checkId: id(),
  postId: id(),
  kind: oneOf(LABEL_CHECK_ACTIONS),
  annotator: personName(),
  /** For `accept`: the post's current label the reviewer saw and agrees to replace; refused when it is no longer that one. */
  replaces: opt(oneOf(SENTIMENTS)),
})

export const LabelCheckUndoRequest = fields({ checkId: id(), annotator: personName() })

export interface LabelCheckDecideResult {
  postId: number
  decision: LabelCheckDecision
  /** The label an accept replaced, or null. */
  replaced: AnnotationEntry | null
  undoable: true
}

export interface LabelCheckUndoResult {
  undone: null | { postId: number }
}

/** Progress of a running check: folds of the out-of-fold fit done. */
/** A check's progress; `etaMs`: time left in the phase at its rate so far, null until there is one. */
export const LabelCheckProgress = v.object({ checkId: v.number(), projectId: v.number(), phase: v.string(), done: v.number(), total: v.number(), etaMs: v.nullable(v.number()) })
export type LabelCheckProgress = v.InferOutput<typeof LabelCheckProgress>
export const LabelCheckFinished = v.object({ checkId: v.number(), projectId: v.number(), status: v.picklist(LABEL_CHECK_STATUSES), listed: v.number(), error: v.optional(v.string()) })
export type LabelCheckFinished = v.InferOutput<typeof LabelCheckFinished>
export const LabelCheckChanged = v.object({ checkId: v.number(), projectId: v.number() })
