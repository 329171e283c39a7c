// ULGM (Self-MM's unimodal label generation, ALGORITHMS §4.2, §8.3) side by side with a PyTorch
// reference written from ALGORITHMS.md (bench/reference/ulgm_reference.py): from the port's initial
// weights, on the port's batches, learning rates and epochs, per step the loss terms (within 1 %)
// and the generated text and image labels of every labeled post after the step's update (within
// 1e-4 absolute or 1 %). Two runs: supervised with ULGM (fused CE + the tanh(|Y_s − Y_m|)-weighted
// L1 per modality) and SCDR with ULGM (its text and image heads learn the generated labels as class
// targets). Epochs of 15 steps, so the label update (from epoch 2) runs on two thirds of the steps.
// The reference runs twice: synced to the port's weights before every step (the per-step check: the
// same weights, so the gaps are the implementations' own) and free-running from the initial weights
// (how long two float32 trajectories stay within 1 %).
//
//   npm run bench ulgm   (CG_BENCH_DB=COPY for cached features, as the training bench)
import type { StepStats, TrainingConfig } from '#shared/runs'
import { makeConfig } from '#main/training/config'
import type { Matrix, TrainingData } from '#main/training/data'
import { UlgmBank } from '#main/training/ulgm'
import type { Bench, Figure } from './harness'
import { portSteps, referenceFeatures, referenceOn, reportTable, termRows, type BothWays } from './reference-steps'

const STEPS = 45
const EPOCH = 15
const LABEL_ABS = 1e-4
const LABEL_REL = 0.01

interface Labels {
  t: number[]
  v: number[]
}

/** Largest |ours − theirs| over every label of every step, and the share of labels within 1e-4 or 1 %. */
function labelGaps(ours: Labels[], theirs: Labels[]): { max: number; within: number } {
  let max = 0
  let n = 0
  let within = 0
  ours.forEach((o, i) => {
    for (const s of ['t', 'v'] as const) {
      o[s].forEach((a, r) => {
        const b = theirs[i]![s][r]!
        const gap = Math.abs(a - b)
        max = Math.max(max, gap)
        n++
        if (gap <= LABEL_ABS || gap <= LABEL_REL * Math.abs(b)) within++
      })
    }
  })
  return { max, within: within / n }
}

async function side(name: string, config: TrainingConfig, d: TrainingData<Matrix>, terms: readonly string[]): Promise<Figure[]> {
  const labels: Labels[] = []
  let moved = 0
  const steps = portSteps(config, d, {
    steps: STEPS,
    epochOf: (i) => Math.floor(i / EPOCH),
    sync: true,
    after: (_i, method) => {
      const bank = method.state as UlgmBank
      labels.push({ t: Array.from(bank.labels.t), v: Array.from(bank.labels.v) })
      moved = bank.labels.t.filter((y, r) => y !== bank.labels.m[r]).length
    },
  })
  type Out = { stats: StepStats[]; labels: Labels[] }
  const theirs = await referenceOn<BothWays<Out>>('ulgm_reference.py', steps, { variant: config.method === 'scdr' ? 'scdr' : 'fusion', classes: Int32Array.from(d.labeled.y) })
  if (!theirs) return []
  const y = labelGaps(labels, theirs.synced!.labels)
  const free = labelGaps(labels, theirs.free.labels)
  return reportTable('ulgm', `${name} vs PyTorch ${theirs.torch}, ${STEPS} steps`, [
    ...termRows(steps.ours, theirs, terms),
    { term: 'generated labels Y_t, Y_v', gap: y.max, absolute: true, agree: y.within, note: `same weights each step; ${moved} of ${d.labeled.ids.length} text labels moved by the end` },
    { term: 'generated labels, free-running', gap: free.max, absolute: true, agree: free.within, note: 'agreement: labels within 1e-4 or 1 %' },
  ])
}

export const ulgm: Bench = {
  name: 'ulgm',
  onlyWhenNamed: true,
  async run() {
    const d = await referenceFeatures()
    const supervised = makeConfig('default', { method: 'supervised', ulgm: { mode: 'on' } })
    const scdr = makeConfig('default', { method: 'scdr', ulgm: { mode: 'on' } })
    return [
      ...(await side('supervised + ULGM', supervised, d, ['loss', 'lx', 'ulgmText', 'ulgmImage'])),
      ...(await side('SCDR + ULGM', scdr, d, ['loss', 'lsup', 'lm', 'ulgmText', 'ulgmImage', 'lu', 'lrec', 'lcyc', 'lort', 'lsim'])),
    ]
  },
}
