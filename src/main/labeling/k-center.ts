// Greedy k-center (the core-set selection of Sener & Savarese, 2018): each pick is the candidate
// farthest from everything labeled or picked so far, so a batch covers the feature space instead
// of piling up in its densest part. Work is sliced so label requests keep being answered meanwhile.
import { loopTurns } from '#main/core/loop-turns'

/** Milliseconds of work between two turns of the event loop: a label request never waits long on this. */
const SLICE_MS = 8

export interface CenterPick {
  /** Index into the candidates. */
  index: number
  /** Euclidean distance to the nearest labeled or earlier-picked post; null for a typical-post start. */
  distance: number | null
}

function squaredDistance(a: Float32Array, b: Float32Array): number {
  let sum = 0
  for (let i = 0; i < a.length; i++) {
    const d = a[i]! - b[i]!
    sum += d * d
  }
  return sum
}

/**
 * Picks up to `k` candidates. With no labeled centers it starts from the candidate nearest the
 * mean (the most typical post), then goes farthest-first.
 */
export async function kCenterGreedy(
  candidates: readonly Float32Array[],
  centers: readonly Float32Array[],
  k: number,
  turn = loopTurns(SLICE_MS),
): Promise<CenterPick[]> {
  const nearest = new Float64Array(candidates.length).fill(Infinity)
  const picks: CenterPick[] = []
  const cover = async (center: Float32Array): Promise<void> => {
    for (let i = 0; i < candidates.length; i++) {
      if (nearest[i]! > 0) nearest[i] = Math.min(nearest[i]!, squaredDistance(candidates[i]!, center))
    }
    await turn()
  }
  for (const center of centers) await cover(center)
  if (centers.length === 0 && candidates.length > 0 && k > 0) {
    const first = nearestTo(mean(candidates), candidates)
    picks.push({ index: first, distance: null })
    await cover(candidates[first]!)
  }
  while (picks.length < Math.min(k, candidates.length)) {
    let best = -1
    for (let i = 0; i < candidates.length; i++) if (best < 0 || nearest[i]! > nearest[best]!) best = i
    // Everything left duplicates a center: more picks would add nothing.
    if (nearest[best]! <= 0) break
    picks.push({ index: best, distance: Math.sqrt(nearest[best]!) })
    await cover(candidates[best]!)
  }
  return picks
}

function mean(vectors: readonly Float32Array[]): Float32Array {
  const out = new Float32Array(vectors[0]!.length)
  for (const v of vectors) for (let i = 0; i < out.length; i++) out[i]! += v[i]! / vectors.length
  return out
}

function nearestTo(point: Float32Array, vectors: readonly Float32Array[]): number {
  let best = 0
  for (let i = 1; i < vectors.length; i++) if (squaredDistance(vectors[i]!, point) < squaredDistance(vectors[best]!, point)) best = i
  return best
}
