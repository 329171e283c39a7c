// SPP-SCL side by side with a PyTorch reference (bench/reference/spp_scl_reference.py, written from
// ALGORITHMS §2.3–2.4 and §8.2): from the port's initial weights, on the port's batches and learning
// rates, every step's loss terms (within 1 %) and its step-2 decision (identical on ≥ 95 % of batches).
// Dropout is set to 0 for the comparison: the two cannot draw the same masks.
//
//   npm run bench spp-scl   (CG_BENCH_DB=COPY for cached features, as the training bench)
import type { StepStats } from '#shared/runs'
import { makeConfig } from '#main/training/config'
import type { Bench } from './harness'
import { agreement, portSteps, referenceFeatures, referenceOn, reportTable, termGaps } from './reference-steps'

const STEPS = 60
const TERMS = ['loss', 'lx', 'sclText', 'sclImage', 'sclInter'] as const

export const sppScl: Bench = {
  name: 'spp-scl',
  onlyWhenNamed: true,
  async run() {
    const d = await referenceFeatures()
    const config = makeConfig('default', { method: 'spp-scl', sppScl: { dropout: 0 } })
    const steps = portSteps(config, d, { steps: STEPS })
    const taken = steps.ours.filter((s) => s.interStep === 1).length
    console.log(`step 2 taken on ${taken} of ${STEPS} batches (port)`)
    const theirs = await referenceOn<{ stats: StepStats[] }>('spp_scl_reference.py', steps)
    if (!theirs) return []
    // A term is compared where both ran it (step 2's loss only where both took step 2).
    const gaps = termGaps(steps.ours, theirs.stats, TERMS)
    return reportTable('spp-scl', `SPP-SCL vs PyTorch ${theirs.torch}, ${STEPS} steps`, [
      ...TERMS.map((term) => ({ term, gap: gaps[term]! })),
      { term: 'step-2 decision', agree: agreement(steps.ours, theirs.stats, 'interStep'), note: `port took step 2 on ${taken} of ${STEPS}` },
    ])
  },
}
