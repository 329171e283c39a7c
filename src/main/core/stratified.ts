// Stratified random sampling: each stratum (a split) gets a share of the picks in proportion to
// its size, so a first batch of labels looks like the whole data set.
import { sample, type Random } from './random'

/**
 * Splits `n` picks over strata in proportion to their sizes (largest remainder method): every
 * stratum gets the floor of its exact share, and the picks left go to the largest fractions.
 * Never more than a stratum holds, since `n` is capped at the total.
 */
export function allocate(sizes: ReadonlyMap<string, number>, n: number): Map<string, number> {
  const total = [...sizes.values()].reduce((a, b) => a + b, 0)
  const wanted = Math.min(n, total)
  const shares = [...sizes].map(([stratum, size], order) => {
    const exact = total === 0 ? 0 : (wanted * size) / total
    return { stratum, order, quota: Math.floor(exact), fraction: exact - Math.floor(exact) }
  })
  let left = wanted - shares.reduce((a, s) => a + s.quota, 0)
  for (const s of [...shares].sort((a, b) => b.fraction - a.fraction || a.order - b.order)) {
    if (left === 0) break
    s.quota++
    left--
  }
  return new Map(shares.map((s) => [s.stratum, s.quota]))
}

export interface StratifiedPick {
  id: number
  stratum: string
  /** Picks from this stratum, and how many it held. */
  picked: number
  size: number
}

/** Draws `n` ids over the strata, in a shuffled order so the strata mix in the queue. */
export function stratifiedSample(strata: ReadonlyMap<string, readonly number[]>, n: number, random: Random): StratifiedPick[] {
  const quotas = allocate(new Map([...strata].map(([s, ids]) => [s, ids.length])), n)
  const picks = [...strata].flatMap(([stratum, ids]) => {
    const picked = quotas.get(stratum) ?? 0
    return sample(ids, picked, random).map((id) => ({ id, stratum, picked, size: ids.length }))
  })
  return sample(picks, picks.length, random)
}
