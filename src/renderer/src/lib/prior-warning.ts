// What the launch dialog and a run's page say when the class prior leaves a class almost out:
// adjusted by log π_pool − log π_L, a run whose π_pool gives a class 1 % hardly ever predicts it. A
// walk met it on a 300-post project: 60 labels drawn 20 per class took 20 of its 22 neutral train
// posts, and the random labels the prior comes from, drawn from the posts left, put neutral at 1 %.
import type { RunPrior } from '#shared/runs'
import { CONFUSION_ORDER } from '#shared/vocabulary'

/** Below this share of π_pool, a class is called almost left out. */
export const RARE_PRIOR = 0.03

/** The warning for a prior that gives some class under RARE_PRIOR, or null. */
export function priorWarning(prior: RunPrior): string | null {
  if (prior.source === 'off' || prior.source === 'labeled') return null
  const rare = CONFUSION_ORDER.filter((_, c) => (prior.pool[c] ?? 0) < RARE_PRIOR)
  if (rare.length === 0) return null
  const shares = rare.map((name) => `${name} at ${Math.round(100 * prior.pool[CONFUSION_ORDER.indexOf(name)]!)} %`).join(' and ')
  const why =
    prior.source === 'sample'
      ? ' The random labels come from the train posts outside the labeled subset: a subset drawn the same number per class may have taken most of a class, leaving it rare there.'
      : ''
  const act = prior.source === 'typed' ? 'change the typed values' : 'type the prior'
  return `The prior puts ${shares}: a run adjusted by it hardly ever predicts ${rare.join(' or ')}.${why} If that is not these posts' mix, ${act} when starting the run.`
}
