// The label check queue of one project: its checks, the one under review, its listed posts (least
// self-confident first), and the decisions. As in the run review (stores/review.ts), a decision
// shows at once and moves on, and the calls go out in keypress order through the write queue; the
// list comes a page at a time as the reviewer nears its end, and the count to decide is the check's
// own (every listed post), not the loaded pages'.
import { defineStore } from 'pinia'
import { computed, ref, shallowRef, triggerRef } from 'vue'
import type { LabelCheckDecision, LabelCheckFilter, LabelCheckProgress, LabelCheckSummary } from '#shared/label-check'
import { api, errorMessage } from '../api/client'
import { retryWhenBusy } from '../api/busy-retry'
import { queuePager } from '../lib/queue-paging'
import { createWriteQueue, type SaveState } from '../lib/write-queue'
import { useAnnotatorStore } from './annotator'

const PAGE = 200

export const useLabelCheckStore = defineStore('labelCheck', () => {
  const annotator = useAnnotatorStore()
  const projectId = ref<number | null>(null)
  const checks = ref<LabelCheckSummary[]>([])
  const checkId = ref<number | null>(null)
  /** The listed posts shown: all of them, those to decide, or those decided. */
  const filter = ref<LabelCheckFilter>('all')
  /** Listed posts nobody has decided on: the check's count, kept as decisions are made here. */
  const pending = ref(0)
  const error = ref<string | null>(null)
  /** The running check's progress as the contract sends it (its phase, done / total, time left). */
  const progress = ref<Pick<LabelCheckProgress, 'phase' | 'done' | 'total' | 'etaMs'> | null>(null)
  const save = shallowRef<SaveState>({ state: 'idle' })
  const writes = createWriteQueue({ onChange: (state) => (save.value = state), describe: errorMessage, retry: retryWhenBusy })

  const check = computed(() => checks.value.find((c) => c.id === checkId.value) ?? null)
  const running = computed(() => checks.value.find((c) => c.status === 'running') ?? null)

  async function loadChecks(): Promise<void> {
    if (projectId.value === null) return
    try {
      checks.value = await api.call('labelCheck.list', { projectId: projectId.value })
    } catch (err) {
      error.value = errorMessage(err)
    }
  }

  const { items, total, index, loading, atEnd, fetchPage, move, decided } = queuePager({
    error,
    writes,
    describe: errorMessage,
    source: () => checkId.value,
    fetch: (id, offset) => api.call('labelCheck.queue', { checkId: id, filter: filter.value, offset, limit: PAGE }),
    took: (page) => void (pending.value = page.check.pending),
  })
  const current = computed(() => items.value[index.value] ?? null)

  /** Opens the project's check `id`, or its latest finished one. */
  async function open(project: number, id: number | null): Promise<void> {
    projectId.value = project
    await loadChecks()
    const next = id ?? checks.value.find((c) => c.status === 'done')?.id ?? null
    if (next === checkId.value) return
    checkId.value = next
    filter.value = 'all'
    items.value = []
    total.value = 0
    pending.value = 0
    index.value = 0
    writes.reset()
    await fetchPage(0)
  }

  async function start(): Promise<number | null> {
    if (projectId.value === null) return null
    try {
      const { checkId: id } = await api.call('labelCheck.start', { projectId: projectId.value })
      progress.value = { phase: 'starting', done: 0, total: 1, etaMs: null }
      await loadChecks()
      return id
    } catch (err) {
      error.value = errorMessage(err)
      return null
    }
  }

  async function cancel(): Promise<void> {
    if (running.value) await api.call('labelCheck.cancel', { checkId: running.value.id })
  }

  async function setFilter(next: LabelCheckFilter): Promise<void> {
    filter.value = next
    index.value = 0
    await fetchPage(0)
  }

  function goTo(i: number): void {
    index.value = Math.max(0, Math.min(items.value.length - 1, i))
  }

  function setDecision(postId: number, decision: LabelCheckDecision | null): void {
    const item = items.value.find((i) => i.postId === postId)
    if (!item) return
    const wasPending = item.decision === null
    if (wasPending && decision) pending.value--
    if (!wasPending && !decision) pending.value++
    decided(filter.value, wasPending, decision === null)
    item.decision = decision
    triggerRef(items)
  }

  function decide(kind: 'accept' | 'keep'): void {
    const item = current.value
    const id = checkId.value
    const name = annotator.name
    if (!item || id === null || !name) return
    const before = item.decision
    const after = items.value.findIndex((it, i) => i > index.value && it.decision === null)
    const next = (): void => void move(after >= 0 ? after - index.value : 1)
    // The same decision again changes nothing: it moves on, writing nothing (a key pressed twice, or again on an item already decided).
    if (before?.kind === (kind === 'accept' ? 'accepted' : 'kept')) return next()
    // The post's current label is on screen: an accept names it as the one it replaces.
    const replaces = kind === 'accept' && item.current?.label ? { replaces: item.current.label } : {}
    setDecision(item.postId, kind === 'accept' ? { kind: 'accepted', label: item.suggested, annotator: name } : { kind: 'kept', annotator: name })
    void writes.enqueue({
      what: kind === 'accept' ? `post ${item.externalId} relabeled ${item.suggested}${replaces.replaces ? `, replacing ${replaces.replaces}` : ''}` : `post ${item.externalId}: ${item.given} kept`,
      run: () => api.call('labelCheck.decide', { checkId: id, postId: item.postId, kind, annotator: name, ...replaces }),
      onFail: () => setDecision(item.postId, before),
    })
    next()
  }

  async function undo(): Promise<void> {
    const id = checkId.value
    const name = annotator.name
    if (id === null || !name) return
    const answer = await writes.enqueue({
      what: 'undo',
      run: () => api.call('labelCheck.undo', { checkId: id, annotator: name }),
      saved: ({ undone }) => (undone ? `undo: post ${items.value.find((i) => i.postId === undone.postId)?.externalId ?? undone.postId}` : 'nothing left to undo'),
    })
    const undone = answer?.undone
    if (!undone) return
    // Shown here: it is to decide again (its label is back as it was); else the list is read again.
    if (items.value.some((i) => i.postId === undone.postId)) setDecision(undone.postId, null)
    else await fetchPage(0)
    index.value = Math.max(0, items.value.findIndex((i) => i.postId === undone.postId))
  }

  /** Counts again after a decision made elsewhere (another window, the command line). */
  async function refreshCounts(): Promise<void> {
    await writes.settled()
    await loadChecks()
    if (check.value) pending.value = check.value.pending
  }

  api.on('labelCheck.progress', (event) => {
    if (event.projectId === projectId.value) progress.value = { phase: event.phase, done: event.done, total: event.total, etaMs: event.etaMs }
  })
  api.on('labelCheck.finished', async (event) => {
    if (event.projectId !== projectId.value) return
    progress.value = null
    if (event.error) error.value = `Label check ${event.checkId} failed: ${event.error}`
    await loadChecks()
    if (event.status === 'done') {
      checkId.value = event.checkId
      filter.value = 'all'
      index.value = 0
      await fetchPage(0)
    }
  })
  api.on('labelCheck.changed', (event) => {
    if (event.checkId === checkId.value && writes.pending === 0) void refreshCounts()
  })

  return { projectId, checks, checkId, check, running, filter, setFilter, items, total, pending, atEnd, index, loading, error, progress, save, current, open, start, cancel, move, goTo, decide, undo }
})
