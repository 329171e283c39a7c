// The warning for a class prior that leaves a class almost out, shown in the launch dialog and on a
// run's page (renderer/lib/prior-warning.ts).
import { describe, expect, it } from 'vitest'
import type { RunPrior } from '#shared/runs'
import { priorWarning } from '#renderer/lib/prior-warning'

const prior = (source: RunPrior['source'], pool: number[]): RunPrior => ({ source, detail: '', pool, labeled: [1 / 3, 1 / 3, 1 / 3], unlabeled: pool, sampleSize: 100 })

describe('the prior warning', () => {
  it('names the class a sampled prior leaves almost out, and where such a sample comes from', () => {
    // The walk's project: 100 random labels from the posts a per-class draw left, 1 / 1 / 98 %.
    const warning = priorWarning(prior('sample', [0.01, 0.01, 0.98]))
    expect(warning).toMatch(/^The prior puts negative at 1 % and neutral at 1 %: a run adjusted by it hardly ever predicts negative or neutral\. /)
    expect(warning).toContain('outside the labeled subset')
    expect(warning).toMatch(/type the prior when starting the run\.$/)
  })

  it('is silent for MVSA-like priors, for no adjustment, and says only the first part for a typed one', () => {
    // A 600-label per-class draw on MVSA: neutral at 6 %.
    expect(priorWarning(prior('sample', [0.29, 0.06, 0.65]))).toBeNull()
    expect(priorWarning(prior('off', [0.01, 0.01, 0.98]))).toBeNull()
    expect(priorWarning(prior('labeled', [0.01, 0.01, 0.98]))).toBeNull()
    const typed = priorWarning(prior('typed', [0.2, 0.02, 0.78]))
    expect(typed).toBe("The prior puts neutral at 2 %: a run adjusted by it hardly ever predicts neutral. If that is not these posts' mix, change the typed values when starting the run.")
  })
})
