// The labels a labeling session writes: a digit (on the modality T or I chose), undo and redo.
// They go through the write queue (lib/write-queue.ts): one at a time, in keypress order, and a
// label shows as saved only once the back end has acknowledged its commit. Until then the view
// shows it as unsaved on the post it was set on.
import { defineStore } from 'pinia'
import { ref, shallowRef, watch } from 'vue'
import type { LabelStep, UndoAck, UndoState } from '#shared/labeling'
import type { Modality, Sentiment } from '#shared/vocabulary'
import { api, errorMessage } from '../api/client'
import { retryWhenBusy } from '../api/busy-retry'
import { createWriteQueue, type SaveState } from '../lib/write-queue'
import { useAnnotatorStore } from './annotator'
import { useAppStore } from './app'
import { useLabelingQueueStore } from './labeling-queue'

/** "post p123 overall → positive" */
export const describeStep = (s: Pick<LabelStep, 'externalId' | 'modality' | 'to'>): string => `post ${s.externalId} ${s.modality} → ${s.to ?? 'cleared'}`

export const useLabelingWritesStore = defineStore('labeling-writes', () => {
  const annotator = useAnnotatorStore()
  const app = useAppStore()
  const queue = useLabelingQueueStore()

  /** After T or I, the modality the next digit labels; another post on screen forgets it. */
  const mode = ref<'text' | 'image' | null>(null)
  const undo = shallowRef<UndoState>({ undo: null, redo: null })
  const save = shallowRef<SaveState>({ state: 'idle' })
  /** Labels sent but not yet acknowledged, by `postId:modality`. */
  const unsaved = shallowRef<ReadonlyMap<string, Sentiment | null>>(new Map())
  /** Set when a label needs a name first: the view asks for it. */
  const needName = ref(false)

  const writes = createWriteQueue({
    onChange: (state) => (save.value = state),
    describe: errorMessage,
    retry: retryWhenBusy,
    onError: (err) => app.showError(err), // stays until dismissed, whatever is saved next
  })

  watch(
    () => queue.current?.post.id,
    () => (mode.value = null),
    { flush: 'sync' },
  )

  const unsavedKey = (postId: number, modality: Modality): string => `${postId}:${modality}`

  /** The key that asked for a name: it applies once a name is chosen (see `nameChosen`). */
  let waiting: (() => void) | null = null

  function requireName(retry: () => void): string | null {
    if (!annotator.name) {
      needName.value = true
      waiting = retry
    }
    return annotator.name
  }

  /** The name dialog closed: the key that opened it now applies, or nothing does if no name was chosen. */
  function nameChosen(): void {
    const retry = waiting
    waiting = null
    needName.value = false
    if (retry && annotator.name) retry()
  }

  /** A digit: labels the active modality; an overall label moves on to the next post. */
  function label(value: Sentiment | null, modality: Modality = mode.value ?? 'overall'): void {
    const item = queue.current
    const name = requireName(() => label(value, modality))
    const project = queue.projectId
    if (!item || !name || project === null) return
    const key = unsavedKey(item.post.id, modality)
    unsaved.value = new Map(unsaved.value).set(key, value)
    void writes.enqueue({
      what: describeStep({ externalId: item.post.externalId, modality, to: value }),
      run: async () => {
        try {
          const ack = await api.call('labels.set', { projectId: project, postId: item.post.id, modality, label: value, annotator: name })
          queue.setShownLabels(item.post.id, ack.labels)
          undo.value = ack.undo
          queue.refreshTotal()
        } finally {
          const rest = new Map(unsaved.value)
          rest.delete(key)
          unsaved.value = rest
        }
      },
    })
    mode.value = null
    if (modality === 'overall' && value !== null) void queue.next()
  }

  function replay(direction: 'undo' | 'redo'): void {
    const name = requireName(() => replay(direction))
    const project = queue.projectId
    if (!name || project === null) return
    void writes.enqueue({
      what: direction,
      run: async () => {
        let ack: UndoAck
        try {
          ack = await api.call(direction === 'undo' ? 'labels.undo' : 'labels.redo', { projectId: project, annotator: name })
        } catch (err) {
          void loadUndoState() // a dropped step changed the stack
          throw err
        }
        undo.value = ack.undo
        if (!ack.step || !ack.labels) return ack
        queue.setShownLabels(ack.step.postId, ack.labels)
        queue.refreshTotal()
        // The post the step was on comes on screen before the next key lands on one.
        if (queue.current?.post.id !== ack.step.postId) await queue.goTo(ack.step.postId)
        return ack
      },
      saved: (ack) => (ack.step && ack.labels ? `${direction}: ${describeStep(ack.step)}` : `nothing to ${direction}`),
    })
  }

  async function loadUndoState(): Promise<void> {
    if (!annotator.name || queue.projectId === null) return
    try {
      undo.value = await api.call('labels.undoState', { projectId: queue.projectId, annotator: annotator.name })
    } catch (err) {
      queue.queueError = errorMessage(err)
    }
  }

  function toggleMode(modality: 'text' | 'image'): void {
    mode.value = mode.value === modality ? null : modality
  }

  // Someone else (another window, another person) changed a post this session shows. While our
  // own writes are on their way, their acknowledgements bring the labels.
  api.on('labels.changed', (event) => {
    if (event.projectId === queue.projectId && writes.pending === 0) queue.refreshPost(event.postId)
  })

  return {
    mode,
    undo,
    save,
    unsaved,
    needName,
    nameChosen,
    unsavedKey,
    label,
    undoLast: () => replay('undo'),
    redoLast: () => replay('redo'),
    toggleMode,
    loadUndoState,
  }
})
