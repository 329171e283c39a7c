import { setTimeout as sleep } from 'node:timers/promises'

/**
 * Waits for `work` to settle (resolve or reject), or `ms` at most, whichever comes first; says
 * which. The bound's timer is unref'd: once the work has stopped it holds nothing open. A quitting
 * app waits so for its threads to stop (electron/index.ts), and quits either way.
 */
export async function settledWithin(work: Promise<unknown>, ms: number): Promise<'settled' | 'timed out'> {
  const settled = work.then(
    () => 'settled' as const,
    () => 'settled' as const,
  )
  return await Promise.race([settled, sleep(ms, 'timed out' as const, { ref: false })])
}
