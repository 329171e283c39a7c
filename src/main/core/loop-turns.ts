// Long synchronous loops on the shell's event loop (an import reading 100,000 records, k-center
// over features) give it a turn now and then, so other requests are answered meanwhile; and the
// one turn every chunked writer and paged reader takes between two pieces of work.
import { setImmediate } from 'node:timers/promises'

/** One turn of the event loop: what is due (messages, timers, I/O) runs before the caller goes on. */
export const nextTurn = (): Promise<void> => setImmediate()

/** Milliseconds of work between two turns: well under the 50 ms a request may wait. */
export const TURN_EVERY_MS = 10

/** A function to await in a loop: it gives the event loop a turn once `everyMs` of work has passed since the last. */
export function loopTurns(everyMs = TURN_EVERY_MS): () => Promise<void> {
  let last = performance.now()
  return async () => {
    if (performance.now() - last < everyMs) return
    await nextTurn()
    last = performance.now()
  }
}

/** `each` on every item in order, the event loop given a turn every TURN_EVERY_MS: a `forEach` that does not hold the loop. */
export async function forEachInTurns<T>(items: Iterable<T>, each: (item: T, index: number) => void): Promise<void> {
  const turn = loopTurns()
  let index = 0
  for (const item of items) {
    await turn()
    each(item, index++)
  }
}
