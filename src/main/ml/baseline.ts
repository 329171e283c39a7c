// The score a model must beat to be worth anything: always answering the most frequent class of
// its training labels, scored on the same posts it was scored on. On MVSA's test split "always
// positive" reaches about 64 % accuracy; a run below that has learned nothing usable.
import type { ClassificationReport } from '#shared/runs'
import type { Sentiment } from '#shared/vocabulary'
import { classificationReport } from './metrics'

export interface MajorityBaseline {
  /** The class it always answers. */
  label: Sentiment
  report: ClassificationReport
}

/** Index of the largest count; the first on a tie. */
const argmax = (counts: readonly number[]): number => counts.reduce((best, n, i) => (n > counts[best]! ? i : best), 0)

/**
 * Always `names[argmax(trainPerClass)]` (the truth's own majority when there are no training
 * labels), scored against posts whose true classes number `truthPerClass` (indices into `names`).
 * Null when there is nothing to score.
 */
export function majorityBaseline(truthPerClass: readonly number[], trainPerClass: readonly number[], names: readonly Sentiment[]): MajorityBaseline | null {
  const n = truthPerClass.reduce((a, b) => a + b, 0)
  if (n === 0) return null
  const answer = trainPerClass.some((c) => c > 0) ? argmax(trainPerClass) : argmax(truthPerClass)
  const truth = truthPerClass.flatMap((count, c) => new Array<number>(count).fill(c))
  return { label: names[answer]!, report: classificationReport(truth, new Array<number>(n).fill(answer), names) }
}

/**
 * What the majority class is taken from: the train pool's class mix when the run used a class
 * prior for it (π_pool, estimated or typed), else the training labels. Labels a person chose to
 * balance (7 / 7 / 6) would otherwise make "always neutral" the bar on a pool that is two-thirds
 * positive, and a model below "always positive" would look fine.
 */
export function majorityBasis(trainPerClass: readonly number[], prior: { source: string; pool: readonly number[] } | null | undefined): readonly number[] {
  return prior && prior.source !== 'off' && prior.pool.length === trainPerClass.length ? prior.pool : trainPerClass
}

/** True classes per class of a confusion matrix (rows are the truth). */
export const truthCounts = (confusion: readonly (readonly number[])[]): number[] => confusion.map((row) => row.reduce((a, b) => a + b, 0))
