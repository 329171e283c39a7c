// Training against the size of the unlabeled pool: ms per SCDR step on synthetic features of the
// default encoders' sizes for growing pools (a batch draws its rows, so a step should not care),
// the bytes the pool's in-memory views take per post, and what that makes at 100,000 posts.
import { makeConfig } from '#main/training/config'
import type { Matrix, TrainingData } from '#main/training/data'
import { initBackend } from '#main/ml/tfjs-backend'
import { syntheticProblem } from '#main/training/synthetic'
import { peakRssMb, type Bench, type Figure } from './harness'
import { DIMS, methodSpeed } from './training'

/** Pool sizes, `POOL_SIZES=1000,10000` to run fewer (100,000 posts hold ~4 GB of views, see the figures). */
const POOLS = (process.env.POOL_SIZES ?? '1000,10000,100000').split(',').map(Number)
const TARGET_POOL = 100_000

const matrixBytes = (ms: Matrix[]): number => ms.reduce((a, m) => a + m.data.byteLength, 0)
const poolBytes = (d: TrainingData): number =>
  [d.unlabeled.txt, d.unlabeled.img].reduce((a, v) => a + matrixBytes([v.clean, ...v.weak, ...v.strong]), 0)

export const poolScale: Bench = {
  name: 'pool',
  async run() {
    const backend = await initBackend()
    const config = { ...makeConfig('default'), method: 'scdr' as const }
    const figures: Figure[] = []
    let perPost = 0
    for (const train of POOLS) {
      const data = syntheticProblem({ seed: 1, train, labeled: 600, val: 200, test: 200, dimTxt: DIMS.txt, dimImg: DIMS.img, noise: 0.8, disagreement: 0.2, variants: 1 })
      const ms = await methodSpeed(config, data)
      perPost = poolBytes(data) / data.unlabeled.ids.length
      figures.push({ bench: 'pool', metric: `scdr step on ${backend.name}, pool of ${data.unlabeled.ids.length} posts`, value: ms, unit: 'ms' })
      figures.push({ bench: 'pool', metric: `peak RSS after the pool of ${train}`, value: peakRssMb(), unit: 'MB' })
    }
    figures.push(
      { bench: 'pool', metric: 'pool views in memory per post (clean + weak + strong, text + image, float32)', value: perPost / 1024, unit: 'KB' },
      { bench: 'pool', metric: `the same for a pool of ${TARGET_POOL} posts`, value: (perPost * TARGET_POOL) / 2 ** 20, unit: 'MB', target: '≤ 2048 MB (whole trainer)' },
    )
    return figures
  },
}
