// Label checks: start (off the event loop), cancel, list, the queue, decisions with undo.
import { labelCheckQueue } from '#main/review/label-check-queue'
import { LabelCheckWriter } from '#main/review/label-check-writer'
import { notFound } from '#main/core/errors'
import type { HandlerContext, HandlerGroup } from './context'
import { requireProject } from './lookups'

type LabelCheckMethods = 'labelCheck.start' | 'labelCheck.cancel' | 'labelCheck.list' | 'labelCheck.queue' | 'labelCheck.decide' | 'labelCheck.undo'

export function labelCheckHandlers({ store, events, labelChecks }: HandlerContext): HandlerGroup<LabelCheckMethods> {
  const writer = new LabelCheckWriter(store)
  const projectOf = (checkId: number): number => {
    const check = store.labelChecks.summary(checkId)
    if (!check) throw notFound(`No label check with id ${checkId}`)
    return check.projectId
  }
  const changed = (checkId: number, projectId: number, postId: number, annotator: string): void => {
    events.emit('labelCheck.changed', { checkId, projectId })
    events.emit('labels.changed', { projectId, postId, labels: store.annotations.postLabels(postId).labels, annotator })
  }

  return {
    handlers: {
      'labelCheck.start': ({ projectId, encoder }) => ({ checkId: labelChecks.start(requireProject(store, projectId), encoder) }),
      'labelCheck.cancel': ({ checkId }) => ({ cancelled: labelChecks.cancel(checkId) }),
      'labelCheck.list': ({ projectId }) => store.labelChecks.list(requireProject(store, projectId)),
      'labelCheck.queue': ({ checkId, filter, offset, limit }) => labelCheckQueue(store, checkId, filter, offset, limit),
      'labelCheck.decide': ({ checkId, postId, kind, annotator, replaces }) => {
        const decided = writer.decide({ checkId, postId, kind, annotator, replaces })
        changed(checkId, decided.projectId, postId, annotator)
        return { postId, decision: decided.decision, replaced: decided.replaced, undoable: true }
      },
      'labelCheck.undo': ({ checkId, annotator }) => {
        const projectId = projectOf(checkId)
        const undone = writer.undo(checkId, annotator)
        if (undone) changed(checkId, projectId, undone.postId, annotator)
        return { undone }
      },
    },
    dispose: () => labelChecks.cancelAll(),
  }
}
