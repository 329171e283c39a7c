// Reviewing a run's pseudo-labels through the back end: the riskiest first with reasons, decisions
// that land in the label history as 'pseudo-accepted' / 'correction' with the run, undo per
// annotator across restarts, and bulk accept (in chunks: review-chunked.test.ts). Runs and pseudo-labels are
// written straight into the store, as a finished run leaves them.
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { createBackend, type Backend } from '#main/app/backend'
import type { ReviewItem } from '#shared/review'
import type { Sentiment } from '#shared/vocabulary'
import { assessRisk, riskModelOf, riskScore } from '#main/review/risk'
import type { RiskModel, RunCalibration } from '#shared/calibration'
import { testBackend } from './support/backend'
import { seedProject } from './support/posts'
import { tempDir } from './support/temp'

interface Pseudo {
  label: Sentiment
  confidence: number
  text?: [Sentiment, number]
  image?: [Sentiment, number]
  modality?: string
  plf?: [string, string]
  loss?: number
}

/** A finished run of `projectId` with one pseudo-label per entry, for posts[i]. */
function seedRun(backend: Backend, projectId: number, postIds: number[], pseudo: Pseudo[]): number {
  const db = backend.store.db
  const runId = Number(db.prepare("INSERT INTO runs (project_id, method, status) VALUES (?, 'scdr', 'done')").run(projectId).lastInsertRowid)
  seedRunRows(backend, runId, postIds, pseudo)
  return runId
}

function seedRunRows(backend: Backend, runId: number, postIds: number[], pseudo: Pseudo[]): void {
  const insert = backend.store.db.prepare(`INSERT INTO pseudo_labels (run_id, post_id, label, confidence, text_label, text_confidence, image_label,
    image_confidence, modality, plf_decision, plf_reason, loss) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
  pseudo.forEach((p, i) =>
    insert.run(runId, postIds[i], p.label, p.confidence, p.text?.[0] ?? null, p.text?.[1] ?? null, p.image?.[0] ?? null, p.image?.[1] ?? null,
      p.modality ?? 'common', p.plf?.[0] ?? 'kept', p.plf?.[1] ?? 'common feature agrees with both unimodal pseudo-labels', p.loss ?? null),
  )
}

const agree = (label: Sentiment): Pick<Pseudo, 'text' | 'image'> => ({ text: [label, 0.9], image: [label, 0.9] })

/** Six pseudo-labels, each at risk for a different reason (p6 for all four, p1 for none). */
const SIX: Pseudo[] = [
  { label: 'positive', confidence: 0.95, ...agree('positive'), loss: 0.05 },
  { label: 'neutral', confidence: 0.5, ...agree('neutral'), loss: 0.1 },
  { label: 'negative', confidence: 0.9, ...agree('negative'), loss: 0.1, plf: ['filtered', 'text head on the common feature disagrees with the text pseudo-label (CE 2.100 > 1.000)'] },
  { label: 'positive', confidence: 0.9, text: ['positive', 0.8], image: ['negative', 0.6], loss: 0.1 },
  { label: 'neutral', confidence: 0.9, ...agree('neutral'), loss: 2 },
  { label: 'negative', confidence: 0.45, text: ['negative', 0.7], image: ['positive', 0.55], loss: 1.5, plf: ['filtered', 'image head disagrees'] },
]

function setup(pseudo: Pseudo[] = SIX, posts = pseudo.length) {
  const backend = testBackend()
  const { projectId, postIds } = seedProject(backend.store, posts)
  const runId = seedRun(backend, projectId, postIds, pseudo)
  return { backend, projectId, postIds, runId }
}

type QueueExtra = Partial<{ order: 'risk' | 'confidence'; filter: 'all' | 'pending' | 'decided'; offset: number; limit: number; scope: 'unlabeled' | 'labeled' | 'all' }>
const queue = (backend: Backend, runId: number, extra: QueueExtra = {}) =>
  backend.call('review.queue', { runId, offset: 0, limit: 50, ...extra })
const ids = (items: ReviewItem[]): string[] => items.map((i) => i.externalId)

/** Every annotation of a post, oldest first, as [label, source, kind, annotator, run]. */
const history = (backend: Backend, postId: number) =>
  backend.store.annotations
    .postLabels(postId)
    .history.reverse()
    .map((h) => [h.label, h.source, h.kind, h.annotator, h.runId])

describe('review queue', () => {
  it('puts the riskiest first and says why on each item (fallback weights: a run without calibration)', async () => {
    const { backend, runId, projectId } = setup()
    const page = await queue(backend, runId)
    expect(page).toMatchObject({ runId, projectId, total: 6, pending: 6 })
    // risk = (1 − confidence) + 0.06·[neutral] − 0.07·[positive], clamped to 0..1: p2 0.56, p6 0.55,
    // p5 0.16, p3 0.10, p4 0.03, p1 0. The PLF verdict, head disagreement and the strong-view loss
    // do not weigh (they did not predict wrong labels: bench/risk.ts).
    expect(ids(page.items)).toEqual(['p2', 'p6', 'p5', 'p3', 'p4', 'p1'])
    const risks = page.items.map((i) => i.risk)
    expect(risks).toEqual([...risks].sort((a, b) => b - a))
    const byId = Object.fromEntries(page.items.map((i) => [i.externalId, i]))
    expect(byId.p2!.risk).toBeCloseTo(0.56, 10)
    expect(byId.p1!.reasons).toEqual([])
    expect(byId.p3!.reasons).toEqual([])
    expect(byId.p2!.reasons).toEqual(['low confidence: 0.50 (below 0.70)', 'proposed neutral: models’ neutral proposals are wrong more often than their confidence says'])
    expect(byId.p5!.reasons).toEqual(['proposed neutral: models’ neutral proposals are wrong more often than their confidence says'])
    expect(byId.p6!.reasons).toEqual(['low confidence: 0.45 (below 0.70)'])
    expect(byId.p6).toMatchObject({
      proposed: 'negative',
      confidence: 0.45,
      text: { label: 'negative', confidence: 0.7 },
      image: { label: 'positive', confidence: 0.55 },
      modality: 'common',
      plfDecision: 'filtered',
      plfReason: 'image head disagrees',
      loss: 1.5,
      decision: null,
    })
    expect(byId.p6!.post).toMatchObject({ externalId: 'p6', text: 'post 6', labels: { overall: null, text: null, image: null } })
    expect(byId.p6!.post.thumb).toMatch(/^p\/\d+\/thumbs\//)
  })

  it("orders by the run's own risk model when the run was calibrated: the kinds of proposal it got wrong on val come first", async () => {
    const { backend, runId } = setup()
    // A model fitted on val that found confident positives right and negatives wrong more often.
    const risk: RiskModel = { source: 'val', bias: -2, weights: { doubt: 3, neutral: 0.5, positive: -1.5 }, posts: 300, wrong: 120 }
    const calibration: RunCalibration = { temperature: 1.3, posts: 300, nllBefore: 1.1, nllAfter: 0.9, risk }
    // Before, a run stored without a calibration: its summary has no confidence basis (the review reads it as not calibrated).
    expect((await backend.call('runs.get', { runId })).confidence).toBeUndefined()
    backend.store.db.prepare('UPDATE runs SET calibration = ? WHERE id = ?').run(JSON.stringify(calibration), runId)
    const page = await queue(backend, runId)
    // The run's summary (its page, its review, bulk accept read it) says it is calibrated, on how many posts, at what temperature.
    expect((await backend.call('runs.get', { runId })).confidence).toEqual({ calibrated: true, posts: 300, temperature: 1.3 })
    expect((await backend.call('runs.list', { projectId: page.projectId })).find((r) => r.id === runId)?.confidence).toEqual({ calibrated: true, posts: 300, temperature: 1.3 })
    // z: p6 −0.35, p2 0, p3 −1.7, p5 −1.2, p1 −3.35, p4 −3.2: risk = σ(z), the chance the proposal is wrong.
    expect(ids(page.items)).toEqual(['p2', 'p6', 'p5', 'p3', 'p4', 'p1'])
    const byId = Object.fromEntries(page.items.map((i) => [i.externalId, i]))
    expect(byId.p2!.risk).toBeCloseTo(0.5, 10)
    expect(byId.p3!.risk).toBeCloseTo(1 / (1 + Math.exp(1.7)), 10)
    expect(byId.p5!.reasons).toEqual(["proposed neutral: this run's neutral proposals are wrong more often than their confidence says"])
  })

  it('scores within 0..1 and never lets a lower-risk item outrank a higher one', () => {
    const model = riskModelOf(null)
    expect(assessRisk(model, { label: 'positive', confidence: 0.99 })).toEqual({ risk: 0, reasons: [] })
    expect(riskScore(model, 1 / 3, 'neutral')).toBeCloseTo(2 / 3 + 0.06, 10)
    expect(riskScore(model, 0, 'neutral')).toBe(1)
    // Lower confidence, or a neutral instead of a positive proposal, raises the score.
    const base = riskScore(model, 0.8, 'positive')
    for (const worse of [riskScore(model, 0.6, 'positive'), riskScore(model, 0.8, 'neutral'), riskScore(model, 0.8, 'negative')]) expect(worse).toBeGreaterThan(base)
  })

  it('breaks ties by confidence, then post id, and orders by confidence alone when asked', async () => {
    const same: Pseudo = { label: 'neutral', confidence: 0.8, ...agree('neutral'), loss: 0.2 }
    const { backend, runId } = setup([same, { ...same, confidence: 0.6 }, same, { ...same, confidence: 0.99 }])
    expect(ids((await queue(backend, runId)).items)).toEqual(['p2', 'p1', 'p3', 'p4'])
    expect(ids((await queue(backend, runId, { order: 'confidence' })).items)).toEqual(['p2', 'p1', 'p3', 'p4'])
    const { backend: b2, runId: r2 } = setup(SIX)
    expect(ids((await queue(b2, r2, { order: 'confidence' })).items)).toEqual(['p6', 'p2', 'p3', 'p4', 'p5', 'p1'])
  })

  it('ranks again when a run writes its pseudo-labels again (a resumed run)', async () => {
    const { backend, runId, postIds } = setup()
    expect(ids((await queue(backend, runId)).items)[0]).toBe('p2')
    const db = backend.store.db
    db.transaction(() => {
      db.prepare('DELETE FROM pseudo_labels WHERE run_id = ?').run(runId)
      // p2 was riskier than p1; now p1 is.
      seedRunRows(backend, runId, postIds.slice(0, 2), [{ ...SIX[0]!, confidence: 0.4 }, SIX[0]!])
    })()
    const page = await queue(backend, runId)
    expect([page.total, ids(page.items)]).toEqual([2, ['p1', 'p2']])
  })

  it('pages through the order without skipping or repeating, and filters pending and decided', async () => {
    const { backend, runId, postIds } = setup()
    const all = ids((await queue(backend, runId)).items)
    const pages = [0, 2, 4].map(async (offset) => ids((await queue(backend, runId, { offset, limit: 2 })).items))
    expect((await Promise.all(pages)).flat()).toEqual(all)

    await backend.call('review.decide', { runId, postId: postIds[5]!, kind: 'accept', annotator: 'ann' })
    await backend.call('review.decide', { runId, postId: postIds[1]!, kind: 'reject', annotator: 'ann' })
    const pending = await queue(backend, runId, { filter: 'pending' })
    expect(pending).toMatchObject({ total: 4, pending: 4 })
    expect(ids(pending.items)).toEqual(['p5', 'p3', 'p4', 'p1'])
    const decided = await queue(backend, runId, { filter: 'decided' })
    expect(decided.total).toBe(2)
    expect(decided.items.map((i) => [i.externalId, i.decision])).toEqual([
      ['p2', { kind: 'rejected' }],
      ['p6', { kind: 'accepted', label: 'negative' }],
    ])
  })
})

describe('review decisions', () => {
  it('accept and correct write overall labels with their source and run; reject writes none', async () => {
    const { backend, runId, projectId, postIds } = setup()
    const seen: unknown[] = []
    backend.events.subscribe((event, payload) => seen.push([event, payload]))
    const accepted = await backend.call('review.decide', { runId, postId: postIds[0]!, kind: 'accept', annotator: 'ann' })
    expect(accepted).toEqual({ postId: postIds[0], decision: { kind: 'accepted', label: 'positive' }, replaced: null, undoable: true })
    const corrected = await backend.call('review.decide', { runId, postId: postIds[1]!, kind: 'correct', label: 'negative', annotator: 'ann' })
    expect(corrected.decision).toEqual({ kind: 'corrected', label: 'negative' })
    const rejected = await backend.call('review.decide', { runId, postId: postIds[2]!, kind: 'reject', annotator: 'ann' })
    expect(rejected.decision).toEqual({ kind: 'rejected' })

    expect(history(backend, postIds[0]!)).toEqual([['positive', 'pseudo-accepted', 'label', 'ann', runId]])
    expect(history(backend, postIds[1]!)).toEqual([['negative', 'correction', 'label', 'ann', runId]])
    expect(history(backend, postIds[2]!)).toEqual([])
    // The post rows and the counts the progress panel reads follow.
    expect(backend.store.posts.get(projectId, postIds[0]!)!.labels.overall).toBe('positive')
    expect(backend.store.stats.labelCounts(projectId).overall).toEqual({ positive: 1, neutral: 0, negative: 1 })
    expect((await queue(backend, runId)).pending).toBe(3)
    expect(seen).toContainEqual(['review.changed', { runId, projectId }])
    expect(seen).toContainEqual(['labels.changed', { projectId, postId: postIds[0], labels: { overall: 'positive', text: null, image: null }, annotator: 'ann' }])
  })

  it('deciding again replaces the decision; rejecting an accepted label takes it back', async () => {
    const { backend, runId, projectId, postIds } = setup()
    const post = postIds[3]!
    await backend.call('labels.set', { projectId, postId: post, modality: 'overall', label: 'neutral', annotator: 'lea' })
    await backend.call('review.decide', { runId, postId: post, kind: 'accept', annotator: 'ann', replaces: 'neutral' })
    await backend.call('review.decide', { runId, postId: post, kind: 'reject', annotator: 'ann' })
    expect(backend.store.posts.get(projectId, post)!.labels.overall).toBe('neutral')
    expect((await queue(backend, runId, { filter: 'decided', scope: 'labeled' })).items.map((i) => i.decision)).toEqual([{ kind: 'rejected' }])
    // Undoing the rejection brings the accepted label and the acceptance back.
    await backend.call('review.undo', { runId, annotator: 'ann' })
    expect(backend.store.posts.get(projectId, post)!.labels.overall).toBe('positive')
    expect((await queue(backend, runId, { filter: 'decided', scope: 'labeled' })).items.map((i) => i.decision)).toEqual([{ kind: 'accepted', label: 'positive' }])
  })

  it('refuses unknown runs, posts outside the run, and bad fields, writing nothing', async () => {
    const { backend, runId, postIds } = setup(SIX.slice(0, 2), 3)
    const base = { runId, postId: postIds[0], kind: 'accept', annotator: 'ann' }
    const cases: Array<[string, unknown, string]> = [
      ['review.decide', { ...base, runId: 999 }, 'No run with id 999'],
      ['review.decide', { ...base, postId: postIds[2] }, `Run ${runId} has no pseudo-label for post ${postIds[2]}`],
      ['review.decide', { ...base, kind: 'maybe' }, 'kind: expected one of accept, correct, reject'],
      ['review.decide', { ...base, kind: 'correct' }, 'label: required to correct (one of positive, neutral, negative)'],
      ['review.decide', { ...base, kind: 'correct', label: 'happy' }, 'label: expected one of positive, neutral, negative'],
      ['review.decide', { ...base, annotator: ' ' }, 'annotator: enter a name'],
      ['review.queue', { runId, offset: 0, limit: 0 }, 'limit: expected an integer from 1 to 200'],
      ['review.queue', { runId, offset: 0, limit: 5, filter: 'open' }, 'filter: expected one of all, pending, decided, disagrees'],
      ['review.queue', { runId: 'x', offset: 0, limit: 5 }, 'runId: expected a positive integer id'],
      ['review.bulkPreview', { runId, minConfidence: 1.5 }, 'minConfidence: expected a number from 0 to 1'],
      ['review.bulkAccept', { runId, minConfidence: 0.5 }, 'annotator: required'],
      ['review.undo', { runId: 12345, annotator: 'ann' }, 'No run with id 12345'],
    ]
    for (const [method, payload, message] of cases) {
      expect(await backend.dispatch(method, payload)).toEqual({ ok: false, error: { code: expect.any(String), message } })
    }
    expect(backend.store.db.prepare('SELECT count(*) AS n FROM annotations').get()).toEqual({ n: 0 })
    expect(backend.store.db.prepare('SELECT count(*) AS n FROM review_decisions').get()).toEqual({ n: 0 })
  })
})

describe('review undo', () => {
  it('restores the label that stood before, with its source, and keeps every row of history', async () => {
    const { backend, runId, projectId, postIds } = setup()
    const post = postIds[0]!
    await backend.call('labels.set', { projectId, postId: post, modality: 'overall', label: 'neutral', annotator: 'lea' })
    await backend.call('review.decide', { runId, postId: post, kind: 'correct', label: 'negative', annotator: 'ann', replaces: 'neutral' })
    const seen: unknown[] = []
    backend.events.subscribe((event, payload) => seen.push([event, payload]))
    expect(await backend.call('review.undo', { runId, annotator: 'ann' })).toEqual({ undone: { postId: post, posts: 1 } })
    expect(backend.store.posts.get(projectId, post)!.labels.overall).toBe('neutral')
    expect(seen).toEqual([
      ['review.changed', { runId, projectId }],
      ['labels.changed', { projectId, postId: post, labels: { overall: 'neutral', text: null, image: null }, annotator: 'ann' }],
    ])
    expect(history(backend, post)).toEqual([
      ['neutral', 'human', 'label', 'lea', null],
      ['negative', 'correction', 'label', 'ann', runId],
      // ann's correction is taken back in her name, then lea's label stands again, as lea's.
      [null, 'correction', 'undo', 'ann', runId],
      ['neutral', 'human', 'undo', 'lea', null],
    ])
    expect((await queue(backend, runId, { scope: 'all' })).pending).toBe(6)
    expect(await backend.call('review.undo', { runId, annotator: 'ann' })).toEqual({ undone: null })
  })

  it('is per annotator, walks back newest first, and survives a restart', async () => {
    const dbPath = path.join(tempDir(), 'review.db')
    let backend = createBackend({ dbPath, shell: { shell: 'browser' } })
    const { projectId, postIds } = seedProject(backend.store, 6)
    const runId = seedRun(backend, projectId, postIds, SIX)
    await backend.call('review.decide', { runId, postId: postIds[0]!, kind: 'accept', annotator: 'ann' })
    await backend.call('review.decide', { runId, postId: postIds[1]!, kind: 'reject', annotator: 'ann' })
    await backend.call('review.decide', { runId, postId: postIds[2]!, kind: 'accept', annotator: 'bob' })
    backend.close()

    backend = createBackend({ dbPath, shell: { shell: 'browser' } })
    try {
      expect(await backend.call('review.undo', { runId, annotator: 'ann' })).toEqual({ undone: { postId: postIds[1], posts: 1 } })
      expect(await backend.call('review.undo', { runId, annotator: 'ann' })).toEqual({ undone: { postId: postIds[0], posts: 1 } })
      expect(await backend.call('review.undo', { runId, annotator: 'ann' })).toEqual({ undone: null })
      // Bob's decision stands.
      const decided = await queue(backend, runId, { filter: 'decided' })
      expect(decided.items.map((i) => [i.externalId, i.decision?.kind])).toEqual([['p3', 'accepted']])
      expect(backend.store.posts.get(projectId, postIds[0]!)!.labels.overall).toBeNull()
    } finally {
      backend.close()
    }
  })

  it('leaves a label someone wrote since, says who, and drops that step', async () => {
    const { backend, runId, projectId, postIds } = setup()
    await backend.call('review.decide', { runId, postId: postIds[0]!, kind: 'accept', annotator: 'ann' })
    await backend.call('review.decide', { runId, postId: postIds[1]!, kind: 'accept', annotator: 'ann' })
    await backend.call('labels.set', { projectId, postId: postIds[1]!, modality: 'overall', label: 'positive', annotator: 'lea' })
    const refused = await backend.dispatch('review.undo', { runId, annotator: 'ann' })
    expect(refused).toMatchObject({ ok: false, error: { code: 'conflict', message: expect.stringMatching(/^Cannot undo the review decision on post p2: lea labeled it since/) } })
    expect(backend.store.posts.get(projectId, postIds[1]!)!.labels.overall).toBe('positive')
    // The next undo reaches the step before it.
    expect(await backend.call('review.undo', { runId, annotator: 'ann' })).toEqual({ undone: { postId: postIds[0], posts: 1 } })
  })
})

describe('bulk accept', () => {
  it('previews pending items above a confidence per class, then accepts exactly those as one undo step', async () => {
    const { backend, runId, projectId, postIds } = setup()
    await backend.call('review.decide', { runId, postId: postIds[2]!, kind: 'reject', annotator: 'ann' }) // p3 (0.90) is decided
    const preview = await backend.call('review.bulkPreview', { runId, minConfidence: 0.9 })
    expect(preview).toEqual({ count: 3, perClass: { positive: 2, neutral: 1, negative: 0 }, labeledLeftOut: 0 }) // p1, p4, p5
    const seen: string[] = []
    backend.events.subscribe((event) => seen.push(event))
    expect(await backend.call('review.bulkAccept', { runId, minConfidence: 0.9, annotator: 'ann' })).toEqual({ accepted: 3, ...{ perClass: preview.perClass } })
    expect(seen).toEqual(['review.changed', 'projects.changed'])
    for (const i of [0, 3, 4]) expect(history(backend, postIds[i]!)).toEqual([[SIX[i]!.label, 'pseudo-accepted', 'label', 'ann', runId]])
    expect(backend.store.stats.labelCounts(projectId).overall).toEqual({ positive: 2, neutral: 1, negative: 0 })
    expect(await backend.call('review.bulkPreview', { runId, minConfidence: 0.9 })).toEqual({ count: 0, perClass: { positive: 0, neutral: 0, negative: 0 }, labeledLeftOut: 0 })

    expect(await backend.call('review.undo', { runId, annotator: 'ann' })).toEqual({ undone: { postId: postIds[0], posts: 3 } })
    expect(backend.store.stats.labelCounts(projectId).overall).toEqual({ positive: 0, neutral: 0, negative: 0 })
    expect((await queue(backend, runId)).pending).toBe(5)
  })

  it('writes all or nothing: a failure half-way leaves no label and no decision', async () => {
    const { backend, runId, projectId } = setup()
    // The third annotation fails, as a full disk would.
    backend.store.db.exec(`CREATE TRIGGER fail_third BEFORE INSERT ON annotations WHEN (SELECT count(*) FROM annotations) >= 2
      BEGIN SELECT RAISE(ABORT, 'disk full'); END`)
    const reply = await backend.dispatch('review.bulkAccept', { runId, minConfidence: 0, annotator: 'ann' })
    expect(reply).toMatchObject({ ok: false, error: { message: expect.stringContaining('disk full') } })
    for (const table of ['annotations', 'review_decisions', 'review_steps']) {
      expect(backend.store.db.prepare(`SELECT count(*) AS n FROM ${table}`).get()).toEqual({ n: 0 })
    }
    expect(backend.store.stats.labelCounts(projectId).overall).toEqual({ positive: 0, neutral: 0, negative: 0 })
    expect((await queue(backend, runId)).pending).toBe(6)
  })
})

describe('deleting', () => {
  it('a project takes its runs\' review decisions, undo stacks and rankings with it', async () => {
    const { backend, runId, projectId, postIds } = setup()
    await queue(backend, runId)
    await backend.call('review.bulkAccept', { runId, minConfidence: 0, annotator: 'ann' })
    await backend.call('review.decide', { runId, postId: postIds[0]!, kind: 'reject', annotator: 'ann' })
    expect(await backend.call('projects.delete', { projectId })).toEqual({ deleted: true })
    for (const table of ['review_steps', 'review_decisions', 'review_order', 'annotations']) {
      expect(backend.store.db.prepare(`SELECT count(*) AS n FROM ${table}`).get()).toEqual({ n: 0 })
    }
  })
})
