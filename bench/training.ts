// Training speed per method on the backend this machine picks, and the PyTorch reference of the
// same SCDR heads (bench/reference/scdr_reference.py) on the same initial weights and batches:
// its ms/step, the ratio, and how far its loss terms are from the port's (the fidelity check).
import { execFileSync, spawnSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { initBackend } from '../src/main/training/backend'
import { packArrays } from '../src/main/training/checkpoint'
import { makeConfig, METHODS, optimizerSettings, type TrainingConfig } from '../src/main/training/config'
import { drawRows, stackBatch, type TrainingData } from '../src/main/training/data'
import { Optimizer } from '../src/main/training/optimizer'
import { Params } from '../src/main/training/params'
import { Rng } from '../src/main/training/rng'
import { cosineFactor } from '../src/main/training/schedule'
import { trainingStep, type HostBatch } from '../src/main/training/step'
import { syntheticProblem } from '../src/main/training/synthetic'
import { buildMethod, train } from '../src/main/training/trainer'
import { peakRssMb, quantile, withScratch, type Bench, type Figure } from './harness'

/** The default encoders' sizes (features/encoders/default): hashed n-grams + VADER, MobileNetV2 + colour. */
const DIMS = { txt: 2066, img: 1303 }
const STEPS = 12
const WARMUP = 2
const REFERENCE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'reference', 'scdr_reference.py')

const data = (): TrainingData =>
  syntheticProblem({ seed: 1, train: 2000, labeled: 200, val: 200, test: 200, dimTxt: DIMS.txt, dimImg: DIMS.img, noise: 0.8, disagreement: 0.2, variants: 2 })

/** ms per step of train() itself, from its progress events (warm-up and the evaluating last step left out). */
async function methodSpeed(config: TrainingConfig, d: TrainingData): Promise<number> {
  const stamps: number[] = []
  await train({ config: { ...config, steps: STEPS + 1, evalEvery: STEPS + 1, checkpointEvery: 0 }, data: d, onProgress: () => void stamps.push(performance.now()) })
  const gaps = stamps.slice(WARMUP, STEPS).map((t, i) => t - stamps[WARMUP - 1 + i]!)
  return quantile(gaps.sort((a, b) => a - b), 0.5)
}

/** A Python with torch, and the environment the reference wants; or why there is none. */
function findTorch(): { python: string; env: NodeJS.ProcessEnv } | { missing: string } {
  const cpu = readFileSync('/proc/cpuinfo', 'utf8')
  // OPENBLAS_CORETYPE=SkylakeX needs AVX-512 (it dies with SIGILL without); Haswell is the AVX2 kernel.
  const coretype = /\bavx512f\b/.test(cpu) ? 'SkylakeX' : /\bavx2\b/.test(cpu) ? 'Haswell' : undefined
  const env = { ...process.env, OPENBLAS_NUM_THREADS: '1', ...(coretype ? { OPENBLAS_CORETYPE: coretype } : {}) }
  for (const python of ['python3', '/usr/bin/python3']) {
    if (spawnSync(python, ['-c', 'import torch'], { env }).status === 0) return { python, env }
  }
  return { missing: 'no python3 with torch (Debian: apt-get install -y python3-torch libopenblas0-pthread)' }
}

/** The port's SCDR steps on fixed batches, then the reference on the same ones. */
async function reference(config: TrainingConfig, d: TrainingData, dir: string): Promise<Figure[]> {
  const { method } = buildMethod(config, d)
  const params = Params.initial(method.specs, new Rng(config.seed, 1))
  const weights = params.arrays()
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
      txt: stackBatch(groups, 'txt', rng, 0),
      img: stackBatch(groups, 'img', rng, 0),
      dims: DIMS,
      y: Int32Array.from(labeled, (r) => d.labeled.y[r]!),
      unlabeled: parts.unlabeled[0]!.rows,
    }
    // The first half in SCDR's early phase (label filter, PLF), the second half after it.
    const epoch = i < STEPS / 2 ? 0 : config.scdr.plfEpochs + 1
    const lr = config.lr * cosineFactor(i, 100)
    const t = performance.now()
    ours.push(trainingStep(method, params, optimizer, batch, { step: i, epoch }, lr))
    times.push(performance.now() - t)
    batches.push(batch)
    epochs.push(epoch)
    lrs.push(lr)
  }
  optimizer.dispose()
  params.dispose()
  const tfjsMs = quantile(times.slice(WARMUP).sort((a, b) => a - b), 0.5)
  const figures: Figure[] = [{ bench: 'training', metric: `scdr step, fixed batches (tfjs): ${config.batchLabeled}+${config.batchUnlabeled}×3 posts`, value: tfjsMs, unit: 'ms' }]
  const torch = findTorch()
  if ('missing' in torch) {
    console.log(`PyTorch reference not run: ${torch.missing}`)
    return figures
  }
  const fixture = path.join(dir, 'scdr-fixture.bin')
  const shapes = Object.fromEntries(method.specs.map((s) => [s.name, s.shape]))
  const decay = method.specs.filter((s) => s.decay).map((s) => s.name)
  writeFileSync(fixture, packArrays({ config, dims: DIMS, shapes, decay, weights, batches, epochs, lrs, warmup: WARMUP }))
  const out = JSON.parse(execFileSync(torch.python, [REFERENCE, fixture], { env: torch.env, encoding: 'utf8', maxBuffer: 1 << 26 })) as { msPerStep: number; stats: Record<string, number>[]; torch: string }
  // Fidelity: the largest gap between the two implementations' loss terms over all steps, relative to the term.
  const terms = ['loss', 'lsup', 'lu', 'lrec', 'lcyc', 'lort', 'lsim', 'lsel'].filter((k) => k in out.stats[0]!)
  const gap = Math.max(...out.stats.flatMap((theirs, i) => terms.map((k) => Math.abs(theirs[k]! - ours[i]![k]!) / Math.max(1e-3, Math.abs(theirs[k]!)))))
  const masks = out.stats.map((theirs, i) => Math.abs(theirs.maskM! - ours[i]!.maskM!))
  return [
    ...figures,
    { bench: 'training', metric: `scdr step, same batches (PyTorch ${out.torch}, 2 threads)`, value: out.msPerStep, unit: 'ms' },
    { bench: 'training', metric: 'tfjs / PyTorch step time', value: tfjsMs / out.msPerStep, unit: '×', target: '≤ 2' },
    { bench: 'training', metric: `fidelity: largest relative gap of ${terms.join('/')} over ${STEPS} steps`, value: gap, unit: '' },
    { bench: 'training', metric: 'fidelity: largest gap of the multimodal mask rate', value: Math.max(...masks), unit: '' },
  ]
}

export const training: Bench = {
  name: 'training',
  async run() {
    const backend = await initBackend()
    console.log(`backend: ${backend.name} — ${backend.reason}`)
    const d = data()
    const config = makeConfig('default')
    const figures: Figure[] = []
    for (const method of METHODS) {
      const ms = await methodSpeed({ ...config, method }, d)
      const posts = config.batchLabeled + (method === 'supervised' ? 0 : config.batchUnlabeled)
      figures.push(
        { bench: 'training', metric: `${method} step on ${backend.name} (batch ${config.batchLabeled}+${config.batchUnlabeled}, features ${DIMS.txt}+${DIMS.img})`, value: ms, unit: 'ms' },
        { bench: 'training', metric: `${method} posts per second`, value: (posts * 1000) / ms, unit: 'posts/s' },
      )
    }
    figures.push(...(await withScratch((dir) => reference(config, d, dir))))
    figures.push({ bench: 'training', metric: 'peak RSS so far', value: peakRssMb(), unit: 'MB' })
    return figures
  },
}
