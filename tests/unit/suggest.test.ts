// "What to label next": stratified allocation, k-center on features, lowest confidence of the
// latest run, and the batch that records which strategy picked each post.
import { describe, expect, it } from 'vitest'
import type { Backend } from '#main/app/backend'
import { kCenterGreedy } from '#main/labeling/k-center'
import { sample, seededRandom } from '#main/core/random'
import { allocate, stratifiedSample } from '#main/core/stratified'
import type { Split } from '#shared/vocabulary'
import { testBackend } from './support/backend'
import { seedProject } from './support/posts'

const v = (...xs: number[]): Float32Array => Float32Array.from(xs)

describe('stratified allocation', () => {
  it('splits picks in proportion to stratum sizes, largest remainders first', () => {
    // 10 picks over 50/30/20: exact shares 5, 3, 2.
    expect(allocate(new Map([['train', 50], ['val', 30], ['test', 20]]), 10)).toEqual(new Map([['train', 5], ['val', 3], ['test', 2]]))
    // 4 picks over 5/3/2: shares 2, 1.2, 0.8 → floors 2, 1, 0 and the one left to the 0.8.
    expect(allocate(new Map([['a', 5], ['b', 3], ['c', 2]]), 4)).toEqual(new Map([['a', 2], ['b', 1], ['c', 1]]))
    // More picks than posts: everything, never more than a stratum holds.
    expect(allocate(new Map([['a', 2], ['b', 1]]), 9)).toEqual(new Map([['a', 2], ['b', 1]]))
  })

  it('draws distinct ids within each stratum, repeatably from a seed', () => {
    const strata = new Map([
      ['train', [1, 2, 3, 4, 5, 6]],
      ['test', [7, 8, 9]],
    ])
    const picks = stratifiedSample(strata, 6, seededRandom(7))
    expect(picks.filter((p) => p.stratum === 'train')).toHaveLength(4)
    expect(picks.filter((p) => p.stratum === 'test')).toHaveLength(2)
    expect(new Set(picks.map((p) => p.id)).size).toBe(6)
    for (const p of picks) expect(strata.get(p.stratum)).toContain(p.id)
    expect(stratifiedSample(strata, 6, seededRandom(7))).toEqual(picks)
    expect(sample([1, 2, 3], 5, seededRandom(1)).sort()).toEqual([1, 2, 3])
  })
})

describe('greedy k-center', () => {
  it('picks the candidate farthest from every center, then from the picks too', async () => {
    // From (0,0): (5,0) is 5 away. Then (0,3) is 3 from its nearest center, (1,0) 1, (4.9,0.1) ~0.14.
    const picks = await kCenterGreedy([v(1, 0), v(5, 0), v(0, 3), v(4.9, 0.1)], [v(0, 0)], 2)
    expect(picks.map((p) => p.index)).toEqual([1, 2])
    expect(picks[0]!.distance).toBeCloseTo(5, 6)
    expect(picks[1]!.distance).toBeCloseTo(3, 6)
  })

  it('with nothing labeled, starts at the most typical post', async () => {
    // Mean (3.25, 0): nearest is (2,0). Then (10,0) is 8 away, then (0,0) is 2 away.
    const picks = await kCenterGreedy([v(0, 0), v(1, 0), v(2, 0), v(10, 0)], [], 3)
    expect(picks).toEqual([
      { index: 2, distance: null },
      { index: 3, distance: 8 },
      { index: 0, distance: 2 },
    ])
  })

  it('stops when every candidate left duplicates a center', async () => {
    expect(await kCenterGreedy([v(1, 1), v(1, 1)], [v(1, 1)], 2)).toEqual([])
  })
})

function setup(splits: Split[]): { backend: Backend; projectId: number; ids: number[] } {
  const backend = testBackend()
  const { projectId, postIds } = seedProject(backend.store, splits.map((split) => ({ split })))
  return { backend, projectId, ids: postIds }
}

function addFeatures(backend: Backend, postId: number, encoder: string, vector: number[]): void {
  backend.store.db
    .prepare("INSERT INTO features (post_id, encoder, view, dim, vector) VALUES (?, ?, 'clean', ?, ?)")
    .run(postId, encoder, vector.length, Buffer.from(Float32Array.from(vector).buffer))
}

function addRun(backend: Backend, projectId: number, status: string, pseudo: Array<[number, number]>): number {
  const run = Number(backend.store.db.prepare("INSERT INTO runs (project_id, method, status) VALUES (?, 'scdr', ?)").run(projectId, status).lastInsertRowid)
  for (const [postId, confidence] of pseudo) {
    backend.store.db.prepare("INSERT INTO pseudo_labels (run_id, post_id, label, confidence) VALUES (?, ?, 'positive', ?)").run(run, postId, confidence)
  }
  return run
}

const statuses = async (backend: Backend, projectId: number) =>
  Object.fromEntries((await backend.call('labels.strategies', { projectId })).map((s) => [s.strategy, [s.available, s.reason]]))

describe('suggest', () => {
  it('says why diverse and uncertain are unavailable before features and runs exist', async () => {
    const { backend, projectId } = setup(['train', 'train', 'test'])
    expect(await statuses(backend, projectId)).toEqual({
      stratified: [true, 'Random within each split, in proportion to its unlabeled posts (3 unlabeled)'],
      diverse: [false, 'No features yet: extract features for this project first'],
      uncertain: [false, 'No finished training run yet: train a model first'],
    })
    const run = addRun(backend, projectId, 'done', [])
    expect((await statuses(backend, projectId)).uncertain).toEqual([false, `Run #${run} wrote no pseudo-labels`])
    expect(await backend.dispatch('labels.suggest', { projectId, strategy: 'diverse', count: 2 })).toEqual({
      ok: false,
      error: { code: 'bad-request', message: 'strategy: No features yet: extract features for this project first' },
    })
  })

  it('stratified: in proportion to each split, recorded as the suggested queue', async () => {
    const { backend, projectId, ids } = setup(['train', 'train', 'train', 'train', 'test', 'test', 'val', 'val'])
    await backend.call('labels.set', { projectId, postId: ids[0]!, modality: 'overall', label: 'neutral', annotator: 'ann' })
    // Unlabeled: train 3, test 2, val 2 → 4 picks: shares 1.71, 1.14, 1.14 → 1, 1, 1 and one to train.
    const result = await backend.call('labels.suggest', { projectId, strategy: 'auto', count: 4, seed: 3 })
    expect(result.candidates).toBe(7)
    expect(result.picked).toHaveLength(4)
    expect(result.picked.every((p) => p.strategy === 'stratified')).toBe(true)
    expect(result.picked.map((p) => p.postId)).not.toContain(ids[0])
    const splitOf = (postId: number) => backend.store.posts.get(projectId, postId)!.split
    expect(result.picked.map((p) => splitOf(p.postId)).sort()).toEqual(['test', 'train', 'train', 'val'])
    expect(result.picked.find((p) => splitOf(p.postId) === 'train')!.reason).toBe('Random in split “train”: 2 of its 3 unlabeled posts')

    const queue = await backend.call('labels.queue', { projectId, order: 'suggested' })
    expect(queue.items.map((i) => [i.post.id, i.suggestion!.strategy, i.suggestion!.reason])).toEqual(result.picked.map((p) => [p.postId, p.strategy, p.reason]))
    // The same seed picks the same posts.
    expect((await backend.call('labels.suggest', { projectId, strategy: 'stratified', count: 4, seed: 3 })).picked).toEqual(result.picked)
  })

  it('diverse: k-center on the joined, unit-length features of every well-covered encoder', async () => {
    const { backend, projectId, ids } = setup(['train', 'train', 'train', 'train', 'train'])
    // Image vectors on a circle, text vectors all alike: only the image part separates posts.
    const angles = [0, 10, 90, 180, 185]
    ids.forEach((id, i) => {
      const a = (angles[i]! * Math.PI) / 180
      addFeatures(backend, id, 'img', [3 * Math.cos(a), 3 * Math.sin(a)])
      addFeatures(backend, id, 'txt', [0, 1, 0])
    })
    addFeatures(backend, ids[0]!, 'rare', [1]) // one post in five: left out
    await backend.call('labels.set', { projectId, postId: ids[0]!, modality: 'overall', label: 'neutral', annotator: 'ann' })
    expect((await statuses(backend, projectId)).diverse).toEqual([
      true,
      'k-center on features (img + txt): each pick is the post farthest from everything labeled or picked',
    ])
    // Unit-length, joined: distance between angles θ apart is the chord 2·sin(θ/2). From the
    // labeled post at 0°, 180° is farthest (2); then 90° is √2 from both, 10° and 185° far less.
    const result = await backend.call('labels.suggest', { projectId, strategy: 'diverse', count: 2, seed: 1 })
    expect(result.picked.map((p) => [p.externalId, p.strategy])).toEqual([
      ['p4', 'diverse'],
      ['p3', 'diverse'],
    ])
    expect(result.picked.map((p) => p.reason)).toEqual([
      'Farthest from every labeled or earlier-picked post (distance 2.000)',
      'Farthest from every labeled or earlier-picked post (distance 1.414)',
    ])
  })

  it('uncertain: lowest confidence of the latest finished run, topped up by stratified random', async () => {
    const { backend, projectId, ids } = setup(['train', 'train', 'train', 'test', 'test'])
    addRun(backend, projectId, 'done', [[ids[0]!, 0.2]]) // an older run
    const run = addRun(backend, projectId, 'done', [
      [ids[0]!, 0.9],
      [ids[1]!, 0.35],
      [ids[2]!, 0.1],
    ])
    addRun(backend, projectId, 'running', [[ids[3]!, 0.01]]) // not finished: ignored
    await backend.call('labels.set', { projectId, postId: ids[2]!, modality: 'overall', label: 'neutral', annotator: 'ann' })
    expect((await statuses(backend, projectId)).uncertain?.[1]).toMatch(new RegExp(`^Lowest confidence of run #${run}\\. Runs store no per-class probabilities`))

    const result = await backend.call('labels.suggest', { projectId, strategy: 'auto', count: 3, seed: 5 })
    expect(result.picked.slice(0, 2)).toEqual([
      { postId: ids[1], externalId: 'p2', strategy: 'uncertain', reason: `Run #${run} said positive with confidence 0.35, among its least sure` },
      { postId: ids[0], externalId: 'p1', strategy: 'uncertain', reason: `Run #${run} said positive with confidence 0.90, among its least sure` },
    ])
    expect(result.picked[2]).toMatchObject({ strategy: 'stratified' })
    expect([ids[3], ids[4]]).toContain(result.picked[2]!.postId)
  })

  it('refuses bad payloads with messages naming the field', async () => {
    const { backend, projectId } = setup(['train'])
    const cases: Array<[unknown, string]> = [
      [{ projectId, count: 3 }, 'strategy: required (one of stratified, diverse, uncertain, auto)'],
      [{ projectId, strategy: 'auto', count: 0 }, 'count: expected an integer from 1 to 1000'],
      [{ projectId, strategy: 'auto', count: 1, seed: -1 }, 'seed: expected an integer from 0 to 4294967295'],
    ]
    for (const [payload, message] of cases) {
      expect(await backend.dispatch('labels.suggest', payload)).toEqual({ ok: false, error: { code: 'bad-request', message } })
    }
    await backend.call('labels.set', { projectId, postId: 1, modality: 'overall', label: 'neutral', annotator: 'ann' })
    expect(await backend.dispatch('labels.suggest', { projectId, strategy: 'auto', count: 1 })).toEqual({
      ok: false,
      error: { code: 'bad-request', message: 'strategy: Every post has an overall label' },
    })
  })
})
