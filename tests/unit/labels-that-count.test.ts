// Labels that count: the queue, Suggest and the progress panel speak of posts training can use;
// conflict posts (which training leaves out) come only when asked for, and a run's plan says which
// labels it will not learn from, and why.
import { describe, expect, it } from 'vitest'
import { labelsNotCounted } from '#main/training/labels-not-counted'
import { testBackend } from './support/backend'
import { seedProject } from './support/posts'

function setup() {
  const backend = testBackend()
  // p1, p2 train; p3 conflict split; p4 a train post flagged conflict; p5 test.
  const { projectId, postIds } = seedProject(backend.store, [
    { split: 'train' },
    { split: 'train' },
    { split: 'conflict', conflict: true },
    { split: 'train', conflict: true },
    { split: 'test' },
  ])
  const label = (postId: number) => backend.call('labels.set', { projectId, postId, modality: 'overall', label: 'positive', annotator: 'ann' })
  return { backend, projectId, ids: postIds, label }
}

const externalIds = (page: { items: Array<{ post: { externalId: string } }> }) => page.items.map((i) => i.post.externalId)

describe('conflict posts are offered only when asked for', () => {
  it('the default queue skips them; asking (or the conflict split) brings them back', async () => {
    const { backend, projectId } = setup()
    const plain = await backend.call('labels.queue', { projectId, withTotal: true })
    expect(externalIds(plain)).toEqual(['p1', 'p2', 'p5'])
    expect(plain.total).toBe(3)
    expect(externalIds(await backend.call('labels.queue', { projectId, conflicts: true }))).toEqual(['p1', 'p2', 'p3', 'p4', 'p5'])
    expect(externalIds(await backend.call('labels.queue', { projectId, split: 'conflict' }))).toEqual(['p3'])
  })

  it('Suggest picks only posts training can use, and says why when only conflict posts are left', async () => {
    const { backend, projectId, ids, label } = setup()
    const picked = await backend.call('labels.suggest', { projectId, strategy: 'stratified', count: 10, seed: 1 })
    expect(picked.candidates).toBe(3)
    expect(picked.picked.map((p) => p.externalId).sort()).toEqual(['p1', 'p2', 'p5'])

    for (const i of [0, 1, 4]) await label(ids[i]!)
    const stratified = (await backend.call('labels.strategies', { projectId })).find((s) => s.strategy === 'stratified')!
    expect(stratified.available).toBe(false)
    expect(stratified.reason).toMatch(/the 2 unlabeled posts left are conflict posts, which training leaves out/)
    const asked = await backend.call('labels.suggest', { projectId, strategy: 'stratified', count: 10, seed: 1, conflicts: true })
    expect(asked.picked.map((p) => p.externalId).sort()).toEqual(['p3', 'p4'])
  })

  it('progress counts labeled posts training can use apart from conflict posts', async () => {
    const { backend, projectId, ids, label } = setup()
    await label(ids[0]!)
    await label(ids[2]!)
    expect((await backend.call('labels.progress', { projectId })).coverage).toEqual({ usable: 3, usableLabeled: 1, conflict: 2, conflictLabeled: 1 })
  })
})

describe('labels a run does not count', () => {
  const post = (split: 'train' | 'test' | 'conflict', source: 'human' | 'imported' | 'correction', conflict = false) => ({ split, conflict, label: 'positive', source })

  it('names each reason with its count: conflict posts, evaluation posts, imported labels under “your labels”', () => {
    const posts = [post('conflict', 'human', true), post('train', 'human', true), post('test', 'human'), post('train', 'imported'), post('train', 'human')]
    expect(labelsNotCounted(posts, 'current')).toEqual([
      { reason: expect.stringMatching(/^on conflict posts/), count: 2 },
      { reason: expect.stringMatching(/^on val\/test posts: they score the run/), count: 1 },
      { reason: expect.stringMatching(/^imported: “your labels” trains on labels set in this app/), count: 1 },
    ])
  })

  it('a drawn budget counts imported labels but not corrections', () => {
    expect(labelsNotCounted([post('train', 'imported'), post('train', 'correction')], 'draw')).toEqual([
      { reason: expect.stringMatching(/^corrections and accepted pseudo-labels/), count: 1 },
    ])
  })
})
