// The grid searched: the posts whose text holds what was typed (ASCII case ignored, `%` and `_` as
// themselves), or the one post with that id in its source; with the other filters; the spaces
// around it dropped, an empty search no filter.
import { describe, expect, it } from 'vitest'
import { testBackend } from './support/backend'
import { seedProject } from './support/posts'

describe('the grid searched', () => {
  it('finds posts by a piece of their text or by their id, and combines with the other filters', async () => {
    const backend = testBackend()
    const { projectId, postIds } = seedProject(backend.store, [
      { text: 'Ready for my first week of #Training!' },
      { text: 'training day, 100% done', split: 'test' },
      { text: 'nothing to see' },
      { text: 'Так жарко сегодня' },
      { text: 'under_score and percent' },
      { text: 'p1 is not its id here' },
    ])
    const search = async (q: string, more: object = {}) => {
      const page = await backend.call('posts.page', { projectId, offset: 0, limit: 100, search: q, ...more })
      expect(page.total).toBe(page.rows.length)
      return page.rows.map((r) => postIds.indexOf(r.id))
    }
    expect(await search('TRAINING')).toEqual([0, 1])
    expect(await search('  #train ')).toEqual([0])
    expect(await search('training', { split: 'test' })).toEqual([1])
    // LIKE's wildcards are the characters themselves.
    expect(await search('100%')).toEqual([1])
    expect(await search('%')).toEqual([1])
    expect(await search('_')).toEqual([4])
    expect(await search('жарко')).toEqual([3])
    // An id in its source, exactly ("p1", not "p10"); here also the text that holds it.
    expect(await search('p3')).toEqual([2])
    expect(await search('p1')).toEqual([0, 5])
    expect(await search('no such words')).toEqual([])
    expect(await search('   ')).toEqual([0, 1, 2, 3, 4, 5])

    // With the prediction filter, which otherwise walks the prediction set alone.
    const probabilities = Float32Array.from({ length: postIds.length * 3 }, (_, k) => (k % 3 === 2 ? 0.8 : 0.1))
    await backend.store.predictions.save({ projectId, runId: null, modelPath: '/m', method: 'fusion', encoder: 'default', metadata: {}, missing: 0, elapsedMs: 1, postIds, probabilities })
    expect(await search('training', { predicted: 'positive' })).toEqual([0, 1])
    expect(await search('training', { predicted: 'negative' })).toEqual([])

    expect(await backend.dispatch('posts.page', { projectId, offset: 0, limit: 100, search: 'x'.repeat(201) })).toMatchObject({
      ok: false,
      error: { code: 'bad-request', message: expect.stringContaining('search') },
    })
  })
})
