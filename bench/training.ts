// Training speed per method on the backend this machine picks, and the PyTorch reference of the
// same SCDR heads (bench/reference/scdr_reference.py) on the same initial weights and batches:
// its ms/step, the ratio, and how far its loss terms are from the port's (the fidelity check).
//
// The features: a store's cached ones with CG_BENCH_DB, else synthetic (bench-data.ts).
// CG_BENCH_FIDELITY=1 adds a whole default SCDR run of both with the same features, weights and
// seed: their test accuracy and mask rate side by side (minutes, not seconds).
import { initBackend } from '#main/ml/tfjs-backend'
import { RUN_METHODS, type StepStats } from '#shared/runs'
import { isSemiSupervised, makeConfig, type TrainingConfig } from '#main/training/config'
import type { Matrix, TrainingData } from '#main/training/data'
import { train } from '#main/training/trainer'
import { benchData } from './bench-data'
import { peakRssMb, quantile, type Bench, type Figure } from './harness'
import { portSteps, referenceOn, termGaps } from './reference-steps'

const STEPS = 20
const WARMUP = 3

const dims = (d: TrainingData) => ({ txt: d.labeled.txt.clean.dim, img: d.labeled.img.clean.dim })

/** ms per step of train() itself, from its progress events (warm-up and the evaluating last step left out). */
export async function methodSpeed(config: TrainingConfig, d: TrainingData): Promise<number> {
  const stamps: number[] = []
  await train({ config: { ...config, steps: STEPS + 1, evalEvery: STEPS + 1, checkpointEvery: 0 }, data: d, onProgress: () => void stamps.push(performance.now()) })
  const gaps = stamps.slice(WARMUP, STEPS).map((t, i) => t - stamps[WARMUP - 1 + i]!)
  return quantile(gaps.sort((a, b) => a - b), 0.5)
}

/** The port's SCDR steps on fixed batches, then the reference on the same ones. */
async function reference(config: TrainingConfig, d: TrainingData<Matrix>): Promise<Figure[]> {
  // The first half in SCDR's early phase (label filter, PLF), the second half after it.
  const steps = portSteps(config, d, { steps: STEPS, epochOf: (i) => (i < STEPS / 2 ? 0 : config.scdr.plfEpochs + 1), scheduleSteps: 100 })
  const tfjsMs = quantile(steps.times.slice(WARMUP).sort((a, b) => a - b), 0.5)
  const model = `d ${config.hidden}, heads ${config.clsHidden}, batch ${config.batchLabeled}+${config.batchUnlabeled}×3`
  const figures: Figure[] = [{ bench: 'training', metric: `scdr step, fixed batches (tfjs wasm): ${model}`, value: tfjsMs, unit: 'ms' }]
  const out = await referenceOn<{ msPerStep: number; stats: StepStats[] }>('scdr_reference.py', steps, { mode: 'speed', warmup: WARMUP })
  if (!out) return figures
  // Fidelity: the largest gap between the two implementations' loss terms over all steps, relative to the term.
  const terms = ['loss', 'lsup', 'lu', 'lrec', 'lcyc', 'lort', 'lsim', 'lsel'].filter((k) => k in out.stats[0]!)
  const gap = Math.max(...Object.values(termGaps(steps.ours, out.stats, terms)))
  const masks = out.stats.map((theirs, i) => Math.abs(theirs.maskM! - steps.ours[i]!.maskM!))
  return [
    ...figures,
    { bench: 'training', metric: `scdr step, same batches (PyTorch ${out.torch}, 2 threads)`, value: out.msPerStep, unit: 'ms' },
    { bench: 'training', metric: 'tfjs / PyTorch step time', value: tfjsMs / out.msPerStep, unit: '×', target: '≤ 2' },
    { bench: 'training', metric: `fidelity: largest relative gap of ${terms.join('/')} over ${STEPS} steps`, value: 100 * gap, unit: '%' },
    { bench: 'training', metric: 'fidelity: largest gap of the multimodal mask rate', value: Math.max(...masks), unit: '' },
  ]
}

const pack = (d: TrainingData<Matrix>) => {
  const views = (v: TrainingData['labeled']['txt']) => ({ clean: v.clean.data, weak: v.weak.map((m) => m.data), strong: v.strong.map((m) => m.data) })
  const split = (s: NonNullable<TrainingData['val']>) => ({ txt: s.txt.data, img: s.img.data, y: Int32Array.from(s.y) })
  return {
    labeled: { txt: views(d.labeled.txt), img: views(d.labeled.img), y: Int32Array.from(d.labeled.y) },
    unlabeled: { txt: views(d.unlabeled.txt), img: views(d.unlabeled.img) },
    val: split(d.val!),
    test: split(d.test!),
  }
}

/** A whole default run of both on the same features, initial weights and seed (their batches differ). */
async function fidelityRun(config: TrainingConfig, d: TrainingData<Matrix>): Promise<Figure[]> {
  const ours = await train({ config: { ...config, checkpointEvery: 0 }, data: d })
  const tail = ours.curves.filter((p) => p.series === 'maskM' && p.step > config.steps - Math.max(1, Math.floor(config.steps / 10)))
  const oursMask = tail.reduce((a, p) => a + p.value, 0) / tail.length
  // No steps: the model's initial weights only; the reference draws its own batches.
  const theirs = await referenceOn<{ selected: { step: number; val: number; test: number }; maskM: number; seconds: number }>('scdr_reference.py', portSteps(config, d, { steps: 0 }), { mode: 'train', data: pack(d) })
  if (!theirs) return []
  const run = `${config.steps} steps, seed ${config.seed}`
  return [
    { bench: 'training', metric: `fidelity run (${run}): test accuracy, tfjs`, value: ours.metrics.selected.test!.accuracy, unit: '' },
    { bench: 'training', metric: `fidelity run (${run}): test accuracy, PyTorch`, value: theirs.selected.test, unit: '' },
    { bench: 'training', metric: 'fidelity run: mean multimodal mask rate of the last tenth, tfjs', value: oursMask, unit: '' },
    { bench: 'training', metric: 'fidelity run: mean multimodal mask rate of the last tenth, PyTorch', value: theirs.maskM, unit: '' },
    { bench: 'training', metric: 'fidelity run: wall time, tfjs', value: ours.elapsedMs / 1000, unit: 's' },
    { bench: 'training', metric: 'fidelity run: wall time, PyTorch', value: theirs.seconds, unit: 's' },
  ]
}

export const training: Bench = {
  name: 'training',
  async run() {
    const backend = await initBackend()
    console.log(`backend: ${backend.name} — ${backend.reason}`)
    const { data: d, source } = benchData()
    console.log(`features: ${source} (${dims(d).txt} + ${dims(d).img})`)
    const config = makeConfig('default')
    const figures: Figure[] = []
    for (const method of RUN_METHODS) {
      const ms = await methodSpeed({ ...config, method }, d)
      const posts = config.batchLabeled + (isSemiSupervised(method) ? config.batchUnlabeled : 0)
      figures.push(
        { bench: 'training', metric: `${method} step on ${backend.name} (batch ${config.batchLabeled}+${config.batchUnlabeled}, default preset)`, value: ms, unit: 'ms' },
        { bench: 'training', metric: `${method} steps per second`, value: 1000 / ms, unit: 'steps/s' },
        { bench: 'training', metric: `${method} posts per second`, value: (posts * 1000) / ms, unit: 'posts/s' },
      )
    }
    figures.push(...(await reference(config, d)))
    if (process.env.CG_BENCH_FIDELITY === '1') figures.push(...(await fidelityRun(config, d)))
    figures.push({ bench: 'training', metric: 'peak RSS so far', value: peakRssMb(), unit: 'MB' })
    return figures
  },
}
