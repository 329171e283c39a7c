// The review queue of one run: its items in the order asked for (riskiest first by default), the
// one under review, and the decisions. A decision shows at once and moves on; the calls go out
// one after another through the write queue (lib/write-queue.ts), so a fast reviewer's keys land
// in order and an undo follows what it undoes.
import { defineStore } from 'pinia'
import { computed, ref, shallowRef, triggerRef } from 'vue'
import type { ReviewDecision, ReviewFilter, ReviewOrder, ReviewScope } from '#shared/review'
import type { Sentiment } from '#shared/vocabulary'
import { api, errorMessage } from '../api/client'
import { retryWhenBusy } from '../api/busy-retry'
import { queuePager } from '../lib/queue-paging'
import { createWriteQueue, type SaveState } from '../lib/write-queue'
import { useAnnotatorStore } from './annotator'

const PAGE = 100

/** The queue's order, filter and scope, remembered per run in this browser: a reload keeps the view. */
const VIEW_KEY = (runId: number): string => `cg.review.view.${runId}`
interface StoredView {
  order?: ReviewOrder
  filter?: ReviewFilter
  scope?: ReviewScope
}
function storedView(runId: number): StoredView {
  try {
    return JSON.parse(localStorage.getItem(VIEW_KEY(runId)) ?? '{}') as StoredView
  } catch {
    return {}
  }
}

const DONE: Record<ReviewDecision['kind'], string> = { accepted: 'accepted', corrected: 'corrected', rejected: 'rejected' }

export const useReviewStore = defineStore('review', () => {
  const annotator = useAnnotatorStore()
  const runId = ref<number | null>(null)
  const order = ref<ReviewOrder>('risk')
  const filter = ref<ReviewFilter>('all')
  /** Posts without a label of their own unless the reviewer asks for the labeled ones. */
  const scope = ref<ReviewScope>('unlabeled')
  /** The run's pseudo-labels on posts that carry a label (shown only on request). */
  const labeled = ref(0)
  const pending = ref(0)
  const error = ref<string | null>(null)
  const save = shallowRef<SaveState>({ state: 'idle' })
  const writes = createWriteQueue({ onChange: (state) => (save.value = state), describe: errorMessage, retry: retryWhenBusy })

  const { items, total, index, loading, atEnd, fetchPage, move, decided } = queuePager({
    error,
    writes,
    describe: errorMessage,
    source: () => runId.value,
    fetch: (id, offset) => api.call('review.queue', { runId: id, order: order.value, filter: filter.value, scope: scope.value, offset, limit: PAGE }),
    took: (page) => {
      pending.value = page.pending
      labeled.value = page.labeled
    },
  })
  const current = computed(() => items.value[index.value] ?? null)

  async function reload(keepPlace = false): Promise<void> {
    const postId = current.value?.postId
    await fetchPage(0)
    const at = keepPlace && postId !== undefined ? items.value.findIndex((i) => i.postId === postId) : -1
    index.value = at >= 0 ? at : 0
  }

  function remember(): void {
    if (runId.value !== null) localStorage.setItem(VIEW_KEY(runId.value), JSON.stringify({ order: order.value, filter: filter.value, scope: scope.value }))
  }

  function open(id: number): void {
    if (runId.value === id) return
    runId.value = id
    const view = storedView(id)
    order.value = view.order ?? 'risk'
    filter.value = view.filter ?? 'all'
    scope.value = view.scope ?? 'unlabeled'
    items.value = []
    total.value = 0
    index.value = 0
    writes.reset()
    void reload()
  }

  function setOrder(next: ReviewOrder): void {
    order.value = next
    remember()
    void reload()
  }
  function setFilter(next: ReviewFilter): void {
    filter.value = next
    remember()
    void reload()
  }
  function setScope(next: ReviewScope): void {
    scope.value = next
    remember()
    void reload()
  }

  function goTo(i: number): void {
    index.value = Math.max(0, Math.min(items.value.length - 1, i))
  }

  /** After a decision: the next item nobody has decided on, else simply the next one. */
  async function advance(): Promise<void> {
    const after = items.value.findIndex((item, i) => i > index.value && item.decision === null)
    await move(after >= 0 ? after - index.value : 1)
  }

  function setDecision(postId: number, decision: ReviewDecision | null): void {
    const item = items.value.find((i) => i.postId === postId)
    if (!item) return
    const wasPending = item.decision === null
    item.decision = decision
    if (wasPending && decision) pending.value--
    if (!wasPending && !decision) pending.value++
    decided(filter.value, wasPending, decision === null)
    triggerRef(items)
  }

  function decide(kind: 'accept' | 'correct' | 'reject', label?: Sentiment): void {
    const item = current.value
    const id = runId.value
    const name = annotator.name
    if (!item || id === null || !name) return
    const before = item.decision
    // A correction to the proposed label is an accept (the back end stores it as one).
    const decision: ReviewDecision =
      kind === 'accept' || label === item.proposed ? { kind: 'accepted', label: item.proposed } : kind === 'correct' ? { kind: 'corrected', label } : { kind: 'rejected' }
    // The same decision again changes nothing: it moves on, writing nothing (a key pressed twice, or again on an item already decided).
    if (before?.kind === decision.kind && before.label === decision.label) return void advance()
    // The post's own label is on screen (ReviewEvidence): the decision names it as the one it replaces.
    const replaces = decision.kind !== 'rejected' && item.existing?.label ? { replaces: item.existing.label } : {}
    const over = replaces.replaces && replaces.replaces !== decision.label ? `, replacing ${replaces.replaces}` : ''
    setDecision(item.postId, decision)
    void writes.enqueue({
      what: `post ${item.externalId} ${DONE[decision.kind]}${decision.kind === 'corrected' ? ` to ${label}` : ''}${over}`,
      run: () => api.call('review.decide', { runId: id, postId: item.postId, kind, ...(label ? { label } : {}), annotator: name, ...replaces }),
      onFail: () => setDecision(item.postId, before),
    })
    void advance()
  }

  async function undo(): Promise<void> {
    const id = runId.value
    const name = annotator.name
    if (id === null || !name) return
    const answer = await writes.enqueue({
      what: 'undo',
      run: () => api.call('review.undo', { runId: id, annotator: name }),
      saved: ({ undone }) =>
        undone ? `undo: post ${items.value.find((i) => i.postId === undone.postId)?.externalId ?? undone.postId}` : 'nothing left to undo',
    })
    const undone = answer?.undone
    if (!undone) return
    if (undone.posts > 1 || !items.value.some((i) => i.postId === undone.postId)) {
      await reload()
    } else {
      setDecision(undone.postId, null)
    }
    const at = items.value.findIndex((i) => i.postId === undone.postId)
    if (at >= 0) index.value = at
  }

  /** Counts again after a change made elsewhere (another window, a bulk accept). */
  async function refreshCounts(): Promise<void> {
    await writes.settled()
    const id = runId.value
    if (id === null) return
    try {
      const page = await api.call('review.queue', { runId: id, order: order.value, filter: filter.value, scope: scope.value, offset: 0, limit: 1 })
      pending.value = page.pending
      labeled.value = page.labeled
    } catch (err) {
      error.value = errorMessage(err)
    }
  }

  api.on('review.changed', (event) => {
    if (event.runId === runId.value && writes.pending === 0) void refreshCounts()
  })

  return { runId, order, filter, scope, labeled, setScope, items, total, pending, index, loading, error, save, current, atEnd, open, reload, setOrder, setFilter, move, goTo, decide, undo, refreshCounts }
})
