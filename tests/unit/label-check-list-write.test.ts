// A finished label check's list is stored a chunk of rows per transaction, with pauses between, so
// the shell's event loop never holds one long transaction (16,000 rows at 100,000 posts took ~95 ms
// in one). Until the last chunk the check is not done and no list shows its rows; a write stopped
// midway (a cancel) leaves none of them.
import { describe, expect, it } from 'vitest'
import type { Backend } from '#main/app/backend'
import { testBackend } from './support/backend'
import { seedProject } from './support/posts'

function listOf(postIds: number[]) {
  return postIds.map((postId, i) => ({ postId, rank: i + 1, given: 'positive' as const, givenAnnotationId: null, suggested: 'negative' as const, probabilities: { negative: 0.7, neutral: 0.1, positive: 0.2 }, margin: -0.5 }))
}
const rowsOf = (backend: Backend, checkId: number): number =>
  (backend.store.db.prepare('SELECT count(*) AS n FROM label_check_items WHERE check_id = ?').get(checkId) as { n: number }).n

describe('a label check list written', () => {
  it('a chunk per transaction, shown only once whole', async () => {
    const backend = testBackend()
    const { projectId, postIds } = seedProject(backend.store, 250)
    const checkId = backend.store.labelChecks.create(projectId, 'default-v2', {})
    const seen: Array<{ rows: number; status: string | undefined; doneChecks: number }> = []
    await backend.store.labelChecks.finish(checkId, 250, listOf(postIds), {
      chunk: 100,
      between: async () => {
        const done = (await backend.call('labelCheck.list', { projectId })).filter((c) => c.status === 'done')
        seen.push({ rows: rowsOf(backend, checkId), status: backend.store.labelChecks.summary(checkId)?.status, doneChecks: done.length })
      },
    })
    expect(seen).toEqual([
      { rows: 100, status: 'running', doneChecks: 0 },
      { rows: 200, status: 'running', doneChecks: 0 },
    ])
    expect(backend.store.labelChecks.summary(checkId)).toMatchObject({ status: 'done', checked: 250, listed: 250, pending: 250 })
    expect((await backend.call('labelCheck.queue', { checkId, offset: 200, limit: 200 })).items.map((i) => i.postId)).toEqual(postIds.slice(200))
  })

  it('stopped midway, leaves none of its rows and the check not done', async () => {
    const backend = testBackend()
    const { projectId, postIds } = seedProject(backend.store, 250)
    const checkId = backend.store.labelChecks.create(projectId, 'default-v2', {})
    const stop = new AbortController()
    const writing = backend.store.labelChecks.finish(checkId, 250, listOf(postIds), { chunk: 100, signal: stop.signal, written: (rows) => rows === 200 && stop.abort() })
    await expect(writing).rejects.toThrow(/abort/i)
    expect(rowsOf(backend, checkId)).toBe(0)
    expect(backend.store.labelChecks.summary(checkId)).toMatchObject({ status: 'running', listed: 0 })
  })
})
