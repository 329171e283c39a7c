// Second opinions in the review (issue 14): a run with a teacher stores the teacher's label per
// post, and the review shows "<teacher> says <label> (<p>)" as a reason exactly on the posts where
// it disagrees with the run's proposal, and the queue narrows to those posts; in a run whose text
// and image heads learned generated labels (ULGM), a generated label that disagrees is a reason too.
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Backend } from '#main/app/backend'
import type { ReviewItem } from '#shared/review'
import type { Sentiment } from '#shared/vocabulary'
import { CONFUSION_ORDER } from '#shared/vocabulary'
import { expectedProbabilities, teacherFolder, tinyTeacherModel } from './support/onnx-teacher'
import { testBackend } from './support/backend'
import { seedProject } from './support/posts'
import { trainingProject } from './support/training-project'

const SMALL = { steps: 30, hidden: 16, clsHidden: 16, batchLabeled: 8, batchUnlabeled: 16, evalEvery: 10, checkpointEvery: 10 }
const TEXTS = ['bad', 'day', 'good good', 'bad day', 'a day']

const allItems = async (backend: Backend, runId: number, filter: 'all' | 'disagrees' = 'all') => backend.call('review.queue', { runId, offset: 0, limit: 200, scope: 'all', filter })

describe('a run with an ONNX text teacher, in review', () => {
  it('stores the teacher label per post and gives the reason exactly where teacher and proposal disagree', async () => {
    const backend = testBackend()
    const { projectId, postIds } = trainingProject(backend.store)
    const textOf = new Map(postIds.map((id, i) => [id, TEXTS[i % TEXTS.length]!]))
    const setText = backend.store.db.prepare('UPDATE posts SET text = ? WHERE id = ?')
    for (const [id, text] of textOf) setText.run(text, id)
    const folder = teacherFolder()
    const { runId } = await backend.call('runs.start', {
      projectId,
      method: 'fixmatch',
      preset: 'quick',
      labels: { mode: 'draw', n: 15, draw: 'per-class' },
      seed: 3,
      overrides: { ...SMALL, 'teacher.source': 'onnx', 'teacher.folder': folder },
    })
    await backend.runs.whenFinished(runId)
    const run = await backend.call('runs.get', { runId })
    expect(run.error).toBeNull()
    expect(run.status).toBe('done')
    expect(run.teacher).toMatchObject({ source: 'onnx', model: { folder, labels: ['positive', 'negative', 'neutral'] } })
    expect(run.teacher!.model!.sha256).toMatch(/^[0-9a-f]{64}$/)

    // One teacher label per proposal, each the word table's argmax and probability, kept as §3.3 says.
    const stored = backend.store.teacherLabels.forRun(runId)
    const page = await allItems(backend, runId)
    expect(page.items.length).toBeGreaterThan(20)
    expect(stored.map((t) => t.postId)).toEqual(page.items.map((i) => i.postId).sort((a, b) => a - b))
    for (const t of stored) {
      const p = expectedProbabilities(textOf.get(t.postId)!)
      const best = p.indexOf(Math.max(...p))
      expect(t.label).toBe(CONFUSION_ORDER[best])
      expect(t.confidence).toBeCloseTo(p[best]!, 5)
      expect(t.kept).toBe(p[best]! > (best === 0 ? 0.7 : 0.9))
    }

    const name = `ONNX text teacher (${path.basename(folder)})`
    const byPost = new Map(stored.map((t) => [t.postId, t]))
    let disagreeing = 0
    for (const item of page.items) {
      const t = byPost.get(item.postId)!
      expect(item.teacher).toEqual({ name, label: t.label, confidence: t.confidence, kept: t.kept })
      const reason = item.reasons.filter((r) => r.startsWith(`${name} says`))
      if (t.label === item.proposed) expect(reason).toEqual([])
      else {
        disagreeing++
        expect(reason).toEqual([`${name} says ${t.label} (${t.confidence.toFixed(2)}${t.kept ? '' : ', below its filter'})`])
        expect(item.reasons[0]).toBe(reason[0])
      }
    }
    // The small run cannot follow every word: some of its proposals disagree with the teacher, some do not.
    expect(disagreeing).toBeGreaterThan(0)
    expect(disagreeing).toBeLessThan(page.items.length)
    const narrowed = await allItems(backend, runId, 'disagrees')
    expect(narrowed.total).toBe(disagreeing)
    expect(narrowed.items.every((i) => i.teacher!.label !== i.proposed)).toBe(true)
    expect(narrowed.items.map((i) => i.postId)).toEqual(page.items.filter((i) => i.teacher!.label !== i.proposed).map((i) => i.postId))
  })

  it('a teacher folder that is not there is refused by the plan; a model that fails in the trainer fails the run, both naming folder and problem', async () => {
    const backend = testBackend()
    const { projectId } = trainingProject(backend.store)
    const request = (folder: string) => ({ projectId, method: 'scdr' as const, preset: 'quick' as const, labels: { mode: 'draw' as const, n: 15, draw: 'per-class' as const }, seed: 3, overrides: { ...SMALL, 'teacher.source': 'onnx', 'teacher.folder': folder } })
    const plan = await backend.call('runs.plan', request('/no/such/model'))
    expect(plan.problems).toEqual([{ field: 'overrides.teacher.folder', message: 'ONNX teacher /no/such/model: no such folder' }])
    const empty = await backend.call('runs.plan', { ...request(''), overrides: { 'teacher.source': 'onnx' } })
    expect(empty.problems.map((p) => p.field)).toEqual(['teacher.folder'])
    // Four outputs where labels.json names three classes: found when the model runs.
    const folder = teacherFolder((d) => writeFileSync(path.join(d, 'model.onnx'), tinyTeacherModel(4)))
    const { runId } = await backend.call('runs.start', request(folder))
    await backend.runs.whenFinished(runId)
    const run = await backend.call('runs.get', { runId })
    expect(run.status).toBe('failed')
    expect(run.error).toMatch(new RegExp(`^ONNX teacher ${folder}: model\\.onnx: output "logits" has shape \\[\\d+, 4\\], expected \\[\\d+, 3\\]`))
  })
})

interface Row {
  label: Sentiment
  confidence: number
  text: [Sentiment, number]
  image: [Sentiment, number]
}

function seedRun(backend: Backend, projectId: number, postIds: number[], config: object, rows: Row[]): number {
  const db = backend.store.db
  const runId = Number(db.prepare("INSERT INTO runs (project_id, method, status, config) VALUES (?, 'supervised', 'done', ?)").run(projectId, JSON.stringify(config)).lastInsertRowid)
  const insert = db.prepare('INSERT INTO pseudo_labels (run_id, post_id, label, confidence, text_label, text_confidence, image_label, image_confidence) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
  rows.forEach((r, i) => insert.run(runId, postIds[i], r.label, r.confidence, r.text[0], r.text[1], r.image[0], r.image[1]))
  return runId
}

const ROWS: Row[] = [
  { label: 'positive', confidence: 0.9, text: ['positive', 0.8], image: ['positive', 0.7] },
  { label: 'positive', confidence: 0.9, text: ['positive', 0.8], image: ['neutral', 0.61] },
  { label: 'negative', confidence: 0.9, text: ['neutral', 0.55], image: ['positive', 0.5] },
]

describe('generated labels (ULGM) in review', () => {
  it('a generated text or image label that disagrees is a reason; a plain run’s heads are not', async () => {
    const backend = testBackend()
    const { projectId, postIds } = seedProject(backend.store, 3)
    const ulgm = seedRun(backend, projectId, postIds, { ulgm: { mode: 'on' } }, ROWS)
    const plain = seedRun(backend, projectId, postIds, { ulgm: { mode: 'off' } }, ROWS)
    const reasons = (items: ReviewItem[]) => Object.fromEntries(items.map((i) => [i.externalId, i.reasons.filter((r) => r.startsWith('generated'))]))
    const page = await allItems(backend, ulgm)
    expect(reasons(page.items)).toEqual({
      p1: [],
      p2: ['generated image label: neutral (0.61)'],
      p3: ['generated text label: neutral (0.55)', 'generated image label: positive (0.50)'],
    })
    expect(page.items.every((i) => i.generated && i.teacher === null)).toBe(true)
    expect((await allItems(backend, ulgm, 'disagrees')).items.map((i) => i.externalId).sort()).toEqual(['p2', 'p3'])
    const other = await allItems(backend, plain)
    expect(Object.values(reasons(other.items)).flat()).toEqual([])
    expect((await allItems(backend, plain, 'disagrees')).total).toBe(0)
  })
})
