// The linear probe: L-BFGS, multinomial logistic regression, C chosen on val, and the probe of a
// project's cached features with the posts it leaves out.
import { describe, expect, it } from 'vitest'
import { openStore } from '#main/db/store'
import { FeaturesRepo } from '#main/db/features-repo'
import { fitProbe, PROBE_C_GRID, type Rows } from '#main/features/probe/fit-probe'
import { fitLogReg, predict } from '#main/features/probe/logistic-regression'
import { runProbe } from '#main/features/probe/run-probe'
import { SENTIMENTS } from '#shared/vocabulary'
import { minimize } from '#main/ml/lbfgs'
import { seededRandom } from '#main/core/random'
import type { EncoderPairInfo } from '#shared/features'
import type { Sentiment, Split } from '#shared/vocabulary'
import { featureCorpus, type CorpusPost } from './support/feature-corpus'

/** `n` points per class around three centres `separation` apart in `dim` dimensions, plus unit noise. */
function blobs(n: number, dim: number, seed: number, separation = 4): Rows {
  const random = seededRandom(seed)
  const gauss = (): number => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random())
  const x = new Float32Array(3 * n * dim)
  const y = new Uint8Array(3 * n)
  for (let i = 0; i < 3 * n; i++) {
    y[i] = i % 3
    for (let j = 0; j < dim; j++) x[i * dim + j] = (j === y[i] ? separation : 0) + gauss()
  }
  return { x, rows: 3 * n, y }
}

describe('L-BFGS', () => {
  it('finds the minimum of the Rosenbrock function', () => {
    const result = minimize(
      (p, g) => {
        const [a, b] = [p[0]!, p[1]!]
        g[0] = -2 * (1 - a) - 400 * a * (b - a * a)
        g[1] = 200 * (b - a * a)
        return (1 - a) ** 2 + 100 * (b - a * a) ** 2
      },
      Float64Array.from([-1.2, 1]),
      { maxIterations: 200 },
    )
    expect(result.converged).toBe(true)
    expect(result.x[0]).toBeCloseTo(1, 4)
    expect(result.x[1]).toBeCloseTo(1, 4)
  })
})

describe('logistic regression', () => {
  const train = blobs(60, 10, 1)

  it('separates separable classes, and does so identically every time', () => {
    const a = fitLogReg({ ...train, dim: 10 }, { classes: 3, c: 1, maxIterations: 100 })
    const b = fitLogReg({ ...train, dim: 10 }, { classes: 3, c: 1, maxIterations: 100 })
    expect(Buffer.from(a.params.buffer).equals(Buffer.from(b.params.buffer))).toBe(true)
    const test = blobs(40, 10, 2)
    const predicted = predict(a, test.x, test.rows)
    const correct = predicted.filter((p, i) => p === test.y[i]).length
    expect(correct / test.rows).toBeGreaterThan(0.95)
  })

  it('shrinks the weights as C gets smaller', () => {
    const norm = (c: number): number => {
      const { params } = fitLogReg({ ...train, dim: 10 }, { classes: 3, c, maxIterations: 100 })
      return Math.hypot(...params.filter((_, i) => i % 11 !== 10))
    }
    expect(norm(0.001)).toBeLessThan(norm(0.1))
    expect(norm(0.1)).toBeLessThan(norm(10))
  })
})

describe('fitProbe', () => {
  it('chooses C on val by weighted F1 and reaches high test accuracy on separable data', () => {
    const fit = fitProbe({ dim: 20, classes: SENTIMENTS, train: blobs(100, 20, 3), val: blobs(30, 20, 4), test: blobs(30, 20, 5) })
    expect(PROBE_C_GRID).toContain(fit.c)
    expect(fit.val!.weightedF1).toBeGreaterThan(0.95)
    expect(fit.test.accuracy).toBeGreaterThan(0.95)
    expect(fit.test.confusion.flat().reduce((a, b) => a + b, 0)).toBe(90)
  })

  it('stays near chance on noise', () => {
    const fit = fitProbe({ dim: 8, classes: SENTIMENTS, train: blobs(60, 8, 6, 0), val: blobs(60, 8, 7, 0), test: blobs(60, 8, 8, 0) })
    expect(fit.test.accuracy).toBeLessThan(0.6)
  })

  it('falls back to C = 1 without a val split', () => {
    const fit = fitProbe({ dim: 20, classes: SENTIMENTS, train: blobs(50, 20, 9), val: { x: new Float32Array(0), rows: 0, y: new Uint8Array(0) }, test: blobs(20, 20, 10) })
    expect(fit.c).toBe(1)
    expect(fit.val).toBeNull()
  })
})

describe('runProbe on a project', () => {
  const pair: EncoderPairInfo = {
    id: 'default',
    text: { id: 'txt', modality: 'text', dim: 5, description: '' },
    image: { id: 'img', modality: 'image', dim: 4, description: '' },
  }

  it('probes text, image and both on the same labeled posts, and says which it left out', async () => {
    const store = openStore(':memory:')
    const labels: Sentiment[] = ['positive', 'neutral', 'negative']
    const posts: CorpusPost[] = [
      ...Array.from({ length: 150 }, (_, i) => ({ split: (['train', 'val', 'test'] as const)[i % 3]! as Split, label: labels[Math.floor(i / 3) % 3]! })),
      { split: 'conflict', label: null },
      { split: 'unassigned', label: 'positive' },
      { split: 'train', label: null },
      { split: 'test', label: 'neutral' }, // no features
    ]
    const { projectId } = await featureCorpus(store, posts)
    const random = seededRandom(12)
    const rows = store.features.labels(projectId).flatMap((post, i) => {
      if (i === posts.length - 1) return []
      const k = post.label ? labels.indexOf(post.label) : 0
      // Text carries the class; the image is noise.
      const text = Float32Array.from({ length: 5 }, (_, j) => (j === k ? 3 : 0) + random())
      const image = Float32Array.from({ length: 4 }, () => random())
      return [
        { postId: post.id, encoder: 'txt', view: 'clean', vector: text },
        { postId: post.id, encoder: 'img', view: 'clean', vector: image },
      ]
    })
    new FeaturesRepo(store.db).write(rows)

    const report = runProbe(store.db, projectId, pair)
    expect(report.counts).toEqual({ train: 50, val: 50, test: 50 })
    expect(report.leftOut).toEqual({ conflict: 1, unassigned: 1, unlabeled: 1, missingFeatures: 1 })
    expect(report.classes).toEqual(['positive', 'neutral', 'negative'])
    const byFeatures = Object.fromEntries(report.rows.map((r) => [r.features, r]))
    expect(Object.keys(byFeatures)).toEqual(['text', 'image', 'both'])
    expect(byFeatures.text!.dim).toBe(5)
    expect(byFeatures.both!.dim).toBe(9)
    expect(byFeatures.text!.test.accuracy).toBeGreaterThan(0.95)
    expect(byFeatures.both!.test.accuracy).toBeGreaterThan(0.9)
    expect(byFeatures.image!.test.accuracy).toBeLessThan(0.6)
    store.close()
  })

  it('refuses a project without labeled train posts with features', async () => {
    const store = openStore(':memory:')
    const { projectId } = await featureCorpus(store, 3)
    expect(() => runProbe(store.db, projectId, pair)).toThrow(/no labeled train posts with features/)
    store.close()
  })
})
