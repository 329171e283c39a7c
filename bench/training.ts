// Training speed per method on the backend this machine picks, and the PyTorch reference of the
// same SCDR heads (bench/reference/scdr_reference.py) on the same initial weights and batches:
// its ms/step, the ratio, and how far its loss terms are from the port's (the fidelity check).
//
// CG_BENCH_DB=FILE (a copy of a store whose project CG_BENCH_PROJECT, default 'mvsa', has default
// features) runs on those cached features, 600 labels drawn per class; otherwise on a synthetic
// problem of the same sizes. CG_BENCH_FIDELITY=1 adds a whole default SCDR run of both with the same
// features, weights and seed: their test accuracy and mask rate side by side (minutes, not seconds).
import { execFileSync, spawnSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { openDatabase } from '#main/db/store'
import { initBackend } from '#main/ml/tfjs-backend'
import { packArrays } from '#main/training/checkpoint'
import { RUN_METHODS } from '#shared/runs'
import { isSemiSupervised, makeConfig, optimizerSettings, type TrainingConfig } from '#main/training/config'
import { drawRows, stackBatch, type Matrix, type TrainingData } from '#main/training/data'
import { loadTrainingData } from '#main/training/load-data'
import { Optimizer } from '#main/training/optimizer'
import { Params } from '#main/training/params'
import { Rng } from '#main/training/rng'
import { cosineFactor } from '#main/training/schedule'
import { trainingStep, type HostBatch } from '#main/training/step'
import { syntheticProblem } from '#main/training/synthetic'
import { buildMethod, train } from '#main/training/trainer'
import { peakRssMb, quantile, withScratch, type Bench, type Figure } from './harness'

/** The default encoders' sizes (features/encoders/default): hashed n-grams + VADER, MobileNetV2 + colour. */
export const DIMS = { txt: 2066, img: 1303 }
const STEPS = 20
const WARMUP = 3
const REFERENCE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'reference', 'scdr_reference.py')

export function benchData(): { data: TrainingData<Matrix>; source: string } {
  const file = process.env.CG_BENCH_DB
  if (!file) {
    const data = syntheticProblem({ seed: 1, train: 3200, labeled: 600, val: 400, test: 400, dimTxt: DIMS.txt, dimImg: DIMS.img, noise: 0.8, disagreement: 0.2, variants: 1 })
    return { data, source: 'synthetic features' }
  }
  const db = openDatabase(file, { readonly: true })
  try {
    const name = process.env.CG_BENCH_PROJECT ?? 'mvsa'
    const project = db.prepare<[string], { id: number }>('SELECT id FROM projects WHERE name = ?').get(name)
    if (!project) throw new Error(`CG_BENCH_DB=${file}: no project named ${name} (set CG_BENCH_PROJECT)`)
    const loaded = loadTrainingData(db, { projectId: project.id, encoder: 'default', labels: { mode: 'draw', n: 600, draw: 'per-class', seed: 1 } })
    if (loaded.problems.length > 0) throw new Error(loaded.problems.join('\n'))
    return { data: loaded.data, source: `${name}'s cached default features` }
  } finally {
    db.close()
  }
}

const dims = (d: TrainingData) => ({ txt: d.labeled.txt.clean.dim, img: d.labeled.img.clean.dim })

/** ms per step of train() itself, from its progress events (warm-up and the evaluating last step left out). */
export async function methodSpeed(config: TrainingConfig, d: TrainingData): Promise<number> {
  const stamps: number[] = []
  await train({ config: { ...config, steps: STEPS + 1, evalEvery: STEPS + 1, checkpointEvery: 0 }, data: d, onProgress: () => void stamps.push(performance.now()) })
  const gaps = stamps.slice(WARMUP, STEPS).map((t, i) => t - stamps[WARMUP - 1 + i]!)
  return quantile(gaps.sort((a, b) => a - b), 0.5)
}

/** A Python with torch, and the environment the reference wants; or why there is none. */
export function findTorch(): { python: string; env: NodeJS.ProcessEnv } | { missing: string } {
  const cpu = readFileSync('/proc/cpuinfo', 'utf8')
  // OPENBLAS_CORETYPE=SkylakeX needs AVX-512 (it dies with SIGILL without); Haswell is the AVX2 kernel.
  const coretype = /\bavx512f\b/.test(cpu) ? 'SkylakeX' : /\bavx2\b/.test(cpu) ? 'Haswell' : undefined
  const env = { ...process.env, OPENBLAS_NUM_THREADS: '1', ...(coretype ? { OPENBLAS_CORETYPE: coretype } : {}) }
  for (const python of ['python3', '/usr/bin/python3']) {
    if (spawnSync(python, ['-c', 'import torch'], { env }).status === 0) return { python, env }
  }
  return { missing: 'no python3 with torch (Debian: apt-get install -y python3-torch libopenblas0-pthread)' }
}

/** The parameters the reference needs to build the same model from the same initial weights. */
function modelFixture(config: TrainingConfig, d: TrainingData) {
  const { method } = buildMethod(config, d)
  const params = Params.initial(method.specs, new Rng(config.seed, 1))
  const weights = params.arrays()
  const shapes = Object.fromEntries(method.specs.map((s) => [s.name, s.shape]))
  const decay = method.specs.filter((s) => s.decay).map((s) => s.name)
  return { method, params, fixture: { config, dims: dims(d), shapes, decay, weights } }
}

export const runReference = <T>(torch: { python: string; env: NodeJS.ProcessEnv }, fixture: string, script = REFERENCE): T =>
  JSON.parse(execFileSync(torch.python, [script, fixture], { env: torch.env, encoding: 'utf8', maxBuffer: 1 << 26 })) as T

/** The port's SCDR steps on fixed batches, then the reference on the same ones. */
async function reference(config: TrainingConfig, d: TrainingData, dir: string): Promise<Figure[]> {
  const { method, params, fixture } = modelFixture(config, d)
  const optimizer = new Optimizer(optimizerSettings(config), method.specs.filter((s) => s.trainable), params.variables)
  const rng = new Rng(config.seed, 2)
  const batches: HostBatch[] = []
  const epochs: number[] = []
  const lrs: number[] = []
  const ours: Record<string, number>[] = []
  const times: number[] = []
  for (let i = 0; i < STEPS; i++) {
    const parts = method.parts(drawRows(config.batchLabeled, d.labeled.ids.length, rng), drawRows(config.batchUnlabeled, d.unlabeled.ids.length, rng))
    const groups = [
      { posts: d.labeled, parts: parts.labeled },
      { posts: d.unlabeled, parts: parts.unlabeled },
    ]
    const labeled = parts.labeled[0]!.rows
    const batch: HostBatch = {
      txt: stackBatch(groups, 'txt', rng, { fallback: 0, strong: 0 }),
      img: stackBatch(groups, 'img', rng, { fallback: 0, strong: 0 }),
      dims: dims(d),
      y: Int32Array.from(labeled, (r) => d.labeled.y[r]!),
      labeled,
      unlabeled: parts.unlabeled[0]!.rows,
    }
    // The first half in SCDR's early phase (label filter, PLF), the second half after it.
    const epoch = i < STEPS / 2 ? 0 : config.scdr.plfEpochs + 1
    const lr = config.lr * cosineFactor(i, 100)
    const t = performance.now()
    ours.push(trainingStep(method, params, optimizer, batch, { step: i, epoch }, lr, config.clipNorm))
    times.push(performance.now() - t)
    batches.push(batch)
    epochs.push(epoch)
    lrs.push(lr)
  }
  optimizer.dispose()
  params.dispose()
  const tfjsMs = quantile(times.slice(WARMUP).sort((a, b) => a - b), 0.5)
  const model = `d ${config.hidden}, heads ${config.clsHidden}, batch ${config.batchLabeled}+${config.batchUnlabeled}×3`
  const figures: Figure[] = [{ bench: 'training', metric: `scdr step, fixed batches (tfjs wasm): ${model}`, value: tfjsMs, unit: 'ms' }]
  const torch = findTorch()
  if ('missing' in torch) {
    console.log(`PyTorch reference not run: ${torch.missing}`)
    return figures
  }
  const file = path.join(dir, 'scdr-steps.bin')
  writeFileSync(file, packArrays({ ...fixture, mode: 'speed', batches, epochs, lrs, warmup: WARMUP }))
  const out = runReference<{ msPerStep: number; stats: Record<string, number>[]; torch: string }>(torch, file)
  // Fidelity: the largest gap between the two implementations' loss terms over all steps, relative to the term.
  const terms = ['loss', 'lsup', 'lu', 'lrec', 'lcyc', 'lort', 'lsim', 'lsel'].filter((k) => k in out.stats[0]!)
  const gap = Math.max(...out.stats.flatMap((theirs, i) => terms.map((k) => Math.abs(theirs[k]! - ours[i]![k]!) / Math.max(1e-3, Math.abs(theirs[k]!)))))
  const masks = out.stats.map((theirs, i) => Math.abs(theirs.maskM! - ours[i]!.maskM!))
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
async function fidelityRun(config: TrainingConfig, d: TrainingData<Matrix>, dir: string): Promise<Figure[]> {
  const torch = findTorch()
  if ('missing' in torch) return []
  const ours = await train({ config: { ...config, checkpointEvery: 0 }, data: d })
  const tail = ours.curves.filter((p) => p.series === 'maskM' && p.step > config.steps - Math.max(1, Math.floor(config.steps / 10)))
  const oursMask = tail.reduce((a, p) => a + p.value, 0) / tail.length
  const { params, fixture } = modelFixture(config, d)
  params.dispose()
  const file = path.join(dir, 'scdr-run.bin')
  writeFileSync(file, packArrays({ ...fixture, mode: 'train', data: pack(d) }))
  const theirs = runReference<{ selected: { step: number; val: number; test: number }; maskM: number; seconds: number }>(torch, file)
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
    figures.push(...(await withScratch((dir) => reference(config, d, dir))))
    if (process.env.CG_BENCH_FIDELITY === '1') figures.push(...(await withScratch((dir) => fidelityRun(config, d, dir))))
    figures.push({ bench: 'training', metric: 'peak RSS so far', value: peakRssMb(), unit: 'MB' })
    return figures
  },
}
