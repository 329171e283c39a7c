// Decisions on a label check's list, each in one transaction that has committed before the answer
// leaves, through the same append-only label history as labeling and review (AnnotationsRepo).
// Accept writes the suggested label as a 'correction' by the reviewer; it must name the label it
// replaces (`replaces`, the post's current label as the reviewer saw it), else nothing is written.
// Keep writes no label: the item is marked reviewed. Deciding again replaces the decision (keeping
// a post whose accept is still its latest label takes that label back). Undo reverses the
// reviewer's latest decision in the check while the label it wrote is still the post's latest,
// appending the label that stood before with the source, run and author it had; once someone else has
// labeled the post, the decision stands (the reviewer is told) and the next Undo reaches the one before.
import type { AnnotationEntry } from '#shared/labeling'
import type { LabelCheckAction, LabelCheckDecision } from '#shared/label-check'
import type { Sentiment } from '#shared/vocabulary'
import type { Store } from '#main/db/store'
import type { CheckDecision } from '#main/db/label-checks-repo'
import { AppError, notFound } from '#main/core/errors'
import { whenUtc } from '#main/core/when'
import { describeLabel } from './existing-label'

export interface CheckDecideInput {
  checkId: number
  postId: number
  kind: LabelCheckAction
  annotator: string
  replaces?: Sentiment
}

export interface CheckDecided {
  postId: number
  projectId: number
  decision: LabelCheckDecision
  replaced: AnnotationEntry | null
}

export class LabelCheckWriter {
  private readonly decideTx: (input: CheckDecideInput) => CheckDecided
  private readonly undoTx: (checkId: number, annotator: string) => { postId: number } | { conflict: string } | null

  constructor(private readonly store: Store) {
    const { labelChecks, annotations } = store

    /** Takes back the label `decision` wrote (`undone`, the post's latest): the one before stands again, as it stood. */
    const restore = (projectId: number, decision: CheckDecision, undone: AnnotationEntry, actor: string, kind: 'label' | 'undo'): number =>
      annotations.restore({ projectId, postId: decision.postId, modality: 'overall', undone, beforeId: decision.beforeAnnotationId, actor, kind })

    this.decideTx = store.db.transaction((input: CheckDecideInput): CheckDecided => {
      const check = labelChecks.summary(input.checkId)
      if (!check) throw notFound(`No label check with id ${input.checkId}`)
      const item = labelChecks.item(input.checkId, input.postId)
      if (!item) throw notFound(`Label check ${input.checkId} did not list post ${input.postId}`)
      const previous = labelChecks.current(input.checkId, input.postId)
      const latest = annotations.latest(input.postId, 'overall')
      let annotationId: number | null = null
      let beforeAnnotationId: number | null = null
      let replaced: AnnotationEntry | null = null
      if (input.kind === 'accept' && latest?.label !== item.suggested) {
        if (latest?.label != null && input.replaces !== latest.label) {
          const externalId = store.posts.get(check.projectId, input.postId)?.externalId ?? String(input.postId)
          throw new AppError(
            'conflict',
            input.replaces === undefined
              ? `Post ${externalId} carries the label ${describeLabel(latest)}; accepting ${item.suggested} would replace it. Nothing was changed: say which label you replace.`
              : `Post ${externalId}'s label is now ${describeLabel(latest)}, not ${input.replaces} as shown. Nothing was changed: look at it again before replacing it.`,
          )
        }
        beforeAnnotationId = latest?.id ?? null
        replaced = latest?.label != null ? latest : null
        annotationId = annotations.append({ projectId: check.projectId, postId: input.postId, modality: 'overall', label: item.suggested, source: 'correction', kind: 'label', annotator: input.annotator })
      } else if (input.kind === 'keep' && previous?.annotationId != null && previous.kind === 'accepted' && latest?.id === previous.annotationId) {
        // Keeping what this check's review had replaced: the label it wrote is taken back.
        beforeAnnotationId = latest.id
        annotationId = restore(check.projectId, previous, latest, input.annotator, 'label')
      }
      if (previous) labelChecks.setState(previous.id, 'replaced')
      const kind = input.kind === 'accept' ? 'accepted' : 'kept'
      const label = kind === 'accepted' ? item.suggested : null
      labelChecks.addDecision({ checkId: input.checkId, postId: input.postId, annotator: input.annotator, kind, label, annotationId, beforeAnnotationId, replacesId: previous?.id ?? null })
      const decision: LabelCheckDecision = label ? { kind, label, annotator: input.annotator } : { kind, annotator: input.annotator }
      return { postId: input.postId, projectId: check.projectId, decision, replaced }
    }).immediate

    this.undoTx = store.db.transaction((checkId: number, annotator: string) => {
      const last = labelChecks.lastDone(checkId, annotator)
      if (!last) return null
      const check = labelChecks.summary(checkId)!
      if (last.annotationId !== null) {
        const latest = annotations.latest(last.postId, 'overall')
        if (latest?.id !== last.annotationId) {
          const externalId = store.posts.get(check.projectId, last.postId)?.externalId ?? String(last.postId)
          labelChecks.markNotUndoable(last.id)
          return {
            conflict: `Cannot undo the label check decision on post ${externalId}: ${latest?.annotator ?? 'someone'} labeled it since (${whenUtc(latest?.createdAt)}). That decision stands; Undo again to reach the one before it.`,
          }
        }
        restore(check.projectId, last, latest, annotator, 'undo')
      }
      labelChecks.setState(last.id, 'undone')
      const replacedDecision = last.replacesId !== null ? labelChecks.decision(last.replacesId) : null
      if (replacedDecision?.state === 'replaced') labelChecks.setState(replacedDecision.id, 'done')
      return { postId: last.postId }
    }).immediate
  }

  decide(input: CheckDecideInput): CheckDecided {
    const decided = this.decideTx(input)
    this.store.checkpointSoon()
    return decided
  }

  /** Undoes the reviewer's latest decision in the check; null when none is left. */
  undo(checkId: number, annotator: string): { postId: number } | null {
    if (!this.store.labelChecks.summary(checkId)) throw notFound(`No label check with id ${checkId}`)
    const outcome = this.undoTx(checkId, annotator)
    this.store.checkpointSoon()
    if (outcome && 'conflict' in outcome) throw new AppError('conflict', outcome.conflict)
    return outcome
  }
}
