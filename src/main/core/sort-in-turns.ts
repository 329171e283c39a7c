// A sort that gives the event loop turns: Array.prototype.sort is one call, and 100,000 file names
// compared by a collator held the shell's loop ~0.3 s. Runs of a few thousand are sorted by the
// engine, then merged pairwise with a turn every thousand or so items. Stable, as Array's sort is.
// Hand-written: the sort libraries on npm (timsort and the like) are synchronous too.

/** Items per run sorted in one call: a few milliseconds with a collator. */
const RUN = 4096
/** Items merged between two calls of `turn`. */
const MERGE_STEP = 1024

/** A new array of `items` sorted by `compare` (stable), `turn` awaited between pieces of work. */
export async function sortInTurns<T>(items: readonly T[], compare: (a: T, b: T) => number, turn: () => Promise<void>): Promise<T[]> {
  let runs: T[][] = []
  for (let at = 0; at < items.length; at += RUN) {
    runs.push(items.slice(at, at + RUN).sort(compare))
    await turn()
  }
  while (runs.length > 1) {
    const merged: T[][] = []
    for (let k = 0; k < runs.length; k += 2) merged.push(k + 1 < runs.length ? await merge(runs[k]!, runs[k + 1]!, compare, turn) : runs[k]!)
    runs = merged
  }
  return runs[0] ?? []
}

/** `a` and `b` (each sorted) as one sorted array; on a tie `a`'s item comes first, which keeps the sort stable. */
async function merge<T>(a: T[], b: T[], compare: (a: T, b: T) => number, turn: () => Promise<void>): Promise<T[]> {
  const out: T[] = []
  let i = 0
  let j = 0
  while (i < a.length && j < b.length) {
    out.push(compare(b[j]!, a[i]!) < 0 ? b[j++]! : a[i++]!)
    if (out.length % MERGE_STEP === 0) await turn()
  }
  for (; i < a.length; i++) out.push(a[i]!)
  for (; j < b.length; j++) out.push(b[j]!)
  return out
}
