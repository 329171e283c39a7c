// The grid filtered by the project's latest predictions: the posts predicted a class, and the
// labeled posts a prediction disagrees with; with no prediction set yet, none match.
import { describe, expect, it } from 'vitest'
import { CONFUSION_ORDER, type Sentiment } from '#shared/vocabulary'
import { testBackend } from './support/backend'
import { seedProject } from './support/posts'

/** A set in which post i leans to class CONFUSION_ORDER[i mod 3], or to `lean` for every post. */
function predictions(projectId: number, postIds: number[], lean?: Sentiment) {
  const classOf = (i: number): number => (lean ? CONFUSION_ORDER.indexOf(lean as (typeof CONFUSION_ORDER)[number]) : i % 3)
  const probabilities = Float32Array.from({ length: postIds.length * 3 }, (_, k) => (k % 3 === classOf(Math.floor(k / 3)) ? 0.8 : 0.1))
  return { projectId, runId: null, modelPath: '/models/m', method: 'fusion', encoder: 'default', metadata: {}, missing: 0, elapsedMs: 5, postIds, probabilities }
}

describe('the grid filtered by prediction', () => {
  it('lists the posts predicted a class, and the labeled posts the prediction contradicts, from the latest set', async () => {
    const backend = testBackend()
    const { projectId, postIds } = seedProject(backend.store, 30)
    const ids = async (predicted: Sentiment | 'disagrees') => {
      const page = await backend.call('posts.page', { projectId, offset: 0, limit: 100, predicted })
      expect(page.total).toBe(page.rows.length)
      return page.rows.map((r) => r.id)
    }
    expect(await ids('positive')).toEqual([])

    // Posts 0-5 labeled: 0 negative (predicted negative), 1 negative (predicted neutral), 2 positive (predicted positive), ...
    const labels: Sentiment[] = ['negative', 'negative', 'positive', 'neutral', 'neutral', 'neutral']
    labels.forEach((label, i) => backend.store.annotations.append({ projectId, postId: postIds[i]!, modality: 'overall', label, source: 'human', kind: 'label', annotator: 'ann' }))
    await backend.store.predictions.save(predictions(projectId, postIds, 'positive'))
    await backend.store.predictions.save(predictions(projectId, postIds))

    expect(await ids('positive')).toEqual(postIds.filter((_, i) => i % 3 === 2))
    expect(await ids('neutral')).toEqual(postIds.filter((_, i) => i % 3 === 1))
    // Labeled and predicted otherwise: posts 1 (negative → neutral), 2 is right, 3 (neutral → negative), 5 (neutral → positive).
    expect(await ids('disagrees')).toEqual([postIds[1], postIds[3], postIds[5]])
    const page = await backend.call('posts.page', { projectId, offset: 0, limit: 100, predicted: 'disagrees' })
    expect(page.rows.map((r) => [r.labels.overall, r.prediction?.label])).toEqual([
      ['negative', 'neutral'],
      ['neutral', 'negative'],
      ['neutral', 'positive'],
    ])
    // With the other filters, and a bad value refused naming the field.
    expect(await backend.call('posts.page', { projectId, offset: 0, limit: 100, predicted: 'negative', overall: 'unlabeled' })).toMatchObject({ total: 8 })
    expect(await backend.dispatch('posts.page', { projectId, offset: 0, limit: 100, predicted: 'maybe' } as never)).toMatchObject({
      ok: false,
      error: { code: 'bad-request', message: expect.stringContaining('predicted') },
    })
  })
})
