// Review decisions, their undo and bulk accept, committed before the answer leaves: a decision in one
// SQLite transaction; an undo and a bulk accept a chunk of posts per transaction, the event loop free
// in between (a bulk accept of thousands of posts held it for seconds at 100,000 posts). Labels go through the same append-only history as the labeling view
// (AnnotationsRepo.append: the v2 trigger keeps posts' current labels and the v3 counts right):
// accept writes the proposed label as 'pseudo-accepted', correct writes the reviewer's label as a
// 'correction', both overall and with the run's id; a rejection writes no label.
//
// Undo follows the labeling view's rule (label-writer.ts): a decision is only reversed while the
// label it wrote is still the post's latest; once anyone else labeled the post, it stands and the
// reviewer is told who did. An undo appends the label that stood before as it stood, with the
// source, run and author it had (AnnotationsRepo.restore), so "where did this label come from"
// stays true after an undo.
//
// A post's own label (a human's, an imported one, an earlier review's: existing-label.ts) changes
// only by a decision made while seeing it: an accept or a correction on such a post must name the
// label it replaces (`replaces`), else it is refused and nothing is written. A decision that agrees
// with the post's own label writes no row (the label keeps its source), and a correction to the
// proposed label is an accept.
import type { AnnotationEntry } from '#shared/labeling'
import type { ReviewAction, ReviewDecision } from '#shared/review'
import { SENTIMENTS, type AnnotationSource, type CountBySentiment, type LabelSet, type Sentiment } from '#shared/vocabulary'
import type { Store } from '#main/db/store'
import type { Decision, DecisionKind, ReviewRun } from '#main/db/review-repo'
import { AppError, notFound } from '#main/core/errors'
import { whenUtc } from '#main/core/when'
import { nextTurn } from '#main/core/loop-turns'
import { writeWhenFree } from '#main/db/write-lock'
import { countByClass } from './class-counts'
import { describeLabel, existingLabel } from './existing-label'

export interface DecideInput {
  run: ReviewRun
  postId: number
  kind: ReviewAction
  /** The reviewer's label, for `correct`. */
  label?: Sentiment
  annotator: string
  /** The post's own label the reviewer saw and agrees to replace. */
  replaces?: Sentiment
}

export interface Decided {
  postId: number
  decision: ReviewDecision
  /** The post's labels after the decision. */
  labels: LabelSet
  /** The label the decision replaced, or null. */
  replaced: AnnotationEntry | null
}

export interface Undone {
  /** The posts whose decisions were reversed, in the order they were made. */
  postIds: number[]
}

export interface BulkAccepted {
  accepted: number
  perClass: CountBySentiment
}

const KIND_OF: Record<ReviewAction, DecisionKind> = { accept: 'accepted', correct: 'corrected', reject: 'rejected' }
const SOURCE_OF: Record<Exclude<DecisionKind, 'rejected'>, AnnotationSource> = { accepted: 'pseudo-accepted', corrected: 'correction' }

/** Refuses, writing nothing, an accept or correction that would replace a label the reviewer did not see (or no longer sees). */
function checkReplaces(own: AnnotationEntry, input: DecideInput, externalId: string, kind: DecisionKind): void {
  const doing = kind === 'accepted' ? 'accepting the proposal' : `correcting it to ${input.label}`
  if (input.replaces === undefined) {
    throw new AppError(
      'conflict',
      `Post ${externalId} already carries the label ${describeLabel(own)}; ${doing} would replace it. Nothing was changed: review the posts that carry a label to see it, and decide there.`,
    )
  }
  if (input.replaces !== own.label) {
    throw new AppError(
      'conflict',
      `Post ${externalId}'s label is now ${describeLabel(own)}, not ${input.replaces} as shown. Nothing was changed: look at it again before replacing it.`,
    )
  }
}

/** Rows per write transaction of a bulk accept or an undo: 100 held the loop 16-54 ms on a loaded 2-core machine (`npm run bench stall`), 50 leaves room under 50 ms. */
const CHUNK = 50

export interface ChunkOptions {
  /** Rows per transaction. */
  chunk?: number
  /** Awaited between two chunks; the next turn of the event loop by default (tests pass a failure here). */
  between?: () => Promise<void>
}

interface UndoProgress {
  afterId: number
  chunk: number
  postIds: number[]
  overtaken: { postId: number; why: string } | null
}

interface BulkProgress {
  minConfidence: number
  afterPostId: number
  chunk: number
  stepId: number | null
  accepted: Array<{ postId: number; label: Sentiment }>
}

export class ReviewWriter {
  private readonly decideTx: (input: DecideInput, externalId: string) => Decided
  private readonly undoChunkTx: (run: ReviewRun, stepId: number, at: UndoProgress, annotator: string) => boolean
  private readonly bulkChunkTx: (run: ReviewRun, at: BulkProgress, annotator: string) => number
  /** Chunked writes under way, by run and annotator: what each is. */
  private readonly running = new Map<string, string>()

  constructor(private readonly store: Store) {
    const { review, annotations } = store

    /**
     * Writes one decision in the current transaction; the decision it replaces stops being in effect.
     * `keep`: the label agrees with the post's own, so no row is written. Returns what it replaced.
     */
    const apply = (run: ReviewRun, stepId: number, postId: number, kind: DecisionKind, label: Sentiment | null, annotator: string, keep = false): AnnotationEntry | null => {
      const previous = review.current(run.id, postId)
      if (previous) review.setDecisionState(previous.id, 'replaced')
      const latest = annotations.latest(postId, 'overall')
      let annotationId: number | null = null
      let beforeAnnotationId: number | null = null
      let replaced: AnnotationEntry | null = null
      if (kind !== 'rejected' && !keep) {
        beforeAnnotationId = latest?.id ?? null
        replaced = latest?.label != null ? latest : null
        annotationId = annotations.append({
          projectId: run.projectId,
          postId,
          modality: 'overall',
          label,
          source: SOURCE_OF[kind],
          kind: 'label',
          annotator,
          runId: run.id,
        })
      } else if (kind === 'rejected' && previous?.annotationId != null && latest?.id === previous.annotationId) {
        // Rejecting what this run's review had accepted: the label it wrote is taken back.
        beforeAnnotationId = latest.id
        annotationId = restore(run, previous, latest, annotator, 'label')
      }
      review.addDecision({ stepId, runId: run.id, postId, kind, label, annotationId, beforeAnnotationId, replacesId: previous?.id ?? null })
      return replaced
    }

    /** Takes back the label `decision` wrote (`undone`, the post's latest): the one before stands again, as it stood. */
    const restore = (run: ReviewRun, decision: Decision, undone: AnnotationEntry, actor: string, kind: 'label' | 'undo'): number =>
      annotations.restore({ projectId: run.projectId, postId: decision.postId, modality: 'overall', undone, beforeId: decision.beforeAnnotationId, actor, kind })

    this.decideTx = store.db.transaction((input: DecideInput, externalId: string): Decided => {
      const { run, postId } = input
      const pseudo = review.pseudo(run.id, postId)
      if (!pseudo) throw notFound(`Run ${run.id} has no pseudo-label for post ${postId}`)
      // A correction to the proposed label is an accept.
      const kind = input.kind === 'correct' && input.label === pseudo.label ? 'accepted' : KIND_OF[input.kind]
      const label = kind === 'accepted' ? pseudo.label : kind === 'corrected' ? input.label! : null
      const own = existingLabel(annotations, run.id, postId, pseudo.decisionKind !== null)
      const keep = own !== null && own.label === label && annotations.latest(postId, 'overall')?.id === own.id
      if (own && label !== null && !keep) checkReplaces(own, input, externalId, kind)
      const replaced = apply(run, review.addStep(run.id, input.annotator, 'single'), postId, kind, label, input.annotator, keep)
      const decision: ReviewDecision = label === null ? { kind } : { kind, label }
      return { postId, decision, labels: annotations.postLabels(postId).labels, replaced }
    }).immediate

    this.undoChunkTx = store.db.transaction((run: ReviewRun, stepId: number, at: UndoProgress, annotator: string): boolean => {
      const rows = review.stepDecisionsAfter(stepId, at.afterId, at.chunk + 1)
      for (const d of rows.slice(0, at.chunk)) {
        at.afterId = d.id
        if (d.state !== 'done') {
          at.overtaken ??= { postId: d.postId, why: 'someone decided it again since' }
          continue
        }
        if (d.annotationId !== null) {
          const latest = annotations.latest(d.postId, 'overall')
          if (latest?.id !== d.annotationId) {
            at.overtaken ??= { postId: d.postId, why: `${latest?.annotator ?? 'someone'} labeled it since (${whenUtc(latest?.createdAt)})` }
            continue
          }
          restore(run, d, latest, annotator, 'undo')
        }
        review.setDecisionState(d.id, 'undone')
        const replaced = d.replacesId !== null ? review.decision(d.replacesId) : null
        if (replaced?.state === 'replaced') review.setDecisionState(replaced.id, 'done')
        at.postIds.push(d.postId)
      }
      const last = rows.length <= at.chunk
      // The step's state changes with its last chunk: a step cut short by a crash stays 'done', and an undo again finishes it.
      if (last) review.setStepState(stepId, at.postIds.length === 0 ? 'dropped' : 'undone')
      return last
    }).immediate

    this.bulkChunkTx = store.db.transaction((run: ReviewRun, at: BulkProgress, annotator: string): number => {
      const pending = review.pendingAfter(run.id, at.minConfidence, at.afterPostId, at.chunk)
      if (pending.length === 0) return 0
      at.stepId ??= review.addStep(run.id, annotator, 'bulk')
      for (const { postId, label } of pending) apply(run, at.stepId, postId, 'accepted', label, annotator)
      at.afterPostId = pending[pending.length - 1]!.postId
      at.accepted.push(...pending)
      return pending.length
    }).immediate
  }

  decide(input: DecideInput): Decided {
    if (input.kind === 'correct' && !input.label) throw new AppError('bad-request', `label: required to correct (one of ${SENTIMENTS.join(', ')})`)
    const externalId = this.store.posts.get(input.run.projectId, input.postId)?.externalId ?? String(input.postId)
    const decided = this.decideTx(input, externalId)
    this.store.checkpointSoon()
    return decided
  }

  /**
   * Undoes the annotator's latest step in this run (a bulk accept is one step; null when none is
   * left), `chunk` decisions per transaction with the event loop free in between. Each chunk commits
   * on its own: a crash half-way leaves the step's first chunks undone and the step still on the
   * stack, and an undo again finishes it.
   */
  async undo(run: ReviewRun, annotator: string, options: ChunkOptions = {}): Promise<Undone | null> {
    const stepId = this.store.review.lastDoneStep(run.id, annotator)
    if (stepId === null) return null
    const at: UndoProgress = { afterId: 0, chunk: options.chunk ?? CHUNK, postIds: [], overtaken: null }
    await this.exclusive(run, annotator, 'an undo', async () => {
      while (!(await writeWhenFree(this.store.db, () => this.undoChunkTx(run, stepId, at, annotator)))) await (options.between ?? nextTurn)()
    })
    this.store.checkpointSoon()
    if (at.postIds.length > 0) return { postIds: at.postIds }
    const { postId, why } = at.overtaken!
    const externalId = this.store.posts.get(run.projectId, postId)?.externalId ?? String(postId)
    throw new AppError('conflict', `Cannot undo the review decision on post ${externalId}: ${why}. That step is dropped; Undo again to reach the one before it.`)
  }

  /**
   * Accepts every pending pseudo-label at or above `minConfidence` as one undo step, `chunk` posts per
   * transaction with the event loop free in between (a page, a label, another window's request get
   * in). Resumable rather than all-or-nothing: every chunk commits whole, so a failure or a crash
   * half-way leaves the posts accepted so far as one consistent, undoable step and the rest pending;
   * a bulk accept again at the same confidence accepts the rest.
   */
  async bulkAccept(run: ReviewRun, minConfidence: number, annotator: string, options: ChunkOptions = {}): Promise<BulkAccepted> {
    const at: BulkProgress = { minConfidence, afterPostId: 0, chunk: options.chunk ?? CHUNK, stepId: null, accepted: [] }
    await this.exclusive(run, annotator, 'a bulk accept', async () => {
      try {
        while ((await writeWhenFree(this.store.db, () => this.bulkChunkTx(run, at, annotator))) === at.chunk) await (options.between ?? nextTurn)()
      } catch (err) {
        if (at.accepted.length === 0) throw err
        const why = err instanceof Error ? err.message : String(err)
        throw new AppError(
          'conflict',
          `Bulk accept stopped after ${at.accepted.length} posts: ${why}. Those ${at.accepted.length} stay accepted as one step (Undo takes them back); bulk accept again to accept the rest.`,
        )
      } finally {
        this.store.checkpointSoon()
      }
    })
    return { accepted: at.accepted.length, perClass: countByClass(at.accepted) }
  }

  /** Whether a chunked undo or bulk accept of this annotator in this run is being written. */
  busy(run: ReviewRun, annotator: string): boolean {
    return this.running.has(`${run.id}\u0000${annotator}`)
  }

  /** One chunked write per annotator and run at a time: an undo while its bulk accept is half-written would undo half a step. */
  private async exclusive(run: ReviewRun, annotator: string, what: string, write: () => Promise<void>): Promise<void> {
    const key = `${run.id}\u0000${annotator}`
    const doing = this.running.get(key)
    if (doing) throw new AppError('conflict', `${annotator} has ${doing} of run ${run.id} still being written; ${what} can start once it has finished.`)
    this.running.set(key, what)
    try {
      await write()
    } finally {
      this.running.delete(key)
    }
  }
}
