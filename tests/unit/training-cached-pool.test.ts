// A pool left in the feature cache (what the trainer process does for a large project) trains to
// exactly what the same pool loaded into memory does: same scaler, same rows, same run.
import { describe, expect, it } from 'vitest'
import { openStore } from '#main/db/store'
import { FeaturesRepo, type FeatureRow } from '#main/db/features-repo'
import { poolMemoryBytes, POOL_MEMORY_BYTES } from '#main/training/cached-pool'
import { makeConfig } from '#main/training/config'
import type { RunMethod } from '#shared/runs'
import { loadTrainingData, type LoadRequest } from '#main/training/load-data'
import { syntheticProblem } from '#main/training/synthetic'
import { train } from '#main/training/trainer'
import { inMemory, readRows } from '#main/training/view-rows'
import type { EncoderPairInfo } from '#shared/features'
import type { Sentiment, Split } from '#shared/vocabulary'
import { featureCorpus, type CorpusPost } from './support/feature-corpus'

const pair: EncoderPairInfo = {
  id: 'test-pair',
  text: { id: 'txt', modality: 'text', dim: 6, description: '' },
  image: { id: 'img', modality: 'image', dim: 5, description: '' },
}
const CLASSES: Sentiment[] = ['negative', 'neutral', 'positive']
const TRAIN = 60

/** 60 train posts, 12 val, 12 test, their features drawn from the synthetic problem (every view a store holds). */
async function project() {
  const store = openStore(':memory:')
  const synthetic = syntheticProblem({ seed: 3, train: TRAIN, labeled: TRAIN, val: 12, test: 12, dimTxt: pair.text.dim, dimImg: pair.image.dim, noise: 0.6, disagreement: 0.2, variants: 1 })
  const posts: CorpusPost[] = [
    ...Array.from({ length: TRAIN }, (_, i) => ({ split: 'train' as Split, label: CLASSES[synthetic.labeled.y[i]!]! })),
    ...Array.from(synthetic.val!.y, (c) => ({ split: 'val' as Split, label: CLASSES[c]! })),
    ...Array.from(synthetic.test!.y, (c) => ({ split: 'test' as Split, label: CLASSES[c]! })),
  ]
  const { projectId } = await featureCorpus(store, posts)
  const ids = store.features.labels(projectId).map((p) => p.id)
  const row = (m: { dim: number; data: Float32Array }, i: number) => m.data.slice(i * m.dim, (i + 1) * m.dim)
  const u = synthetic.unlabeled
  const rows: FeatureRow[] = ids.flatMap((postId, i) => {
    if (i < TRAIN) {
      return [
        { postId, encoder: 'img', view: 'clean', vector: row(u.img.clean, i) },
        { postId, encoder: 'img', view: 'weak:0', vector: row(u.img.weak[0]!, i) },
        { postId, encoder: 'img', view: 'strong:0', vector: row(u.img.strong[0]!, i) },
        { postId, encoder: 'txt', view: 'clean', vector: row(u.txt.clean, i) },
        { postId, encoder: 'txt', view: 'strong:0', vector: row(u.txt.strong[0]!, i) },
      ]
    }
    const split = i < TRAIN + 12 ? synthetic.val! : synthetic.test!
    const at = (i - TRAIN) % 12
    return [
      { postId, encoder: 'img', view: 'clean', vector: row(split.img, at) },
      { postId, encoder: 'txt', view: 'clean', vector: row(split.txt, at) },
    ]
  })
  new FeaturesRepo(store.db).write(rows)
  return { store, projectId, ids }
}

const config = (method: RunMethod) =>
  makeConfig('default', { method, steps: 12, batchLabeled: 8, batchUnlabeled: 16, hidden: 16, clsHidden: 16, lr: 0.05, evalEvery: 6, checkpointEvery: 0, stepsPerEpoch: 4, scdr: { plfEpochs: 2 } })

describe('a pool read from the feature cache', () => {
  it('holds the same rows, scaler and evaluation splits as the pool loaded into memory', async () => {
    const { store, projectId } = await project()
    const request: LoadRequest = { projectId, encoder: pair, labels: { mode: 'draw', n: 15, draw: 'per-class', seed: 2 } }
    const memory = loadTrainingData(store.db, { ...request, pool: 'memory' })
    const cached = loadTrainingData(store.db, { ...request, pool: 'cache' })
    expect(cached.problems).toEqual([])
    expect(inMemory(cached.data.unlabeled.img.clean)).toBe(false)
    expect(cached.scalers).toEqual(memory.scalers)
    expect(cached.data.labeled).toEqual(memory.data.labeled)
    expect(cached.data.val).toEqual(memory.data.val)
    expect(cached.data.test).toEqual(memory.data.test)
    const every = Int32Array.from({ length: TRAIN }, (_, i) => TRAIN - 1 - i)
    for (const m of ['img', 'txt'] as const) {
      const views = (d: typeof cached.data) => [d.unlabeled[m].clean, ...d.unlabeled[m].weak, ...d.unlabeled[m].strong]
      expect(views(cached.data).map((v) => readRows(v, every))).toEqual(views(memory.data).map((v) => readRows(v, every)))
    }
  })

  it.each(['scdr', 'fixmatch', 'self-training'] as const)('%s trains to the very same metrics, pseudo-labels and pool logits, its clean views in memory or not', async (method) => {
    const { store, projectId } = await project()
    const request: LoadRequest = { projectId, encoder: pair, labels: { mode: 'draw', n: 15, draw: 'per-class', seed: 2 } }
    const run = async (pool: 'memory' | 'cache' | 'clean') => {
      const result = await train({ config: config(method), data: loadTrainingData(store.db, { ...request, pool }).data })
      return { metrics: result.metrics, pseudo: result.pseudoLabels, logits: result.logits, curves: result.curves }
    }
    const memory = await run('memory')
    expect(await run('cache')).toEqual(memory)
    expect(await run('clean')).toEqual(memory)
  })

  it('counts the posts without vectors as the in-memory load does, and a vector gone during a run stops it with what to do', async () => {
    const { store, projectId, ids } = await project()
    store.db.prepare("DELETE FROM features WHERE post_id = ? AND view = 'strong:0' AND encoder = 'img'").run(ids[4])
    const request: LoadRequest = { projectId, encoder: pair, labels: { mode: 'current' } }
    const memory = loadTrainingData(store.db, { ...request, pool: 'memory' })
    const cached = loadTrainingData(store.db, { ...request, pool: 'cache' })
    expect(cached.featuresMissing).toBe(1)
    expect(cached.problems).toEqual(memory.problems)
    expect(cached.data.unlabeled.ids).toEqual(memory.data.unlabeled.ids)

    store.db.prepare("DELETE FROM features WHERE post_id = ? AND view = 'clean' AND encoder = 'txt'").run(ids[9])
    expect(() => readRows(cached.data.unlabeled.txt.clean, [cached.data.unlabeled.ids.indexOf(ids[9]!)])).toThrow(`post ${ids[9]} has no txt clean vector any more`)
  })

  it('leaves a pool in the cache above the bound the environment sets, and refuses a bound that is no size', async () => {
    const { store, projectId } = await project()
    const request: LoadRequest = { projectId, encoder: pair, labels: { mode: 'current' }, pool: 'auto' }
    expect(poolMemoryBytes({})).toBe(POOL_MEMORY_BYTES)
    expect(inMemory(loadTrainingData(store.db, { ...request, poolMemoryBytes: poolMemoryBytes({}) }).data.unlabeled.txt.clean)).toBe(true)
    expect(inMemory(loadTrainingData(store.db, { ...request, poolMemoryBytes: poolMemoryBytes({ COMMON_GROUND_POOL_MEMORY_MB: '0' }) }).data.unlabeled.txt.clean)).toBe(false)
    // Above the bound, the clean views alone stay in memory up to twice it; the augmented views are read from the cache.
    const views = 4 * TRAIN * (3 * pair.image.dim + 2 * pair.text.dim) // image: clean, weak:0, strong:0; text: clean, strong:0
    const clean = 4 * TRAIN * (pair.image.dim + pair.text.dim)
    for (const [bound, cleanInMemory, augmentedInMemory] of [[views, true, true], [views - 1, true, false], [clean / 2, true, false], [clean / 2 - 1, false, false]] as const) {
      const { unlabeled } = loadTrainingData(store.db, { ...request, poolMemoryBytes: bound }).data
      const placed = [inMemory(unlabeled.img.clean), inMemory(unlabeled.txt.clean), inMemory(unlabeled.img.weak[0]!), inMemory(unlabeled.txt.strong[0]!)]
      expect([bound, ...placed]).toEqual([bound, cleanInMemory, cleanInMemory, augmentedInMemory, augmentedInMemory])
    }
    expect(() => poolMemoryBytes({ COMMON_GROUND_POOL_MEMORY_MB: 'lots' })).toThrow('COMMON_GROUND_POOL_MEMORY_MB must be a number of MB, 0 or more; got "lots"')
  })
})
