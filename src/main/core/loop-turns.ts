// Long synchronous loops on the shell's event loop (an import reading 100,000 records) give it a
// turn now and then, so other requests are answered meanwhile.
import { setImmediate as nextTurn } from 'node:timers/promises'

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
