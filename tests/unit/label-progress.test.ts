// Progress against the target, per-annotator counts, and the agreement report the view shows.
import { describe, expect, it } from 'vitest'
import type { Backend } from '#main/app/backend'
import type { Modality, Sentiment } from '#shared/vocabulary'
import { testBackend } from './support/backend'
import { seedProject } from './support/posts'

function setup(posts: number): { backend: Backend; projectId: number; ids: number[] } {
  const backend = testBackend()
  const { projectId, postIds } = seedProject(backend.store, posts)
  return { backend, projectId, ids: postIds }
}

async function labelAll(backend: Backend, projectId: number, annotator: string, ids: number[], labels: string, modality: Modality = 'overall') {
  const word: Record<string, Sentiment> = { p: 'positive', u: 'neutral', n: 'negative' }
  for (const [i, c] of [...labels].entries()) {
    await backend.call('labels.set', { projectId, postId: ids[i]!, modality, label: word[c]!, annotator })
  }
}

const counts = (positive: number, neutral: number, negative: number) => ({ positive, neutral, negative })

describe('labeling progress', () => {
  it('counts current labels per modality and per annotator, against the target', async () => {
    const { backend, projectId, ids } = setup(4)
    backend.store.annotations.append({ projectId, postId: ids[3]!, modality: 'text', label: 'negative', source: 'imported', kind: 'label', annotator: 'mvsa' })
    await labelAll(backend, projectId, 'ann', ids, 'ppn')
    await labelAll(backend, projectId, 'bob', ids, 'pn')
    await labelAll(backend, projectId, 'bob', ids, 'u', 'image')
    await backend.call('labels.undo', { projectId, annotator: 'ann' }) // ann's third label is cleared

    const progress = await backend.call('labels.setTarget', { projectId, target: 600 })
    expect(progress).toEqual({
      projectId,
      total: 4,
      coverage: { usable: 4, usableLabeled: 2, conflict: 0, conflictLabeled: 0 },
      target: 600,
      labels: { overall: counts(1, 0, 1), text: counts(0, 0, 1), image: counts(0, 1, 0) },
      annotators: [
        { annotator: 'ann', labels: { overall: counts(2, 0, 0), text: counts(0, 0, 0), image: counts(0, 0, 0) } },
        { annotator: 'bob', labels: { overall: counts(1, 0, 1), text: counts(0, 0, 0), image: counts(0, 1, 0) } },
      ],
    })
    // The trigger-kept counts agree with a count over the posts themselves.
    expect(progress.labels).toEqual(backend.store.stats.forProject(projectId).labels)
    expect((await backend.call('labels.setTarget', { projectId, target: null })).target).toBeNull()
    expect(await backend.dispatch('labels.setTarget', { projectId, target: 0 })).toEqual({
      ok: false,
      error: { code: 'bad-request', message: 'target: expected an integer from 1 to 10000000' },
    })
    expect(await backend.dispatch('labels.setTarget', { projectId })).toEqual({
      ok: false,
      error: { code: 'bad-request', message: 'target: required (a number of posts from 1 to 10000000, or null)' },
    })
  })

  it('answers a new target with its counts from the read thread, which sees the target just written', async () => {
    const backend = testBackend({ readThread: true })
    const { projectId, postIds } = seedProject(backend.store, 6)
    await labelAll(backend, projectId, 'ann', postIds, 'pun')
    for (const target of [600, 700, null, 5]) {
      const progress = await backend.call('labels.setTarget', { projectId, target })
      expect(progress).toMatchObject({ projectId, total: 6, target, labels: { overall: counts(1, 1, 1) } })
    }
    expect(backend.store.projects.labelTarget(projectId)).toBe(5)
  })

  it('keeps its counts through imports, relabels and a deleted project', async () => {
    const { backend, projectId, ids } = setup(3)
    const other = seedProject(backend.store, 2, 'other')
    await labelAll(backend, other.projectId, 'ann', other.postIds, 'pn')
    for (const id of ids) backend.store.annotations.append({ projectId, postId: id, modality: 'text', label: 'neutral', source: 'imported', kind: 'label', annotator: 'mvsa' })
    await labelAll(backend, projectId, 'ann', ids, 'ppp', 'text')
    await labelAll(backend, projectId, 'ann', ids, 'n', 'text')
    expect((await backend.call('labels.progress', { projectId })).labels.text).toEqual(counts(2, 0, 1))
    await backend.call('projects.delete', { projectId: other.projectId })
    expect(backend.store.db.prepare('SELECT count(*) AS n FROM label_counts WHERE project_id = ?').get(other.projectId)).toEqual({ n: 0 })
    expect((await backend.call('labels.progress', { projectId })).labels).toEqual(backend.store.stats.forProject(projectId).labels)
  })
})

describe('the agreement report', () => {
  it('compares human labels only, lists disagreements, and shows how a correction resolved one', async () => {
    const { backend, projectId, ids } = setup(6)
    await labelAll(backend, projectId, 'ann', ids, 'ppnnuu')
    await labelAll(backend, projectId, 'bob', ids, 'pnnuu')
    // A correction settles post 2; it does not count as anyone's independent label.
    await backend.call('labels.set', { projectId, postId: ids[1]!, modality: 'overall', label: 'negative', annotator: 'cy', source: 'correction' })

    const report = await backend.call('labels.agreement', { projectId })
    // Shared: 5 posts. ann p p n n u, bob p n n u u: agreed 3, p_o = 3/5.
    // ann: p 2, n 2, u 1; bob: p 1, n 2, u 2. p_e = (2 + 4 + 2)/25 = 8/25; κ = (15 − 8)/(25 − 8) = 7/17.
    expect(report.pairs).toEqual([{ a: 'ann', b: 'bob', posts: 5, agreed: 3, kappa: expect.closeTo(7 / 17, 12) }])
    expect(report.annotators).toEqual([
      { annotator: 'ann', posts: 6 },
      { annotator: 'bob', posts: 5 },
    ])
    expect(report.units).toBe(5)
    expect(report.disagreementCount).toBe(2)
    expect(report.disagreements).toEqual([
      { postId: ids[1], externalId: 'p2', text: 'post 2', labels: [{ annotator: 'ann', label: 'positive' }, { annotator: 'bob', label: 'negative' }], resolved: 'negative' },
      { postId: ids[3], externalId: 'p4', text: 'post 4', labels: [{ annotator: 'ann', label: 'negative' }, { annotator: 'bob', label: 'neutral' }], resolved: null },
    ])
    const text = await backend.call('labels.agreement', { projectId, modality: 'text' })
    expect(text).toMatchObject({ modality: 'text', pairs: [], alpha: null, alphaReason: 'no post has labels from two annotators', units: 0 })
  })
})
