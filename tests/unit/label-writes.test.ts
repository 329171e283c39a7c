// Labels, undo and redo through the back end: what lands in SQLite, what the history shows, and
// how each annotator's stack behaves across posts, restarts and other people's labels.
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { createBackend, type Backend } from '#main/app/backend'
import type { Req } from '#shared/contract'
import { SENTIMENTS, type Modality, type Sentiment } from '#shared/vocabulary'
import { testBackend } from './support/backend'
import { seedProject } from './support/posts'
import { tempDir } from './support/temp'
import { trainingProject } from './support/training-project'

function setup(posts = 3): { backend: Backend; projectId: number; postIds: number[] } {
  const backend = testBackend()
  return { backend, ...seedProject(backend.store, posts) }
}

const label = (backend: Backend, req: Omit<Req<'labels.set'>, 'annotator'> & { annotator?: string }) =>
  backend.call('labels.set', { annotator: 'ann', ...req })

/** Overall labels, one after another: [post, label, annotator]. */
async function labelInTurn(backend: Backend, projectId: number, steps: Array<[number, Sentiment, string]>): Promise<void> {
  for (const [postId, value, annotator] of steps) await label(backend, { projectId, postId, modality: 'overall', label: value, annotator })
}

/** The post's current labels as stored on the post row (what the grid and counts read). */
const stored = (backend: Backend, projectId: number, postId: number) => backend.store.posts.get(projectId, postId)!.labels

const historyOf = (backend: Backend, postId: number): Array<[Modality, Sentiment | null, string, string]> =>
  backend.store.annotations.postLabels(postId).history.map((h) => [h.modality, h.label, h.kind, h.annotator])

describe('labels.set', () => {
  it('commits the label, keeps the post current, and answers with history and the undo step', async () => {
    const { backend, projectId, postIds } = setup()
    const ack = await label(backend, { projectId, postId: postIds[0]!, modality: 'overall', label: 'positive' })
    expect(stored(backend, projectId, postIds[0]!)).toEqual({ overall: 'positive', text: null, image: null })
    expect(ack.labels.current.overall).toMatchObject({ label: 'positive', annotator: 'ann', source: 'human', kind: 'label' })
    expect(ack.labels.history).toHaveLength(1)
    expect(ack.step).toEqual({ postId: postIds[0], externalId: 'p1', modality: 'overall', from: null, to: 'positive' })
    expect(ack.undo).toEqual({ undo: ack.step, redo: null })
    expect(ack.annotationId).toBe(ack.labels.current.overall!.id)
  })

  it('labels text and image on their own, and announces every change', async () => {
    const { backend, projectId, postIds } = setup()
    const seen: unknown[] = []
    backend.events.subscribe((event, payload) => seen.push([event, payload]))
    await label(backend, { projectId, postId: postIds[1]!, modality: 'text', label: 'negative' })
    await label(backend, { projectId, postId: postIds[1]!, modality: 'image', label: 'positive' })
    expect(stored(backend, projectId, postIds[1]!)).toEqual({ overall: null, text: 'negative', image: 'positive' })
    expect(seen).toEqual([
      ['labels.changed', { projectId, postId: postIds[1], labels: { overall: null, text: 'negative', image: null }, annotator: 'ann' }],
      ['labels.changed', { projectId, postId: postIds[1], labels: { overall: null, text: 'negative', image: 'positive' }, annotator: 'ann' }],
    ])
  })

  it('refuses bad payloads with messages naming the field', async () => {
    const { backend, projectId, postIds } = setup()
    const other = seedProject(backend.store, 1, 'other')
    const base = { projectId, postId: postIds[0], modality: 'overall', label: 'positive', annotator: 'ann' }
    const cases: Array<[unknown, string]> = [
      [{ ...base, modality: undefined }, 'modality: required (one of overall, text, image)'],
      [{ ...base, modality: 'audio' }, 'modality: expected one of overall, text, image'],
      [{ ...base, label: 'happy' }, 'label: expected one of positive, neutral, negative'],
      [{ projectId, postId: postIds[0], modality: 'overall', annotator: 'ann' }, 'label: required (one of positive, neutral, negative, or null)'],
      [{ ...base, annotator: '  ' }, 'annotator: enter a name'],
      [{ ...base, annotator: 'a'.repeat(65) }, 'annotator: at most 64 characters'],
      [{ ...base, annotator: 'a\nb' }, 'annotator: no control characters'],
      [{ ...base, source: 'pseudo-accepted' }, 'source: expected one of human, correction'],
      [{ ...base, postId: other.postIds[0] }, `No post with id ${other.postIds[0]} in project ${projectId}`],
      [{ ...base, postId: 'x' }, 'postId: expected a positive integer id'],
    ]
    for (const [payload, message] of cases) {
      expect(await backend.dispatch('labels.set', payload)).toEqual({ ok: false, error: { code: expect.any(String), message } })
    }
    expect(backend.store.db.prepare('SELECT count(*) AS n FROM annotations').get()).toEqual({ n: 0 })
  })
})

describe('undo and redo', () => {
  it('walk back and forth across posts, appending to the history each time', async () => {
    const { backend, projectId, postIds } = setup()
    const [a, b] = postIds as [number, number]
    await label(backend, { projectId, postId: a, modality: 'overall', label: 'positive' })
    await label(backend, { projectId, postId: b, modality: 'overall', label: 'negative' })
    await label(backend, { projectId, postId: b, modality: 'overall', label: 'neutral' })

    const first = await backend.call('labels.undo', { projectId, annotator: 'ann' })
    expect(first.step).toEqual({ postId: b, externalId: 'p2', modality: 'overall', from: 'neutral', to: 'negative' })
    expect(stored(backend, projectId, b).overall).toBe('negative')
    await backend.call('labels.undo', { projectId, annotator: 'ann' })
    expect(stored(backend, projectId, b).overall).toBeNull()
    const third = await backend.call('labels.undo', { projectId, annotator: 'ann' })
    expect(third.step).toMatchObject({ postId: a, from: 'positive', to: null })
    expect(third.undo).toEqual({ undo: null, redo: { postId: a, externalId: 'p1', modality: 'overall', from: null, to: 'positive' } })
    expect(await backend.call('labels.undo', { projectId, annotator: 'ann' })).toEqual({ step: null, labels: null, undo: third.undo })

    const redo = await backend.call('labels.redo', { projectId, annotator: 'ann' })
    expect(redo.step).toMatchObject({ postId: a, from: null, to: 'positive' })
    expect(stored(backend, projectId, a).overall).toBe('positive')
    await backend.call('labels.redo', { projectId, annotator: 'ann' })
    expect(stored(backend, projectId, b).overall).toBe('negative')
    // Two steps on one post redo in order, each on top of the other.
    await backend.call('labels.redo', { projectId, annotator: 'ann' })
    expect(stored(backend, projectId, b).overall).toBe('neutral')

    // Nothing is rewritten: every label, undo and redo is a row of its own, newest first.
    expect(historyOf(backend, b)).toEqual([
      ['overall', 'neutral', 'redo', 'ann'],
      ['overall', 'negative', 'redo', 'ann'],
      ['overall', null, 'undo', 'ann'],
      ['overall', 'negative', 'undo', 'ann'],
      ['overall', 'neutral', 'label', 'ann'],
      ['overall', 'negative', 'label', 'ann'],
    ])
  })

  it('a new label drops the steps that were undone', async () => {
    const { backend, projectId, postIds } = setup()
    await label(backend, { projectId, postId: postIds[0]!, modality: 'overall', label: 'positive' })
    await backend.call('labels.undo', { projectId, annotator: 'ann' })
    const ack = await label(backend, { projectId, postId: postIds[1]!, modality: 'text', label: 'neutral' })
    expect(ack.undo.redo).toBeNull()
    expect((await backend.call('labels.redo', { projectId, annotator: 'ann' })).step).toBeNull()
    expect(stored(backend, projectId, postIds[0]!).overall).toBeNull()
  })

  it('restores whatever stood before, including an imported label, and keeps stacks per annotator', async () => {
    const { backend, projectId, postIds } = setup()
    const post = postIds[0]!
    backend.store.annotations.append({ projectId, postId: post, modality: 'image', label: 'neutral', source: 'imported', kind: 'label', annotator: 'mvsa' })
    await label(backend, { projectId, postId: post, modality: 'image', label: 'negative', annotator: 'ann' })
    await label(backend, { projectId, postId: postIds[1]!, modality: 'image', label: 'positive', annotator: 'bob' })
    const undo = await backend.call('labels.undo', { projectId, annotator: 'ann' })
    expect(undo.step).toMatchObject({ postId: post, from: 'negative', to: 'neutral' })
    expect(stored(backend, projectId, post).image).toBe('neutral')
    expect(stored(backend, projectId, postIds[1]!).image).toBe('positive')
    expect((await backend.call('labels.undoState', { projectId, annotator: 'bob' })).undo).toMatchObject({ postId: postIds[1], to: 'positive' })
  })

  it('will not overwrite a label someone wrote since: the step is dropped and the message says who', async () => {
    const { backend, projectId, postIds } = setup()
    const [a, b] = postIds as [number, number]
    await labelInTurn(backend, projectId, [
      [a, 'neutral', 'ann'],
      [b, 'positive', 'ann'],
      [b, 'negative', 'bob'],
    ])
    const refused = await backend.dispatch('labels.undo', { projectId, annotator: 'ann' })
    expect(refused).toMatchObject({ ok: false, error: { code: 'conflict', message: expect.stringMatching(/^Cannot undo the overall label of post p2: bob labeled it since \(\d{4}-\d\d-\d\d \d\d:\d\d UTC\)\. /) } })
    expect(stored(backend, projectId, b).overall).toBe('negative')
    // The next undo reaches the step before.
    const next = await backend.call('labels.undo', { projectId, annotator: 'ann' })
    expect(next.step).toMatchObject({ postId: a, from: 'neutral', to: null })
  })

  it('survives a restart: the stack lives in SQLite', async () => {
    const dbPath = path.join(tempDir(), 'undo.db')
    const first = createBackend({ dbPath, shell: { shell: 'browser' } })
    const { projectId, postIds } = seedProject(first.store, 2)
    await label(first, { projectId, postId: postIds[0]!, modality: 'overall', label: 'positive' })
    await label(first, { projectId, postId: postIds[1]!, modality: 'overall', label: 'negative' })
    await first.call('labels.undo', { projectId, annotator: 'ann' })
    first.close()

    const again = createBackend({ dbPath, shell: { shell: 'browser' } })
    try {
      expect(await again.call('labels.undoState', { projectId, annotator: 'ann' })).toEqual({
        undo: { postId: postIds[0], externalId: 'p1', modality: 'overall', from: null, to: 'positive' },
        redo: { postId: postIds[1], externalId: 'p2', modality: 'overall', from: null, to: 'negative' },
      })
      await again.call('labels.undo', { projectId, annotator: 'ann' })
      expect(stored(again, projectId, postIds[0]!).overall).toBeNull()
    } finally {
      again.close()
    }
  })
})

describe('an undo gives back the label that stood, as it stood', () => {
  it('an imported label relabeled and then undone is imported again: a run on "my labels" does not count it as yours', async () => {
    const backend = testBackend()
    const { projectId, postIds } = trainingProject(backend.store)
    const post = postIds[0]!
    const imported = backend.store.annotations.latest(post, 'overall')!
    const mine = async () => (await backend.call('runs.plan', { projectId, method: 'supervised', preset: 'quick', labels: { mode: 'current' }, seed: 1 })).labels.human
    await label(backend, { projectId, postId: post, modality: 'overall', label: SENTIMENTS.find((s) => s !== imported.label)! })
    expect(await mine()).toBe(1)
    await backend.call('labels.undo', { projectId, annotator: 'ann' })
    expect(await mine()).toBe(0)
    expect(backend.store.annotations.latest(post, 'overall')).toMatchObject({ label: imported.label, source: 'imported', annotator: imported.annotator, kind: 'undo' })
    // Ann's own label is taken back in her name just before: the history says who undid.
    expect(historyOf(backend, post).slice(0, 2)).toEqual([
      ['overall', imported.label, 'undo', imported.annotator],
      ['overall', null, 'undo', 'ann'],
    ])
  })

  it("an annotator who undoes their label over a colleague's has no label there: the agreement does not pair them on it", async () => {
    const { backend, projectId, postIds } = setup()
    const [a, b] = postIds as [number, number]
    await labelInTurn(backend, projectId, [
      [a, 'positive', 'bob'],
      [b, 'negative', 'bob'],
      [b, 'positive', 'ann'],
      [a, 'neutral', 'ann'],
    ])
    await backend.call('labels.undo', { projectId, annotator: 'ann' })
    expect(stored(backend, projectId, a).overall).toBe('positive')
    expect(backend.store.annotations.latest(a, 'overall')).toMatchObject({ label: 'positive', source: 'human', annotator: 'bob' })
    const report = await backend.call('labels.agreement', { projectId })
    expect(report.annotators).toEqual([
      { annotator: 'ann', posts: 1 },
      { annotator: 'bob', posts: 2 },
    ])
    expect(report.pairs).toMatchObject([{ a: 'ann', b: 'bob', posts: 1, agreed: 0 }])
  })

  it("gives the undoer their own earlier label back, and a further undo does not overwrite the colleague's label it restored", async () => {
    const { backend, projectId, postIds } = setup()
    const post = postIds[0]!
    await labelInTurn(backend, projectId, [
      [post, 'positive', 'ann'],
      [post, 'neutral', 'bob'],
      [post, 'negative', 'ann'],
    ])
    await backend.call('labels.undo', { projectId, annotator: 'ann' })
    expect(stored(backend, projectId, post).overall).toBe('neutral')
    // Ann's label of the post is her first one again; Bob's stands on the post.
    const report = await backend.call('labels.agreement', { projectId })
    expect(report.disagreements).toMatchObject([{ postId: post, labels: [{ annotator: 'ann', label: 'positive' }, { annotator: 'bob', label: 'neutral' }] }])
    // Her first step would now clear Bob's label: it is dropped instead, and Bob's label stays.
    const refused = await backend.dispatch('labels.undo', { projectId, annotator: 'ann' })
    expect(refused).toMatchObject({ ok: false, error: { code: 'conflict', message: expect.stringMatching(/^Cannot undo the overall label of post p1: it carries bob's label again, which your undo put back/) } })
    expect(stored(backend, projectId, post).overall).toBe('neutral')
    // Redo still reaches the step undone: Ann's negative again.
    expect((await backend.call('labels.redo', { projectId, annotator: 'ann' })).step).toMatchObject({ postId: post, from: 'neutral', to: 'negative' })
    expect(stored(backend, projectId, post).overall).toBe('negative')
  })

  it('a step recorded before migration 20 (no row noted before it) undoes as it did: its earlier value, under the undoer\'s name', async () => {
    const { backend, projectId, postIds } = setup()
    const post = postIds[0]!
    backend.store.annotations.append({ projectId, postId: post, modality: 'overall', label: 'neutral', source: 'imported', kind: 'label', annotator: 'mvsa' })
    await label(backend, { projectId, postId: post, modality: 'overall', label: 'negative' })
    backend.store.db.prepare('UPDATE label_actions SET before_annotation_id = NULL').run()
    expect((await backend.call('labels.undo', { projectId, annotator: 'ann' })).step).toMatchObject({ postId: post, from: 'negative', to: 'neutral' })
    expect(backend.store.annotations.latest(post, 'overall')).toMatchObject({ label: 'neutral', source: 'human', annotator: 'ann', kind: 'undo' })
  })
})
