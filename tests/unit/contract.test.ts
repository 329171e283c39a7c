// The contract's schemas at the door: every payload passes its method's schema in `dispatch` (and
// `call`) before a handler runs, and a refusal names each field's path and what it needs.
import { describe, expect, it } from 'vitest'
import { AppError } from '#main/core/errors'
import { testBackend } from './support/backend'
import { seedProject } from './support/posts'

function setup() {
  const backend = testBackend()
  const { projectId, postIds } = seedProject(backend.store, 2)
  return { backend, projectId, postId: postIds[0]! }
}

describe('request schemas', () => {
  it('refuse a malformed payload with the field path and the problem, before any handler runs', async () => {
    const { backend, projectId, postId } = setup()
    const cases: Array<[string, unknown, string]> = [
      ['labels.set', { projectId, postId, modality: 'overall', label: 'happy', annotator: 'ann' }, 'label: expected one of positive, neutral, negative'],
      // The project does not exist, but the payload is refused first: no handler ran.
      ['labels.set', { projectId: 999, postId, modality: 'overall', label: 'happy', annotator: 'ann' }, 'label: expected one of positive, neutral, negative'],
      ['labels.set', { projectId, postId, modality: 'overall', label: null, annotator: 'ann\u0007' }, 'annotator: no control characters'],
      ['labels.queue', { projectId, cursor: { segment: 0, key: -1 } }, 'cursor.key: expected an integer from 0 to 9007199254740991'],
      ['runs.plan', { projectId, method: 'scdr', labels: { mode: 'draw', n: 0 } }, 'labels.n: expected an integer from 1 to 10000000'],
      ['runs.plan', { projectId, method: 'scdr', labels: { mode: 'all' } }, 'labels.mode: expected one of draw, current'],
      ['runs.start', { projectId, method: 'scdr', labels: { mode: 'current' }, preset: 'fast' }, 'preset: expected one of paper, default, quick'],
      ['runs.start', { projectId, method: 'scdr', labels: { mode: 'current' }, overrides: { lr: [0.1] } }, 'overrides.lr: expected a number, text or true/false'],
      ['runs.start', { projectId, method: 'scdr' }, 'labels: required ({ mode: "draw", n, draw } or { mode: "current" })'],
      ['runs.get', { runId: 1.5 }, 'runId: expected a positive integer id'],
      ['review.bulkPreview', { runId: 1, minConfidence: 'high' }, 'minConfidence: expected a number from 0 to 1'],
      ['exports.labels', { projectId, format: 'xlsx', path: '/tmp/x.csv' }, 'format: expected one of csv, jsonl, label-studio'],
      ['projects.create', { name: '   ' }, 'name: a project needs a name'],
      ['projects.create', null, 'projects.create: expected an object'],
    ]
    for (const [method, payload, message] of cases) {
      expect(await backend.dispatch(method, payload), method).toEqual({ ok: false, error: { code: 'bad-request', message } })
    }
    expect(backend.store.annotations.postLabels(postId).history).toEqual([])
    expect(backend.store.projects.list()).toHaveLength(1)
  })

  it('name every field at fault at once, each by its path', async () => {
    const { backend } = setup()
    const reply = await backend.dispatch('labels.set', { projectId: 0, postId: 'p1', label: 'happy' })
    expect(reply).toEqual({
      ok: false,
      error: {
        code: 'bad-request',
        message:
          'projectId: expected a positive integer id; postId: expected a positive integer id; modality: required (one of overall, text, image); ' +
          'label: expected one of positive, neutral, negative; annotator: required',
      },
    })
  })

  it('hand the handler a checked payload: trimmed, defaults filled in, unknown fields dropped', async () => {
    const { backend, projectId, postId } = setup()
    const created = await backend.call('projects.create', { name: '  Harbour  ', ...({ evil: true } as object) })
    expect(created).toMatchObject({ name: 'Harbour', description: '' })
    const ack = await backend.call('labels.set', { projectId, postId, modality: 'text', label: 'neutral', annotator: '  ann ' })
    expect(ack.labels.current.text).toMatchObject({ annotator: 'ann', source: 'human' })
    const page = await backend.call('labels.queue', { projectId, search: '   ' })
    expect(page.items).toHaveLength(2)
  })

  it('check payloads on the back end’s own calls too (the CLI, tests)', async () => {
    const { backend, projectId } = setup()
    const call = backend.call('labels.progress', { projectId: -projectId })
    await expect(call).rejects.toThrow(AppError)
    await expect(call).rejects.toThrow('projectId: expected a positive integer id')
  })
})
