// A review queue (a run's pseudo-labels, a label check's list) is fetched a page at a time as the
// reviewer nears the loaded end, and decided item by item. Where it shows only the items to decide
// (or only the decided ones), a decision takes its item out of the back end's list (or an undo puts
// one back) while the loaded items stay on screen: the next page then starts that much earlier (or
// later) than the count loaded. The run review and the label check both page through `queuePager`.
import { computed, ref, shallowRef, type ComputedRef, type Ref, type ShallowRef } from 'vue'

/**
 * How much earlier the back end's next page starts after an item went from pending to not (or back)
 * under `filter`: `'pending'` shows the items to decide only, `'decided'` the decided ones, any other all of them.
 */
function shiftAfterDecision(filter: string, wasPending: boolean, isPending: boolean): number {
  if (wasPending === isPending) return 0
  if (filter === 'pending') return isPending ? -1 : 1
  if (filter === 'decided') return isPending ? 1 : -1
  return 0
}

/**
 * Where the back end's next page starts after `loaded` items: earlier by the shift, once every
 * decision that made it has reached the back end (else its list has not moved yet), those made
 * while waiting included.
 */
async function nextOffset(writes: { readonly pending: number; settled(): Promise<void> }, loaded: number, shift: () => number): Promise<number> {
  while (shift() !== 0 && writes.pending > 0) await writes.settled()
  return loaded - shift()
}

/** A queue as `moveBy` sees it. */
interface PagedQueue {
  index: Ref<number>
  loaded(): number
  /** More items lie past the loaded ones, and no page is on its way. */
  canFetch(): boolean
  fetchNext(): Promise<void>
}

/**
 * Moves the queue's place by `delta`, at once as far as the loaded items go (a key pressed while a
 * page loads acts on the item shown, not again on the one just decided); near the loaded end it
 * fetches the next page, then goes the rest of the way unless the reviewer has moved meanwhile.
 */
async function moveBy(queue: PagedQueue, delta: number): Promise<void> {
  const next = queue.index.value + delta
  const clamp = (i: number): number => Math.max(0, Math.min(queue.loaded() - 1, i))
  const at = clamp(next)
  queue.index.value = at
  if (next < queue.loaded() - 5 || !queue.canFetch()) return
  await queue.fetchNext()
  if (queue.index.value === at && next > at) queue.index.value = clamp(next)
}

/** A page of a queue as the back end answers it. */
export interface QueuePage<T> {
  items: T[]
  /** Items under the filter in the back end's list when the page was read. */
  total: number
}

export interface QueuePagerOptions<P extends QueuePage<unknown>> {
  /** Where a failed page's reason goes (the store's error line, which its other calls share). */
  error: Ref<string | null>
  writes: { readonly pending: number; settled(): Promise<void> }
  describe: (err: unknown) => string
  /** The run or check shown (null: none): a page that comes for another is dropped. */
  source: () => number | null
  fetch: (source: number, offset: number) => Promise<P>
  /** The page's own figures (its counts), once it is taken. */
  took: (page: P) => void
}

export interface QueuePager<T> {
  /** The loaded items, the back end's count under the filter, the item shown, a page on its way. */
  items: ShallowRef<T[]>
  total: Ref<number>
  index: Ref<number>
  loading: Ref<boolean>
  atEnd: ComputedRef<boolean>
  /** The first page (0), replacing the list, or the page after the loaded items ('next'), extending it. */
  fetchPage(from: 0 | 'next'): Promise<void>
  move(delta: number): Promise<void>
  /** An item went from pending to not (or back) under `filter`: the next page starts elsewhere. */
  decided(filter: string, wasPending: boolean, isPending: boolean): void
}

/**
 * The paging both review queues share. A first page waits for the decisions on their way, so it
 * lists what they left; a page asked for before a first page is dropped when it comes (another
 * filter, order or run was chosen meanwhile); the next page starts where the back end's list now
 * continues (`nextOffset`); the end is what the back end had past the last page.
 */
export function queuePager<P extends QueuePage<unknown>>(q: QueuePagerOptions<P>): QueuePager<P['items'][number]> {
  type T = P['items'][number]
  const items = shallowRef<T[]>([])
  const total = ref(0)
  const index = ref(0)
  const loading = ref(false)
  /** Items that left the filter since the list was fetched: the next page starts that much earlier. */
  const shift = ref(0)
  /** Items the back end had past the loaded ones when the last page came (decisions here are all on loaded items). */
  const beyond = ref(0)
  const atEnd = computed(() => beyond.value <= 0)
  /** Bumped by each first page. */
  let generation = 0

  async function fetchPage(from: 0 | 'next'): Promise<void> {
    const id = q.source()
    if (id === null) return
    const asked = from === 0 ? ++generation : generation
    loading.value = true
    try {
      if (from === 0) await q.writes.settled()
      const offset = from === 0 ? 0 : await nextOffset(q.writes, items.value.length, () => shift.value)
      const page = await q.fetch(id, offset)
      if (id !== q.source() || asked !== generation) return
      if (offset === 0) shift.value = 0
      items.value = offset === 0 ? page.items : [...items.value, ...page.items]
      total.value = page.total
      beyond.value = page.total - offset - page.items.length
      q.took(page)
      q.error.value = null
    } catch (err) {
      q.error.value = q.describe(err)
    } finally {
      if (asked === generation) loading.value = false
    }
  }

  const paged: PagedQueue = { index, loaded: () => items.value.length, canFetch: () => !atEnd.value && !loading.value, fetchNext: () => fetchPage('next') }
  return {
    items,
    total,
    index,
    loading,
    atEnd,
    fetchPage,
    move: (delta) => moveBy(paged, delta),
    decided: (filter, wasPending, isPending) => void (shift.value += shiftAfterDecision(filter, wasPending, isPending)),
  }
}
