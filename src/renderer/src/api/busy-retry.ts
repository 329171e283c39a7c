// A write refused with 'busy' wrote nothing: another program held the store's write lock past the
// back end's wait (~5 s; an import written in place by the CLI holds it ~7 s at 100,000 posts).
// The write queues (lib/write-queue.ts) send it again, a few times, and say why meanwhile.
import { ApiError } from './api-error'

/** How many times a write refused because the store was busy is sent again. */
export const BUSY_RETRIES = 3

/** A write queue's `retry`: the reason shown first in the save status while a busy-refused write is sent again; null once it has been, BUSY_RETRIES times. */
export const retryWhenBusy = (err: unknown, attempt: number): string | null =>
  err instanceof ApiError && err.code === 'busy' && attempt <= BUSY_RETRIES
    ? `Store busy with another program; retry ${attempt} of ${BUSY_RETRIES}`
    : null
