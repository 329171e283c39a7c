// A review queue (a run's pseudo-labels, a label check's list) is fetched a page at a time as the
// reviewer nears the loaded end, and decided item by item. Where it shows only the items to decide
// (or only the decided ones), a decision takes its item out of the back end's list (or an undo puts
// one back) while the loaded items stay on screen: the next page then starts that much earlier (or
// later) than the count loaded. The run review and the label check both page this way.
import type { Ref } from 'vue'

/**
 * How much earlier the back end's next page starts after an item went from pending to not (or back)
 * under `filter`: `'pending'` shows the items to decide only, `'decided'` the decided ones, any other all of them.
 */
export function shiftAfterDecision(filter: string, wasPending: boolean, isPending: boolean): number {
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
export async function nextOffset(writes: { readonly pending: number; settled(): Promise<void> }, loaded: number, shift: () => number): Promise<number> {
  while (shift() !== 0 && writes.pending > 0) await writes.settled()
  return loaded - shift()
}

/** A queue as `moveBy` sees it. */
export interface PagedQueue {
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
export async function moveBy(queue: PagedQueue, delta: number): Promise<void> {
  const next = queue.index.value + delta
  const clamp = (i: number): number => Math.max(0, Math.min(queue.loaded() - 1, i))
  const at = clamp(next)
  queue.index.value = at
  if (next < queue.loaded() - 5 || !queue.canFetch()) return
  await queue.fetchNext()
  if (queue.index.value === at && next > at) queue.index.value = clamp(next)
}
