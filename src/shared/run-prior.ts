// The class prior of a run (issue 11): how it is obtained (config group `prior`), what a run used
// (stored on the run, shown in its details), and the self-training method's settings.
import * as v from 'valibot'

/** Where a run's pool prior π_pool came from. */
export const PRIOR_SOURCES = ['sample', 'typed', 'estimate', 'labeled', 'off'] as const
export type PriorSource = (typeof PRIOR_SOURCES)[number]

const probabilities = v.array(v.pipe(v.number(), v.finite(), v.minValue(0), v.maxValue(1)))
/**
 * The class prior a run used, per class in CONFUSION_ORDER (negative, neutral, positive): π_pool of
 * the train pool, π_L the class mix of the labeled posts it trained on, π_u of its unlabeled posts.
 * Predictions are z + log π_pool − log π_L; unlabeled losses align with log π_u − log π_L.
 */
export const RunPrior = v.object({
  source: v.picklist(PRIOR_SOURCES),
  /** How it was obtained, in words (shown in the run's details). */
  detail: v.string(),
  pool: probabilities,
  labeled: probabilities,
  unlabeled: probabilities,
  /** Random labels it was estimated from (source 'sample'). */
  sampleSize: v.pipe(v.number(), v.integer(), v.minValue(0)),
})
export type RunPrior = v.InferOutput<typeof RunPrior>

/** How a run obtains its prior (config group `prior`). */
export interface PriorSettings {
  /** 'auto': a random labeled sample, else a guarded estimate; 'typed': the three values below; 'off': no adjustment. */
  mode: 'auto' | 'typed' | 'off'
  /** A typed prior (any positive scale; normalised). */
  negative: number
  neutral: number
  positive: number
  /** Labeled train posts outside the labeled subset, drawn at random, that estimate the prior (0 = none). */
  sample: number
}

/** Self-training of a linear head (config group `selfTraining`). */
export interface SelfTrainingSettings {
  /** Pseudo-labeling rounds after the supervised fit. */
  rounds: number
  /** Confidence a pseudo-label needs (after the prior) to join the next round's training set. */
  threshold: number
  /** L2 weight decay = this / training rows. */
  decayRows: number
}

