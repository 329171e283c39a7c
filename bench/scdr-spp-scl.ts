// SPP-SCL as SCDR's auxiliary loss (`--spp-scl-aux`, ALGORITHMS §2.3–2.4 on SCDR's projections
// x_t = P_t·h, x_v = P_v·h of the labeled rows): how often step 2 of §2.4 is taken over a whole
// default run's batches, and, on fixed batches beside the PyTorch reference
// (bench/reference/scdr_options_reference.py, variant "aux"), the terms within 1 % and the step-2
// decision (identical on ≥ 95 % of batches), synced to the port's weights before each step and
// free-running.
//
//   npm run bench scdr-spp-scl   (CG_BENCH_DB=COPY for cached features, as the training bench)
import type { StepStats } from '#shared/runs'
import { makeConfig } from '#main/training/config'
import { statementCheck } from '#main/training/contrastive'
import type { HostBatch } from '#main/training/step'
import { train } from '#main/training/trainer'
import type { Bench, Figure } from './harness'
import { agreement, portSteps, referenceFeatures, referenceOn, reportTable, termRows, type BothWays } from './reference-steps'

const STEPS = 45
const AUX = 0.1
/** x = rows[0, l) · W (no bias: SCDR's projections P_t, P_v). */
function project(x: Float32Array, dimIn: number, l: number, w: Float32Array, dimOut: number): Float32Array {
  const out = new Float32Array(l * dimOut)
  for (let r = 0; r < l; r++) for (let k = 0; k < dimIn; k++) {
    const v = x[r * dimIn + k]!
    if (v !== 0) for (let j = 0; j < dimOut; j++) out[r * dimOut + j]! += v * w[k * dimOut + j]!
  }
  return out
}

/** §2.4's statement on a batch's labeled projections under given weights: count of S < mean diag, and ⌊2M/3⌋. */
function statementOn(b: HostBatch, weights: Record<string, Float32Array>, hidden: number): { count: number; bound: number } {
  const l = b.y.length
  const c = statementCheck(project(b.txt, b.dims.txt, l, weights.pt!, hidden), project(b.img, b.dims.img, l, weights.pv!, hidden), hidden, b.y)
  return { count: c.count, bound: Math.floor((2 * c.samePairs) / 3) }
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

const TERMS = ['loss', 'sclText', 'sclImage', 'sclInter', 'lsup', 'lu', 'lrec', 'lcyc', 'lort', 'lsim']

export const scdrSppScl: Bench = {
  name: 'scdr-spp-scl',
  onlyWhenNamed: true,
  async run() {
    const d = await referenceFeatures()
    const config = makeConfig('default', { method: 'scdr', scdr: { sppSclWeight: AUX } })
    const figures: Figure[] = []
    // A whole default run (its own batches, strong-view dropout, prior): the share of steps that took step 2.
    const run = await train({ config: { ...config, checkpointEvery: 0 }, data: d })
    const inter = run.curves.filter((p) => p.series === 'interStep')
    const rate = inter.reduce((a, p) => a + p.value, 0) / inter.length
    const half = (second: boolean) => {
      const part = inter.filter((p) => (p.step > config.steps / 2) === second)
      return part.reduce((a, p) => a + p.value, 0) / part.length
    }
    console.log(`whole run (${config.steps} steps, seed ${config.seed}): step 2 taken on ${(100 * rate).toFixed(1)} % of batches (first half ${(100 * half(false)).toFixed(1)} %, second half ${(100 * half(true)).toFixed(1)} %); test accuracy ${run.metrics.selected.test?.accuracy.toFixed(3)}`)
    figures.push({ bench: 'scdr-spp-scl', metric: `step 2 taken over a whole run (${config.steps} steps, aux ${AUX})`, value: 100 * rate, unit: '%' })
    const steps = portSteps(config, d, { steps: STEPS, sync: true, scheduleSteps: config.steps })
    const theirs = await referenceOn<BothWays<{ stats: StepStats[] }>>('scdr_options_reference.py', steps, { variant: 'aux' })
    if (!theirs) return figures
    const taken = steps.ours.filter((s) => s.interStep === 1).length
    // Why step 2 is (not) taken: the statement's two sides on the weights before each step.
    const sides = steps.batches.map((b, i) => statementOn(b, steps.synced![i]!, config.hidden))
    const b2 = config.batchLabeled ** 2
    console.log(`statement before each step (${STEPS} batches of ${config.batchLabeled}): count of S < mean diagonal, median ${median(sides.map((x) => x.count))} of ${b2} (${sides.filter((x) => x.count < x.bound).length} batches below ⌊2M/3⌋, median ⌊2M/3⌋ ${median(sides.map((x) => x.bound))})`)
    return [
      ...figures,
      ...reportTable('scdr-spp-scl', `SCDR + SPP-SCL aux ${AUX} vs PyTorch ${theirs.torch}, ${STEPS} steps`, [
        ...termRows(steps.ours, theirs, TERMS),
        { term: 'step-2 decision', agree: agreement(steps.ours, theirs.synced!.stats, 'interStep'), note: `same weights each step; port took step 2 on ${taken} of ${STEPS}` },
        { term: 'step-2 decision, free-running', agree: agreement(steps.ours, theirs.free.stats, 'interStep') },
      ]),
    ]
  },
}
