// The labeling queue: the order each filter gives, paged by place (not offset), so labeling a
// post while working through it never skips or repeats one.
import { describe, expect, it } from 'vitest'
import type { Backend } from '#main/app/backend'
import type { Req } from '#shared/contract'
import { testBackend } from './support/backend'
import { seedProject, type SeedPost } from './support/posts'

const POSTS: SeedPost[] = [
  { text: 'sunny day #beach', split: 'train' }, // p1
  { text: 'rain again', split: 'test' }, // p2
  { text: '100% sure_thing', split: 'train' }, // p3
  { text: 'Beach party @friend', split: 'val' }, // p4
  { text: 'nothing much', split: 'train' }, // p5
  { text: 'a 100 percent', split: 'test' }, // p6
]

function setup(): { backend: Backend; projectId: number; ids: number[] } {
  const backend = testBackend()
  const { projectId, postIds } = seedProject(backend.store, POSTS)
  return { backend, projectId, ids: postIds }
}

/** External ids of the queue's page. */
async function queue(backend: Backend, req: Req<'labels.queue'>): Promise<string[]> {
  return (await backend.call('labels.queue', req)).items.map((i) => i.post.externalId)
}

const label = (backend: Backend, projectId: number, postId: number, modality: 'overall' | 'text' | 'image', label: 'positive' | 'neutral' | 'negative') =>
  backend.call('labels.set', { projectId, postId, modality, label, annotator: 'ann' })

describe('the labeling queue', () => {
  it('puts unlabeled posts first and keeps its place while posts get labeled', async () => {
    const { backend, projectId, ids } = setup()
    await label(backend, projectId, ids[1]!, 'overall', 'neutral')
    await label(backend, projectId, ids[3]!, 'overall', 'positive')
    expect(await queue(backend, { projectId, limit: 10 })).toEqual(['p1', 'p3', 'p5', 'p6', 'p2', 'p4'])

    // Label the first two as they come: "next" after each is the next unlabeled post, not a later one.
    const first = (await backend.call('labels.queue', { projectId, limit: 1 })).items[0]!
    await label(backend, projectId, first.post.id, 'overall', 'negative')
    const second = (await backend.call('labels.queue', { projectId, cursor: first.cursor, limit: 1 })).items[0]!
    expect(second.post.externalId).toBe('p3')
    await label(backend, projectId, second.post.id, 'overall', 'negative')
    expect(await queue(backend, { projectId, cursor: second.cursor, limit: 10 })).toEqual(['p5', 'p6', 'p1', 'p2', 'p3', 'p4'])
    // Backwards walks the order as it stands: p1 and p3 moved to the labeled end, so nothing
    // unlabeled comes before p5 any more (the view retraces the posts it showed instead).
    const p5 = (await backend.call('labels.queue', { projectId, cursor: second.cursor, limit: 1 })).items[0]!
    expect(await queue(backend, { projectId, cursor: p5.cursor, direction: 'prev', limit: 10 })).toEqual([])
    const p3 = (await backend.call('labels.queue', { projectId, at: ids[2]!, limit: 1 })).items[0]!
    expect(await queue(backend, { projectId, cursor: p3.cursor, direction: 'prev', limit: 10 })).toEqual(['p2', 'p1', 'p6', 'p5'])
  })

  it('walks backwards from the end and across segments', async () => {
    const { backend, projectId, ids } = setup()
    await label(backend, projectId, ids[0]!, 'overall', 'neutral')
    expect(await queue(backend, { projectId, direction: 'prev', limit: 3 })).toEqual(['p1', 'p6', 'p5'])
    expect(await queue(backend, { projectId, order: 'id', direction: 'prev', limit: 2 })).toEqual(['p6', 'p5'])
  })

  it('filters by split, class, text/image disagreement, text and pseudo-label, and counts', async () => {
    const { backend, projectId, ids } = setup()
    await label(backend, projectId, ids[0]!, 'overall', 'positive')
    await label(backend, projectId, ids[2]!, 'overall', 'positive')
    await label(backend, projectId, ids[4]!, 'text', 'positive')
    await label(backend, projectId, ids[4]!, 'image', 'negative')
    await label(backend, projectId, ids[5]!, 'text', 'neutral')
    await label(backend, projectId, ids[5]!, 'image', 'neutral')
    const run = backend.store.db.prepare("INSERT INTO runs (project_id, method, status) VALUES (?, 'scdr', 'done')").run(projectId).lastInsertRowid
    backend.store.db.prepare("INSERT INTO pseudo_labels (run_id, post_id, label, confidence) VALUES (?, ?, 'negative', 0.4)").run(run, ids[1])

    expect(await queue(backend, { projectId, order: 'id', split: 'train' })).toEqual(['p1', 'p3', 'p5'])
    expect(await queue(backend, { projectId, order: 'id', overall: 'positive' })).toEqual(['p1', 'p3'])
    expect(await queue(backend, { projectId, order: 'id', overall: 'unlabeled', split: 'test' })).toEqual(['p2', 'p6'])
    expect(await queue(backend, { projectId, disagree: true })).toEqual(['p5'])
    expect(await queue(backend, { projectId, order: 'id', search: 'beach' })).toEqual(['p1', 'p4'])
    // % and _ match themselves, not "anything".
    expect(await queue(backend, { projectId, search: '100%' })).toEqual(['p3'])
    expect(await queue(backend, { projectId, search: 'n_t' })).toEqual([])
    expect(await queue(backend, { projectId, pseudo: true })).toEqual(['p2'])
    const page = await backend.call('labels.queue', { projectId, split: 'train', withTotal: true, limit: 1 })
    expect(page.total).toBe(3)
    expect((await backend.call('labels.queue', { projectId, limit: 1 })).total).toBeNull()
  })

  it('starts at a post jumped to from the grid, inclusive', async () => {
    const { backend, projectId, ids } = setup()
    await label(backend, projectId, ids[1]!, 'overall', 'neutral')
    expect(await queue(backend, { projectId, order: 'id', at: ids[1]!, limit: 3 })).toEqual(['p2', 'p3', 'p4'])
    // Unlabeled first: a labeled post's place is among the labeled ones at the end.
    expect(await queue(backend, { projectId, at: ids[1]!, limit: 3 })).toEqual(['p2'])
    expect(await queue(backend, { projectId, at: ids[3]!, limit: 4 })).toEqual(['p4', 'p5', 'p6', 'p2'])
    expect(await queue(backend, { projectId, at: ids[3]!, direction: 'prev', limit: 2 })).toEqual(['p4', 'p3'])
  })

  it('follows the latest suggestion batch in rank order, naming the strategy of each post', async () => {
    const { backend, projectId, ids } = setup()
    expect((await backend.call('labels.queue', { projectId, order: 'suggested', withTotal: true })).total).toBe(0)
    backend.store.suggestions.record({ projectId, strategy: 'stratified', requested: 2, annotator: null }, [
      { postId: ids[4]!, strategy: 'stratified', reason: 'r1' },
      { postId: ids[0]!, strategy: 'diverse', reason: 'r2' },
    ])
    const page = await backend.call('labels.queue', { projectId, order: 'suggested', withTotal: true })
    expect(page.total).toBe(2)
    expect(page.items.map((i) => [i.post.externalId, i.suggestion?.strategy, i.suggestion?.rank])).toEqual([
      ['p5', 'stratified', 1],
      ['p1', 'diverse', 2],
    ])
    expect(await queue(backend, { projectId, order: 'suggested', cursor: page.items[0]!.cursor })).toEqual(['p1'])
    expect(await queue(backend, { projectId, order: 'suggested', at: ids[0]! })).toEqual(['p1'])
  })

  it('refuses bad payloads with messages naming the field', async () => {
    const { backend, projectId } = setup()
    const cases: Array<[unknown, string]> = [
      [{ projectId, order: 'random' }, 'order: expected one of unlabeled-first, id, suggested'],
      [{ projectId, cursor: { segment: 5, key: 1 } }, 'cursor.segment: expected an integer from 0 to 1'],
      [{ projectId, cursor: 'x' }, 'cursor: expected an object'],
      [{ projectId, limit: 500 }, 'limit: expected an integer from 1 to 50'],
      [{ projectId, disagree: 'yes' }, 'disagree: expected true or false'],
      [{ projectId, search: 'x'.repeat(201) }, 'search: at most 200 characters'],
      [{ projectId, direction: 'up' }, 'direction: expected one of next, prev'],
    ]
    for (const [payload, message] of cases) {
      expect(await backend.dispatch('labels.queue', payload)).toEqual({ ok: false, error: { code: 'bad-request', message } })
    }
  })
})
