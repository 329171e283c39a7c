import { expect, vi } from 'vitest'

/** A review store's queue as a reviewer walks it (stores/review.ts, stores/label-check.ts). */
export interface WalkedQueue {
  atEnd: boolean
  index: number
  items: readonly unknown[]
  loading: boolean
  move(delta: number): Promise<void>
}

/** ↓ until the last item, waiting for each page as a reviewer sees it load; at most `limit` moves. */
export async function walkToEnd(queue: WalkedQueue, limit: number): Promise<void> {
  for (let moves = 0; !(queue.atEnd && queue.index === queue.items.length - 1); moves++) {
    expect(moves).toBeLessThan(limit)
    await queue.move(1)
    await vi.waitFor(() => expect(queue.loading).toBe(false))
  }
}
