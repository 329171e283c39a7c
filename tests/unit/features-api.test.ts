// The Features requests through `dispatch`, as both shells call them, with fake encoders in the
// worker: validation messages, status before and after, a job's events, one job per project, the probe.
import { afterEach, describe, expect, it } from 'vitest'
import type { Backend } from '#main/app/backend'
import type { EventName, Events } from '#shared/contract'
import type { ExtractionFinished } from '#shared/features'
import { testBackend } from './support/backend'
import { FAKE_ENCODERS, FAKE_IMAGE_ID, FAKE_TEXT_ID } from './support/fake-encoders'
import { featureCorpus } from './support/feature-corpus'
import { holdWriteLock, type OtherProcess } from './support/lock-holder'
import { BUSY_TIMEOUT_MS } from '#main/db/write-lock'

afterEach(() => {
  delete process.env.FAKE_ENCODER_DELAY_MS
})

async function setup(posts = 12): Promise<{ backend: Backend; projectId: number }> {
  const backend = testBackend({ pairModule: FAKE_ENCODERS })
  const { projectId } = await featureCorpus(backend.store, posts)
  return { backend, projectId }
}

async function refusal(backend: Backend, method: string, payload: unknown): Promise<string> {
  const reply = await backend.dispatch(method, payload)
  if (reply.ok) throw new Error(`${method} was accepted`)
  return `${reply.error.code}: ${reply.error.message}`
}

function collect<E extends EventName>(backend: Backend, name: E): Events[E][] {
  const seen: Events[E][] = []
  backend.events.subscribe((event: EventName, payload: unknown) => {
    if (event === name) seen.push(payload as Events[E])
  })
  return seen
}

function finished(backend: Backend, jobId: string): Promise<ExtractionFinished> {
  return new Promise((resolve) => {
    backend.events.subscribe((event, payload) => {
      if (event === 'features.finished' && (payload as ExtractionFinished).jobId === jobId) resolve(payload as ExtractionFinished)
    })
  })
}

describe('features requests', () => {
  it('name the field at fault', async () => {
    const { backend, projectId } = await setup(1)
    expect(await refusal(backend, 'features.extract', { projectId, views: 0 })).toBe('bad-request: views: expected an integer from 1 to 8')
    expect(await refusal(backend, 'features.extract', { projectId, encoder: 'onnx:models/clip' })).toBe(
      'bad-request: encoder: an ONNX pair is named onnx:<absolute folder>, not onnx:models/clip',
    )
    expect(await refusal(backend, 'features.status', { projectId, encoder: 'nope' })).toMatch(/^bad-request: encoder: unknown encoder pair "nope": expected default/)
    expect(await refusal(backend, 'features.probe', {})).toBe('bad-request: projectId: required (a positive integer id)')
    expect(await refusal(backend, 'features.status', { projectId: 999 })).toBe('not-found: No project with id 999')
    expect(await refusal(backend, 'features.cancel', {})).toBe('bad-request: jobId: required')
    expect(await refusal(backend, 'features.encoders', { onnxFolder: 3 })).toBe('bad-request: onnxFolder: expected text')
  })

  it('list the built-in pairs and judge an ONNX folder', async () => {
    const { backend } = await setup(1)
    const choices = await backend.call('features.encoders', { onnxFolder: '/no/such/folder' })
    expect(choices.pairs.map((p) => p.id)).toEqual(['default-v2', 'default-v1'])
    expect(choices.folder).toMatchObject({ path: '/no/such/folder', ok: false, encoder: null })
    expect(choices.folder!.problems.length).toBeGreaterThan(0)
    expect((await backend.call('features.encoders', {})).folder).toBeNull()
  })

  it('count done and missing per encoder and view, before and after an extraction, with its events', async () => {
    const { backend, projectId } = await setup(12)
    const before = await backend.call('features.status', { projectId })
    expect(before).toMatchObject({ projectId, views: 1, posts: 12, complete: 0, job: null, pair: { image: { id: FAKE_IMAGE_ID }, text: { id: FAKE_TEXT_ID } } })
    expect(before.rows.map((r) => [r.modality, r.view, r.done, r.missing])).toEqual([
      ['image', 'clean', 0, 12],
      ['image', 'weak:0', 0, 12],
      ['image', 'strong:0', 0, 12],
      ['text', 'clean', 0, 12],
      ['text', 'strong:0', 0, 12],
    ])

    const progress = collect(backend, 'features.progress')
    const { jobId } = await backend.call('features.extract', { projectId })
    const end = await finished(backend, jobId)
    expect(end).toMatchObject({ projectId, encoder: 'default-v2', outcome: 'done', summary: { encoded: 12, vectorsWritten: 60 } })
    expect(progress.every((p) => p.jobId === jobId && p.projectId === projectId)).toBe(true)
    expect(progress.map((p) => p.phase)).toContain('encoding')
    expect(progress.at(-1)).toMatchObject({ done: 12, total: 12 })

    const after = await backend.call('features.status', { projectId })
    expect(after.complete).toBe(12)
    expect(after.rows.every((r) => r.done === 12 && r.missing === 0)).toBe(true)
    // K = 2 needs the second weak and strong views.
    const more = await backend.call('features.status', { projectId, views: 2 })
    expect(more.complete).toBe(0)
    expect(more.rows.filter((r) => r.missing === 12).map((r) => `${r.modality} ${r.view}`)).toEqual(['image weak:1', 'image strong:1', 'text strong:1'])
  })

  it('run one extraction per project at a time, report it in the status, and cancel it', async () => {
    const { backend, projectId } = await setup(100)
    // Described once, the pair answers the status at once from then on.
    expect((await backend.call('features.status', { projectId })).job).toBeNull()
    process.env.FAKE_ENCODER_DELAY_MS = '500'
    const { jobId } = await backend.call('features.extract', { projectId })
    const end = finished(backend, jobId)
    expect(await refusal(backend, 'features.extract', { projectId })).toMatch(/^conflict: An extraction is already running for this project/)
    expect((await backend.call('features.status', { projectId })).job).toMatchObject({ jobId })
    expect(await backend.call('features.cancel', { jobId })).toEqual({ cancelled: true })
    expect((await end).outcome).toBe('cancelled')
    expect((await backend.call('features.status', { projectId })).job).toBeNull()
    expect(await backend.call('features.cancel', { jobId })).toEqual({ cancelled: false })
  })

  it('finish an extraction whose worker meets the write lock held longer than the shell would wait (a large import)', async () => {
    // Three batches of 32, each ~0.6 s to encode: the second is written while the lock is held.
    const { backend, projectId } = await setup(96)
    process.env.FAKE_ENCODER_DELAY_MS = '300'
    // Once the worker is encoding, another process takes the lock for longer than BUSY_TIMEOUT_MS (5 s):
    // the worker's next write of vectors gave up then ("database is locked") and the extraction failed.
    let holder: Promise<OtherProcess> | undefined
    backend.events.subscribe((event, payload) => {
      if (event === 'features.progress' && (payload as { done: number }).done > 0) holder ??= holdWriteLock(backend.store.path, BUSY_TIMEOUT_MS + 1500)
    })
    const { jobId } = await backend.call('features.extract', { projectId })
    const end = await finished(backend, jobId)
    expect(holder).toBeDefined()
    expect(await (await holder!).exited).toBe(0)
    expect(end).toMatchObject({ outcome: 'done', summary: { encoded: 96 } })
    expect((await backend.call('features.status', { projectId })).complete).toBe(96)
  })

  it('probe the cached features of labeled posts', async () => {
    const { backend, projectId } = await setup(60)
    const { jobId } = await backend.call('features.extract', { projectId })
    expect((await finished(backend, jobId)).outcome).toBe('done')
    const report = await backend.call('features.probe', { projectId })
    expect(report.counts).toEqual({ train: 20, val: 20, test: 20 })
    expect(report.rows.map((r) => [r.features, r.dim])).toEqual([
      ['text', 4],
      ['image', 6],
      ['both', 10],
    ])
    for (const row of report.rows) expect(row.test.confusion.flat().reduce((a, b) => a + b, 0)).toBe(20)
  })

  it("answer a probe with nothing to learn from in the worker's words", async () => {
    const { backend, projectId } = await setup(3)
    expect(await refusal(backend, 'features.probe', { projectId })).toMatch(/^bad-request: no labeled train posts with features/)
  })
})
