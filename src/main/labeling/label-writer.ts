// Labels, undo and redo, each in one SQLite transaction that has committed before the answer
// leaves. History stays append-only: an undo appends the label that stood before as it stood (its
// source and author: AnnotationsRepo.restore), a redo appends the label again, and the annotator's
// stack records which steps stand.
import type { LabelAck, LabelingSource, LabelRequest, LabelStep, UndoAck, UndoState } from '#shared/labeling'
import type { Store } from '#main/db/store'
import { stepOf, type LabelAction } from '#main/db/label-actions-repo'
import { AppError } from '#main/core/errors'
import { whenUtc } from '#main/core/when'

type Direction = 'undo' | 'redo'

/**
 * A step that can no longer be reversed is dropped, and the person told why: someone labeled the
 * post since (`since`), or it carries a colleague's label again that this stack's own undo put
 * back (`restored`), which a further undo would overwrite.
 */
type Replayed = { ok: true; ack: UndoAck } | { ok: false; step: LabelStep; why: 'since' | 'restored'; by: string; at: string }

export class LabelWriter {
  private readonly setTx: (req: Required<LabelRequest>) => LabelAck
  private readonly replayTx: (projectId: number, annotator: string, direction: Direction) => Replayed

  constructor(private readonly store: Store) {
    this.setTx = store.db.transaction((req: Required<LabelRequest>) => {
      const before = store.annotations.latest(req.postId, req.modality)
      const annotationId = store.annotations.append({ ...req, kind: 'label' })
      store.labelActions.push({ ...req, before: before?.label ?? null, after: req.label, beforeAnnotationId: before?.id ?? null, lastAnnotationId: annotationId })
      const step = stepOf(store.labelActions.nextUndo(req.projectId, req.annotator)!)
      return { annotationId, step, labels: store.annotations.postLabels(req.postId), undo: this.undoState(req.projectId, req.annotator) }
    }).immediate
    this.replayTx = store.db.transaction((projectId: number, annotator: string, direction: Direction): Replayed => {
      const action = direction === 'undo' ? store.labelActions.nextUndo(projectId, annotator) : store.labelActions.nextRedo(projectId, annotator)
      if (!action) return { ok: true, ack: { step: null, labels: null, undo: this.undoState(projectId, annotator) } }
      const latest = store.annotations.latest(action.postId, action.modality)
      const ours = latest !== null && store.labelActions.wroteLast(projectId, annotator, latest.id)
      // An undo whose post carries someone else's label again (an undo of this stack restored it) would overwrite theirs.
      if (!ours || (direction === 'undo' && latest.annotator !== annotator)) {
        store.labelActions.move(action.id, 'dropped', action.lastAnnotationId)
        return { ok: false, step: stepOf(action), why: ours ? 'restored' : 'since', by: latest?.annotator ?? 'someone', at: latest?.createdAt ?? '' }
      }
      const { postId, modality, beforeAnnotationId } = action
      // A step recorded before migration 20 did not note the row before it (only its label): its undo appends that label, as then.
      const restores = direction === 'undo' && (beforeAnnotationId !== null || action.before === null)
      const annotationId = restores
        ? store.annotations.restore({ projectId, postId, modality, undone: latest, beforeId: beforeAnnotationId, actor: annotator, kind: 'undo' })
        : store.annotations.append({ projectId, postId, modality, label: direction === 'undo' ? action.before : action.after, source: action.source, kind: direction, annotator })
      store.labelActions.move(action.id, direction === 'undo' ? 'undone' : 'done', annotationId)
      return { ok: true, ack: { step: replayedStep(action, direction), labels: store.annotations.postLabels(action.postId), undo: this.undoState(projectId, annotator) } }
    }).immediate
  }

  /** Writes a label; `before` is whatever stood, whoever wrote it. The post must belong to the project. */
  set(req: LabelRequest & { source: LabelingSource }): LabelAck {
    const ack = this.setTx(req)
    this.store.checkpointSoon()
    return ack
  }

  undo(projectId: number, annotator: string): UndoAck {
    return this.replay(projectId, annotator, 'undo')
  }

  redo(projectId: number, annotator: string): UndoAck {
    return this.replay(projectId, annotator, 'redo')
  }

  undoState(projectId: number, annotator: string): UndoState {
    const undo = this.store.labelActions.nextUndo(projectId, annotator)
    const redo = this.store.labelActions.nextRedo(projectId, annotator)
    return { undo: undo && stepOf(undo), redo: redo && stepOf(redo) }
  }

  private replay(projectId: number, annotator: string, direction: Direction): UndoAck {
    const result = this.replayTx(projectId, annotator, direction)
    this.store.checkpointSoon()
    if (result.ok) return result.ack
    const { step } = result
    const why =
      result.why === 'since'
        ? `${result.by} labeled it since (${whenUtc(result.at)})`
        : `it carries ${result.by}'s label again, which your undo put back, and this undo would remove theirs`
    throw new AppError(
      'conflict',
      `Cannot ${direction} the ${step.modality} label of post ${step.externalId}: ${why}. ` + `That step is dropped; ${direction === 'undo' ? 'Undo' : 'Redo'} again to reach the one before it.`,
    )
  }
}

/** What an undo or redo just did, as a step from → to. */
const replayedStep = (action: LabelAction, direction: Direction): LabelStep =>
  direction === 'undo' ? { ...stepOf(action), from: action.after, to: action.before } : stepOf(action)
