// The batch loop both extraction runs share: decode the next batch while this one is encoded and
// written, and stop between batches when asked. A stopped loop still waits for the prefetch it
// started, so sharp is never left decoding for nobody.
import type { PlanItem } from './plan'
import { prepareBatch, type PreparedBatch, type ViewSettings } from './prepare'

/** Runs `handle` on each prepared batch in order; resolves `true` when it stopped early. */
export async function forEachPreparedBatch(
  batches: readonly PlanItem[][],
  settings: ViewSettings,
  stopRequested: () => boolean,
  handle: (batch: PreparedBatch, items: readonly PlanItem[]) => Promise<void>,
): Promise<boolean> {
  let next = batches.length > 0 ? prepareBatch(batches[0]!, settings) : null
  for (let i = 0; i < batches.length; i++) {
    const batch = await next!
    next = i + 1 < batches.length ? prepareBatch(batches[i + 1]!, settings) : null
    await handle(batch, batches[i]!)
    if (stopRequested() && next) {
      await next
      return true
    }
  }
  return false
}

/** Each post's external id, for naming it in a problem. */
export function externalIdsOf(items: readonly PlanItem[]): Map<number, string> {
  return new Map(items.map((item) => [item.post.id, item.post.externalId]))
}
