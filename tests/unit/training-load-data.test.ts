// What a run is given from the store: the labeled draw (or the project's own labels), the
// unlabeled pool, val/test, every cached view, and a problem naming `extract` when vectors are missing.
import { describe, expect, it } from 'vitest'
import { openStore, type Store } from '#main/db/store'
import { FeaturesRepo, type FeatureRow } from '#main/db/features-repo'
import { loadTrainingData, planTrainingData } from '#main/training/load-data'
import type { EncoderPairInfo } from '#shared/features'
import type { AnnotationSource, Sentiment, Split } from '#shared/vocabulary'
import { featureCorpus, type CorpusPost } from './support/feature-corpus'

const pair: EncoderPairInfo = {
  id: 'test-pair',
  text: { id: 'txt', modality: 'text', dim: 3, description: '' },
  image: { id: 'img', modality: 'image', dim: 2, description: '' },
}
const CLASSES: Sentiment[] = ['negative', 'neutral', 'positive']

/**
 * 30 train posts (10 per class, imported labels), 6 val, 6 test, one conflict post, two unlabeled
 * train posts. Each vector's first value is the post id, so rows can be traced to posts.
 */
async function project(options: { skipFeatures?: (index: number) => boolean } = {}) {
  const store = openStore(':memory:')
  const posts: CorpusPost[] = [
    ...Array.from({ length: 30 }, (_, i) => ({ split: 'train' as Split, label: CLASSES[i % 3]! })),
    ...Array.from({ length: 6 }, (_, i) => ({ split: 'val' as Split, label: CLASSES[i % 3]! })),
    ...Array.from({ length: 6 }, (_, i) => ({ split: 'test' as Split, label: CLASSES[i % 3]! })),
    { split: 'conflict', label: null },
    { split: 'train', label: null },
    { split: 'train', label: null },
  ]
  const { projectId } = await featureCorpus(store, posts)
  const ids = store.features.labels(projectId).map((p) => p.id)
  const vector = (id: number, dim: number, view: number): Float32Array => Float32Array.from({ length: dim }, (_, j) => (j === 0 ? id : view))
  const rows: FeatureRow[] = ids.flatMap((postId, i) => {
    if (options.skipFeatures?.(i)) return []
    return [
      { postId, encoder: 'img', view: 'clean', vector: vector(postId, 2, 0) },
      { postId, encoder: 'img', view: 'weak:0', vector: vector(postId, 2, 1) },
      { postId, encoder: 'img', view: 'strong:0', vector: vector(postId, 2, 2) },
      { postId, encoder: 'txt', view: 'clean', vector: vector(postId, 3, 0) },
      { postId, encoder: 'txt', view: 'strong:0', vector: vector(postId, 3, 2) },
    ]
  })
  new FeaturesRepo(store.db).write(rows)
  return { store, projectId, ids }
}

function label(store: Store, projectId: number, postId: number, value: Sentiment, source: AnnotationSource): void {
  store.annotations.append({ projectId, postId, modality: 'overall', label: value, source, kind: 'label', annotator: 'ann' })
}

describe('loadTrainingData', () => {
  it('draws 200-per-class style from train labels and hands every view of the train pool, val and test', async () => {
    const { store, projectId, ids } = await project()
    // A model's proposal someone accepted is not a label a draw may pick.
    label(store, projectId, ids[0]!, 'negative', 'pseudo-accepted')
    // Raw vectors here, so rows can be traced to posts; standardisation has its own test below.
    const request = { projectId, encoder: pair, labels: { mode: 'draw' as const, n: 9, draw: 'per-class' as const, seed: 4 }, standardize: false }
    const loaded = loadTrainingData(store.db, request)
    expect(loaded.problems).toEqual([])
    expect(loaded.subset.perClass).toEqual([3, 3, 3])
    expect(loaded.subset.ids).not.toContain(ids[0])
    expect(loaded.labelsUsed).toEqual({ total: 9, human: 0, imported: 9, pseudoAccepted: 0, correction: 0, perClass: { positive: 3, neutral: 3, negative: 3 } })
    const { labeled, unlabeled, val, test } = loaded.data
    expect(labeled.ids).toEqual(loaded.subset.ids)
    // Class indices in the trainer's order (0 negative, 1 neutral, 2 positive), matching each post's label.
    const truth = new Map(store.features.labels(projectId).map((p) => [p.id, p.label]))
    expect(labeled.ids.map((id, i) => CLASSES[labeled.y[i]!])).toEqual(labeled.ids.map((id) => truth.get(id)))
    // Unlabeled = the whole train split, labeled and never-labeled posts included; no conflict post.
    expect(unlabeled.ids).toEqual(ids.filter((_, i) => i < 30 || i > 42))
    expect(val!.ids).toHaveLength(6)
    expect(test!.ids).toHaveLength(6)
    // Rows follow ids in every view; text has no weak view (its weak view is the clean text).
    expect(Array.from(unlabeled.img.clean.data.filter((_, k) => k % 2 === 0))).toEqual(unlabeled.ids)
    expect(unlabeled.img.weak.map((m) => m.data[1])).toEqual([1])
    expect(unlabeled.img.strong.map((m) => m.data[1])).toEqual([2])
    expect(unlabeled.txt.weak).toEqual([])
    expect(unlabeled.txt.strong).toHaveLength(1)
    expect(Array.from(labeled.txt.clean.data.filter((_, k) => k % 3 === 0))).toEqual(labeled.ids)
    expect(Array.from(test!.txt.data.filter((_, k) => k % 3 === 0))).toEqual(test!.ids)
    // The same seed draws the same posts; another seed others.
    expect(loadTrainingData(store.db, request).subset.ids).toEqual(loaded.subset.ids)
    expect(loadTrainingData(store.db, { ...request, labels: { ...request.labels, seed: 5 } }).subset.ids).not.toEqual(loaded.subset.ids)
    store.close()
  })

  it("uses the project's own labels in 'current' mode: human, corrections and accepted pseudo-labels, not imports", async () => {
    const { store, projectId, ids } = await project()
    label(store, projectId, ids[30 + 6 + 6 + 1]!, 'positive', 'human')
    label(store, projectId, ids[30 + 6 + 6 + 2]!, 'neutral', 'pseudo-accepted')
    label(store, projectId, ids[0]!, 'positive', 'correction')
    label(store, projectId, ids[31]!, 'positive', 'human') // a val post: evaluation, never training
    const loaded = loadTrainingData(store.db, { projectId, encoder: pair, labels: { mode: 'current' } })
    expect(loaded.labelsUsed).toEqual({ total: 3, human: 1, imported: 0, pseudoAccepted: 1, correction: 1, perClass: { positive: 2, neutral: 1, negative: 0 } })
    expect(loaded.data.labeled.ids).toEqual([ids[0], ids[43], ids[44]])
    expect(Array.from(loaded.data.labeled.y)).toEqual([2, 2, 1])
    store.close()
  })

  it('says how many posts lack vectors and to run extract, and leaves them out of the data', async () => {
    // Post 1 (train) has no vectors at all; post 40 (test) neither.
    const { store, projectId, ids } = await project({ skipFeatures: (i) => i === 1 || i === 40 })
    const request = { projectId, encoder: pair, labels: { mode: 'draw' as const, n: 30, draw: 'proportional' as const, seed: 1 } }
    const loaded = loadTrainingData(store.db, request)
    expect(loaded.featuresMissing).toBe(2)
    expect(loaded.problems.join('\n')).toMatch(/2 of the 44 posts .* extract them first \(Features… on the project page, or `common-ground extract --project /)
    expect(loaded.data.unlabeled.ids).not.toContain(ids[1])
    expect(loaded.data.labeled.ids).not.toContain(ids[1])
    expect(loaded.data.test!.ids).toHaveLength(5)
    expect(loaded.data.unlabeled.img.strong[0]!.rows).toBe(loaded.data.unlabeled.ids.length)
    // The plan says the same without reading a vector.
    const plan = planTrainingData(store.db, request)
    expect(plan.featuresMissing).toBe(2)
    expect(plan.labelsUsed).toEqual(loaded.labelsUsed)
    expect(plan.problems).toEqual(loaded.problems)
    store.close()
  })

  it('estimates the prior from a proportional draw\'s own labels when no extra labels are asked for, and from none for a per-class draw', async () => {
    const { store, projectId } = await project()
    const draw = (d: 'proportional' | 'per-class') => loadTrainingData(store.db, { projectId, encoder: pair, labels: { mode: 'draw', n: 12, draw: d, seed: 1 }, priorSample: 0 })
    const proportional = draw('proportional')
    // The draw's labels, in its order: a random sample of the pool costs no extra label.
    expect(Array.from(proportional.data.priorSample ?? [])).toEqual(Array.from(proportional.data.labeled.y))
    expect(Array.from(draw('per-class').data.priorSample ?? [])).toEqual([])
    store.close()
  })

  it('standardises every column with the train posts\' clean statistics, in every view and split', async () => {
    const { store, projectId } = await project()
    const raw = loadTrainingData(store.db, { projectId, encoder: pair, labels: { mode: 'current' }, standardize: false })
    const loaded = loadTrainingData(store.db, { projectId, encoder: pair, labels: { mode: 'current' } })
    const column = (m: { data: Float32Array; dim: number }, j: number) => Array.from(m.data.filter((_, k) => k % m.dim === j))
    const ids = column(loaded.data.unlabeled.img.clean, 0)
    const mean = ids.reduce((a, b) => a + b, 0) / ids.length
    const sd = Math.sqrt(ids.reduce((a, b) => a + (b - mean) ** 2, 0) / ids.length)
    expect(mean).toBeCloseTo(0, 5)
    expect(sd).toBeCloseTo(1, 5)
    // The same affine map on test rows and on augmented views; a constant column becomes 0.
    const { mean: mu, inverseStd } = loaded.scalers!.img
    expect(column(loaded.data.test!.img, 0)).toEqual(column(raw.data.test!.img, 0).map((x) => Math.fround((x - mu[0]!) * inverseStd[0]!)))
    expect(new Set(column(loaded.data.unlabeled.img.strong[0]!, 1))).toEqual(new Set([0]))
    expect(raw.scalers).toBeNull()
    store.close()
  })

  it('refuses a draw larger than the labels, and an ONNX pair nobody described', async () => {
    const { store, projectId } = await project()
    const tooMany = loadTrainingData(store.db, { projectId, encoder: pair, labels: { mode: 'draw', n: 60, draw: 'per-class', seed: 1 } })
    expect(tooMany.problems[0]).toMatch(/asked for 60 labels, but the train posts hold only 30/)
    const onnx = planTrainingData(store.db, { projectId, encoder: 'onnx:/models', labels: { mode: 'current' } })
    expect(onnx.problems.join('\n')).toMatch(/no labeled train posts/)
    expect(onnx.problems.join('\n')).toMatch(/encoder pair "onnx:\/models" must be described/)
    store.close()
  })
})
