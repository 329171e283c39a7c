// SPP-SCL side by side with a PyTorch reference (bench/reference/spp_scl_reference.py, written from
// ALGORITHMS §2.3–2.4 and §8.2): from the port's initial weights, on the port's batches and learning
// rates, every step's loss terms (within 1 %) and its step-2 decision (identical on ≥ 95 % of batches).
// Dropout is set to 0 for the comparison: the two cannot draw the same masks.
//
//   npm run bench spp-scl   (CG_BENCH_DB=COPY for cached features, as the training bench)
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { initBackend } from '#main/ml/tfjs-backend'
import { packArrays } from '#main/training/checkpoint'
import { makeConfig, optimizerSettings } from '#main/training/config'
import { drawRows, stackBatch } from '#main/training/data'
import { Optimizer } from '#main/training/optimizer'
import { Params } from '#main/training/params'
import { Rng } from '#main/training/rng'
import { cosineFactor } from '#main/training/schedule'
import { trainingStep, type HostBatch } from '#main/training/step'
import { buildMethod } from '#main/training/trainer'
import { withScratch, type Bench, type Figure } from './harness'
import { benchData, findTorch, runReference } from './training'

const STEPS = 60
const SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'reference', 'spp_scl_reference.py')
const TERMS = ['loss', 'lx', 'sclText', 'sclImage', 'sclInter'] as const

export const sppScl: Bench = {
  name: 'spp-scl',
  onlyWhenNamed: true,
  async run() {
    await initBackend()
    const { data: d, source } = benchData()
    const config = makeConfig('default', { method: 'spp-scl', sppScl: { dropout: 0 } })
    const { method } = buildMethod(config, d)
    const params = Params.initial(method.specs, new Rng(config.seed, 1))
    const fixture = {
      config,
      shapes: Object.fromEntries(method.specs.map((s) => [s.name, s.shape])),
      decay: method.specs.filter((s) => s.decay).map((s) => s.name),
      weights: params.arrays(),
    }
    const optimizer = new Optimizer(optimizerSettings(config), method.specs, params.variables)
    const rng = new Rng(config.seed, 2)
    const dims = { txt: d.labeled.txt.clean.dim, img: d.labeled.img.clean.dim }
    const batches: HostBatch[] = []
    const lrs: number[] = []
    const ours: Record<string, number>[] = []
    for (let i = 0; i < STEPS; i++) {
      const labeled = drawRows(config.batchLabeled, d.labeled.ids.length, rng)
      const groups = [{ posts: d.labeled, parts: [{ rows: labeled, view: 'clean' as const }] }]
      const none = { fallback: 0, strong: 0 }
      const batch: HostBatch = { txt: stackBatch(groups, 'txt', rng, none), img: stackBatch(groups, 'img', rng, none), dims, y: Int32Array.from(labeled, (r) => d.labeled.y[r]!), labeled, unlabeled: new Int32Array(0) }
      const lr = config.lr * cosineFactor(i, STEPS)
      ours.push(trainingStep(method, params, optimizer, batch, { step: i, epoch: 0 }, lr))
      batches.push(batch)
      lrs.push(lr)
    }
    optimizer.dispose()
    params.dispose()
    const torch = findTorch()
    if ('missing' in torch) {
      console.log(`PyTorch reference not run: ${torch.missing}`)
      return []
    }
    const theirs = await withScratch(async (dir) => {
      const file = path.join(dir, 'spp-scl.bin')
      writeFileSync(file, packArrays({ ...fixture, batches, lrs }))
      return runReference<{ stats: Record<string, number>[]; torch: string }>(torch, file, SCRIPT).stats
    })
    const same = theirs.filter((t, i) => t.interStep === ours[i]!.interStep).length
    // A term is compared where both ran it (step 2's loss only where both took step 2).
    const gaps = theirs.flatMap((t, i) => TERMS.filter((k) => k in t && k in ours[i]!).map((k) => Math.abs(t[k]! - ours[i]![k]!) / Math.max(1e-3, Math.abs(t[k]!))))
    const taken = ours.filter((s) => s.interStep === 1).length
    console.log(`features: ${source}; step 2 taken on ${taken} of ${STEPS} batches (port)`)
    const figures: Figure[] = [
      { bench: 'spp-scl', metric: `fidelity: largest relative gap of ${TERMS.join('/')} over ${STEPS} steps`, value: 100 * Math.max(...gaps), unit: '%', target: '≤ 1' },
      { bench: 'spp-scl', metric: 'fidelity: batches whose step-2 decision is the same', value: (100 * same) / STEPS, unit: '%', target: '≥ 95' },
      { bench: 'spp-scl', metric: 'step 2 taken (port)', value: (100 * taken) / STEPS, unit: '%' },
    ]
    return figures
  },
}
