// Seeded randomness, so a suggestion can be repeated (tests, "same picks again") from its seed.

export type Random = () => number

/** mulberry32: a small, fast 32-bit generator; plenty for sampling posts. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** `k` distinct items drawn uniformly (a partial Fisher–Yates shuffle of a copy), in drawn order. */
export function sample<T>(items: readonly T[], k: number, random: Random): T[] {
  const pool = items.slice()
  const n = Math.min(k, pool.length)
  for (let i = 0; i < n; i++) {
    const j = i + Math.floor(random() * (pool.length - i))
    ;[pool[i], pool[j]] = [pool[j]!, pool[i]!]
  }
  return pool.slice(0, n)
}
