// The labeled subset of a run (ALGORITHMS §1.8): drawn from the posts' human labels, stratified by
// class, seeded, and stored on the run as post ids (a TypeScript port cannot repeat NumPy's draw,
// so the ids themselves are what makes a run repeatable).
import { sample, seededRandom } from '#main/core/random'
import { allocate } from '#main/core/stratified'

export interface LabeledCandidate {
  id: number
  /** Class index 0..classes−1. */
  label: number
}

/** 'per-class': n/C of each class, as SCRD (200 each for 600); 'proportional': the labels' own class mix. */
export type SubsetMode = 'per-class' | 'proportional'

export interface LabeledSubset {
  /** Post ids, ascending. */
  ids: number[]
  /** How many were drawn from each class (fewer than asked where a class has fewer posts). */
  perClass: number[]
}

export function drawLabeledSubset(candidates: readonly LabeledCandidate[], n: number, mode: SubsetMode, seed: number, classes: number): LabeledSubset {
  const byClass = Array.from({ length: classes }, () => [] as number[])
  // Sorted ids: the draw depends on the seed and the posts, not on the order they were read in.
  for (const c of [...candidates].sort((a, b) => a.id - b.id)) byClass[c.label]!.push(c.id)
  const quotas =
    mode === 'proportional'
      ? allocate(new Map(byClass.map((ids, c) => [String(c), ids.length])), n)
      : new Map(byClass.map((ids, c) => [String(c), Math.min(ids.length, Math.floor(n / classes) + (c < n % classes ? 1 : 0))]))
  const random = seededRandom(seed)
  const picked = byClass.map((ids, c) => sample(ids, quotas.get(String(c)) ?? 0, random))
  return { ids: picked.flat().sort((a, b) => a - b), perClass: picked.map((p) => p.length) }
}
