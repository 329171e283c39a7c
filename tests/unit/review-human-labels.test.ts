// Review never overwrites a label nobody chose to replace (issue 12, finding 1): a run proposes
// pseudo-labels for posts that already carry one (an imported label, a human's), and accepting one
// used to replace that label unseen. Now the queue holds only posts without a label unless the
// reviewer asks for labeled ones; each item shows the post's label, who set it and when; an accept
// or correction over it must name it and is an undoable step; a correction equal to the proposal is
// an accept; bulk accept leaves labeled posts alone; and every label's provenance stays in the
// post's history.
import { describe, expect, it } from 'vitest'
import type { Backend } from '#main/app/backend'
import type { Sentiment } from '#shared/vocabulary'
import { testBackend } from './support/backend'
import { seedProject } from './support/posts'

/** Five train posts; p1–p3 carry an imported overall label (as MVSA's), p4–p5 none; the run proposes for all five. */
const IMPORTED: Array<Sentiment | null> = ['positive', 'negative', 'neutral', null, null]
const PROPOSED: Sentiment[] = ['negative', 'negative', 'positive', 'neutral', 'positive']

function setup() {
  const backend = testBackend()
  const { projectId, postIds } = seedProject(backend.store, IMPORTED.length)
  const db = backend.store.db
  IMPORTED.forEach((label, i) => {
    if (label) backend.store.annotations.append({ projectId, postId: postIds[i]!, modality: 'overall', label, source: 'imported', kind: 'label', annotator: 'mvsa:rule' })
  })
  const runId = Number(db.prepare("INSERT INTO runs (project_id, method, status) VALUES (?, 'scdr', 'done')").run(projectId).lastInsertRowid)
  const insert = db.prepare('INSERT INTO pseudo_labels (run_id, post_id, label, confidence) VALUES (?, ?, ?, ?)')
  PROPOSED.forEach((label, i) => insert.run(runId, postIds[i], label, 0.34 + i * 0.01))
  return { backend, projectId, postIds, runId }
}

const queue = (backend: Backend, runId: number, scope?: 'unlabeled' | 'labeled' | 'all') =>
  backend.call('review.queue', { runId, offset: 0, limit: 50, ...(scope ? { scope } : {}) })
const overall = (backend: Backend, projectId: number, postId: number) => backend.store.posts.get(projectId, postId)!.labels.overall
const history = (backend: Backend, postId: number) =>
  backend.store.annotations.postLabels(postId).history.reverse().map((h) => [h.label, h.source, h.kind, h.annotator, h.runId])

describe('the review queue and posts that carry a label', () => {
  it('proposes only for posts without a label, and says how many labeled ones it leaves out', async () => {
    const { backend, runId } = setup()
    const page = await queue(backend, runId)
    expect(page.items.map((i) => i.externalId).sort()).toEqual(['p4', 'p5'])
    expect(page).toMatchObject({ total: 2, pending: 2, labeled: 3 })
    expect(page.items.every((i) => i.existing === null)).toBe(true)
  })

  it('on request shows the labeled ones, each with its label, who set it and when', async () => {
    const { backend, runId } = setup()
    const page = await queue(backend, runId, 'labeled')
    expect(page).toMatchObject({ total: 3, pending: 3, labeled: 3 })
    const p1 = page.items.find((i) => i.externalId === 'p1')!
    expect(p1.existing).toMatchObject({ label: 'positive', source: 'imported', annotator: 'mvsa:rule', runId: null, createdAt: expect.any(String) })
    expect((await queue(backend, runId, 'all')).total).toBe(5)
  })

  it('refuses to replace a label the request does not name, writing nothing', async () => {
    const { backend, runId, projectId, postIds } = setup()
    const before = backend.store.db.prepare('SELECT count(*) AS n FROM annotations').get()
    const refused = await backend.dispatch('review.decide', { runId, postId: postIds[0], kind: 'accept', annotator: 'ann' })
    expect(refused).toEqual({
      ok: false,
      error: { code: 'conflict', message: expect.stringMatching(/^Post p1 already carries the label positive \(imported, by mvsa:rule, .+\); accepting the proposal would replace it\. Nothing was changed/) },
    })
    // Naming a label the post no longer carries is refused too (someone changed it since it was shown).
    const stale = await backend.dispatch('review.decide', { runId, postId: postIds[0], kind: 'correct', label: 'neutral', annotator: 'ann', replaces: 'negative' })
    expect(stale).toMatchObject({ ok: false, error: { code: 'conflict', message: expect.stringMatching(/^Post p1's label is now positive \(imported, .+\), not negative as shown/) } })
    expect(backend.store.db.prepare('SELECT count(*) AS n FROM annotations').get()).toEqual(before)
    expect(backend.store.db.prepare('SELECT count(*) AS n FROM review_decisions').get()).toEqual({ n: 0 })
    expect(overall(backend, projectId, postIds[0]!)).toBe('positive')
  })

  it('replaces it as a visible, undoable decision that keeps the old label in the history', async () => {
    const { backend, runId, projectId, postIds } = setup()
    const post = postIds[0]!
    const decided = await backend.call('review.decide', { runId, postId: post, kind: 'accept', annotator: 'ann', replaces: 'positive' })
    expect(decided).toMatchObject({ decision: { kind: 'accepted', label: 'negative' }, replaced: { label: 'positive', source: 'imported', annotator: 'mvsa:rule' } })
    expect(overall(backend, projectId, post)).toBe('negative')
    // The item stays in the labeled scope and still shows the label it replaced.
    const item = (await queue(backend, runId, 'labeled')).items.find((i) => i.postId === post)!
    expect(item).toMatchObject({ decision: { kind: 'accepted', label: 'negative' }, existing: { label: 'positive', source: 'imported' } })
    expect((await queue(backend, runId)).items.map((i) => i.postId)).not.toContain(post)

    expect(await backend.call('review.undo', { runId, annotator: 'ann' })).toEqual({ undone: { postId: post, posts: 1 } })
    expect(overall(backend, projectId, post)).toBe('positive')
    // Provenance: every label the post ever had, who wrote it, how, and from which run.
    expect(history(backend, post)).toEqual([
      ['positive', 'imported', 'label', 'mvsa:rule', null],
      ['negative', 'pseudo-accepted', 'label', 'ann', runId],
      ['positive', 'imported', 'undo', 'mvsa:rule', null],
    ])
    // The label that stands is the imported one again, under its own author: not ann's.
    const post1 = await backend.call('labels.post', { projectId, postId: post })
    expect(post1.labels.current.overall).toMatchObject({ label: 'positive', source: 'imported', kind: 'undo', annotator: 'mvsa:rule' })
  })

  it('stores a correction equal to the proposal as an accept', async () => {
    const { backend, runId, postIds } = setup()
    const decided = await backend.call('review.decide', { runId, postId: postIds[3]!, kind: 'correct', label: 'neutral', annotator: 'ann' })
    expect(decided.decision).toEqual({ kind: 'accepted', label: 'neutral' })
    expect(history(backend, postIds[3]!)).toEqual([['neutral', 'pseudo-accepted', 'label', 'ann', runId]])
    const item = (await queue(backend, runId)).items.find((i) => i.postId === postIds[3])!
    expect(item.decision).toEqual({ kind: 'accepted', label: 'neutral' })
  })

  it('agreeing with the label a post carries leaves that label and its source as they are', async () => {
    const { backend, runId, postIds } = setup()
    // p2: imported negative, proposed negative.
    const decided = await backend.call('review.decide', { runId, postId: postIds[1]!, kind: 'accept', annotator: 'ann' })
    expect(decided).toMatchObject({ decision: { kind: 'accepted', label: 'negative' }, replaced: null })
    expect(history(backend, postIds[1]!)).toEqual([['negative', 'imported', 'label', 'mvsa:rule', null]])
    // Undo takes back the decision only.
    expect(await backend.call('review.undo', { runId, annotator: 'ann' })).toEqual({ undone: { postId: postIds[1], posts: 1 } })
    expect(history(backend, postIds[1]!)).toEqual([['negative', 'imported', 'label', 'mvsa:rule', null]])
    expect((await queue(backend, runId, 'labeled')).pending).toBe(3)
  })

  it('bulk accept never replaces a label, and its preview says how many it leaves out', async () => {
    const { backend, runId, projectId, postIds } = setup()
    expect(await backend.call('review.bulkPreview', { runId, minConfidence: 0 })).toEqual({
      count: 2,
      perClass: { positive: 1, neutral: 1, negative: 0 },
      labeledLeftOut: 3,
    })
    expect(await backend.call('review.bulkAccept', { runId, minConfidence: 0, annotator: 'ann' })).toMatchObject({ accepted: 2 })
    expect(IMPORTED.map((_, i) => overall(backend, projectId, postIds[i]!))).toEqual(['positive', 'negative', 'neutral', 'neutral', 'positive'])
  })

  it('a label written by someone else after a decision moves the post to the labeled scope, with that label shown', async () => {
    const { backend, runId, projectId, postIds } = setup()
    const post = postIds[4]!
    await backend.call('review.decide', { runId, postId: post, kind: 'reject', annotator: 'ann' })
    await backend.call('labels.set', { projectId, postId: post, modality: 'overall', label: 'negative', annotator: 'lea' })
    const item = (await queue(backend, runId, 'labeled')).items.find((i) => i.postId === post)!
    expect(item.existing).toMatchObject({ label: 'negative', source: 'human', annotator: 'lea' })
    // Accepting now needs to name lea's label.
    expect(await backend.dispatch('review.decide', { runId, postId: post, kind: 'accept', annotator: 'ann' })).toMatchObject({ ok: false, error: { code: 'conflict' } })
    expect(await backend.call('review.decide', { runId, postId: post, kind: 'accept', annotator: 'ann', replaces: 'negative' })).toMatchObject({
      replaced: { label: 'negative', source: 'human', annotator: 'lea' },
    })
  })
})
