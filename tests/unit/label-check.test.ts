// The label check end to end on a store (issue 15, part 2): run in its worker thread through the
// back end, it lists labels planted wrong at the top, writes no label; a reviewer's accept writes
// the suggested label as a correction naming the label it replaces, keep writes none, and both undo.
import { spawn, spawnSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { OWNER_SILENT_MS } from '#main/core/process-alive'
import type { Backend } from '#main/app/backend'
import { testBackend } from './support/backend'
import { trainingProject } from './support/training-project'

const WRONG = { negative: 'positive', neutral: 'negative', positive: 'neutral' } as const

async function checked(backend: Backend): Promise<{ projectId: number; postIds: number[]; planted: number[]; checkId: number }> {
  const { projectId, postIds } = trainingProject(backend.store, { posts: 150 })
  // Five posts get a wrong label from a human: the errors the check must find.
  const planted = [postIds[7]!, postIds[31]!, postIds[64]!, postIds[102]!, postIds[140]!]
  for (const postId of planted) {
    const label = backend.store.annotations.latest(postId, 'overall')!.label!
    await backend.call('labels.set', { projectId, postId, modality: 'overall', label: WRONG[label], annotator: 'ann' })
  }
  const finished: string[] = []
  const progress: Array<{ phase: string; done: number; total: number; etaMs: number | null }> = []
  backend.events.subscribe((event, payload) => {
    if (event === 'labelCheck.finished') finished.push((payload as { status: string }).status)
    if (event === 'labelCheck.progress') progress.push(payload as (typeof progress)[number])
  })
  const { checkId } = await backend.call('labelCheck.start', { projectId })
  await backend.labelChecks.wait(checkId)
  expect(finished).toEqual(['done'])
  // Progress a person can follow: the features read, then every fold fitted, with the time left once there is a rate.
  const folds = progress.filter((p) => p.phase === 'fitting folds')
  expect(progress[0]).toMatchObject({ phase: 'reading features', etaMs: null })
  expect(folds.map((p) => p.done)).toEqual(Array.from({ length: folds[0]!.total + 1 }, (_, i) => i))
  for (const p of progress) expect(p.etaMs === null || p.etaMs >= 0, JSON.stringify(p)).toBe(true)
  return { projectId, postIds, planted, checkId }
}

describe('label check', () => {
  it('puts the planted wrong labels at the top of its list, with the evidence, and changes no label', async () => {
    const backend = testBackend()
    const before = backend.store.db.prepare('SELECT count(*) AS n FROM annotations').get()
    const { planted, checkId } = await checked(backend)
    const after = backend.store.db.prepare('SELECT count(*) AS n FROM annotations').get() as { n: number }
    expect(after.n).toBe((before as { n: number }).n + 150 + planted.length)
    const page = await backend.call('labelCheck.queue', { checkId, limit: planted.length })
    expect(page.check).toMatchObject({ status: 'done', checked: 150, pending: page.check.listed })
    expect(page.items.map((i) => i.postId).sort((a, b) => a - b)).toEqual(planted)
    for (const item of page.items) {
      expect(item.givenBy).toMatchObject({ annotator: 'ann', source: 'human', label: item.given })
      expect(item.suggested).not.toBe(item.given)
      expect(item.probabilities[item.suggested]).toBeGreaterThan(item.probabilities[item.given])
      expect(item.current?.label).toBe(item.given)
    }
  })

  it('accepts only while seeing the label it replaces, as a correction; undo restores the human label', async () => {
    const backend = testBackend()
    const { checkId } = await checked(backend)
    const [item] = (await backend.call('labelCheck.queue', { checkId, limit: 1 })).items
    const { postId, given, suggested } = item!
    await expect(backend.call('labelCheck.decide', { checkId, postId, kind: 'accept', annotator: 'rev' })).rejects.toThrow(/would replace it\. Nothing was changed/)
    expect(backend.store.annotations.latest(postId, 'overall')!.label).toBe(given)

    const decided = await backend.call('labelCheck.decide', { checkId, postId, kind: 'accept', annotator: 'rev', replaces: given })
    expect(decided.replaced).toMatchObject({ label: given, annotator: 'ann' })
    expect(backend.store.annotations.latest(postId, 'overall')).toMatchObject({ label: suggested, source: 'correction', annotator: 'rev' })
    expect((await backend.call('labelCheck.queue', { checkId, filter: 'decided', limit: 5 })).items.map((i) => i.decision)).toEqual([{ kind: 'accepted', label: suggested, annotator: 'rev' }])

    expect(await backend.call('labelCheck.undo', { checkId, annotator: 'rev' })).toEqual({ undone: { postId } })
    expect(backend.store.annotations.latest(postId, 'overall')).toMatchObject({ label: given, source: 'human', kind: 'undo', annotator: 'ann' })
    const history = backend.store.annotations.postLabels(postId).history.map((h) => [h.label, h.source, h.kind, h.annotator])
    expect(history.slice(0, 4)).toEqual([
      [given, 'human', 'undo', 'ann'],
      [null, 'correction', 'undo', 'rev'],
      [suggested, 'correction', 'label', 'rev'],
      [given, 'human', 'label', 'ann'],
    ])
    expect((await backend.call('labelCheck.queue', { checkId, filter: 'pending', limit: 200 })).items.some((i) => i.postId === postId)).toBe(true)
  })

  it('keep leaves the label, marks the item reviewed, and undoes; someone labeling since blocks an accept shown stale', async () => {
    const backend = testBackend()
    const { projectId, checkId } = await checked(backend)
    const [first, second] = (await backend.call('labelCheck.queue', { checkId, limit: 2 })).items
    const rows = (): number => (backend.store.db.prepare('SELECT count(*) AS n FROM annotations').get() as { n: number }).n
    const count = rows()
    await backend.call('labelCheck.decide', { checkId, postId: first!.postId, kind: 'keep', annotator: 'rev' })
    expect(rows()).toBe(count)
    expect((await backend.call('labelCheck.queue', { checkId, filter: 'decided', limit: 5 })).items.map((i) => [i.postId, i.decision?.kind])).toEqual([[first!.postId, 'kept']])
    await backend.call('labelCheck.undo', { checkId, annotator: 'rev' })
    expect((await backend.call('labelCheck.queue', { checkId, filter: 'decided', limit: 5 })).total).toBe(0)

    // Another annotator relabels the second post after the check: an accept naming the old label is refused.
    await backend.call('labels.set', { projectId, postId: second!.postId, modality: 'overall', label: second!.suggested, annotator: 'other' })
    const other = second!.suggested === 'neutral' ? 'positive' : 'neutral'
    await backend.call('labels.set', { projectId, postId: second!.postId, modality: 'overall', label: other, annotator: 'other' })
    await expect(backend.call('labelCheck.decide', { checkId, postId: second!.postId, kind: 'accept', annotator: 'rev', replaces: second!.given })).rejects.toThrow(/is now .* not .* as shown/)
    expect(backend.store.annotations.latest(second!.postId, 'overall')!.label).toBe(other)
  })

  it('leaves an accept standing once someone relabels the post, and Undo then reaches the decision before it', async () => {
    const backend = testBackend()
    const { projectId, checkId } = await checked(backend)
    const [first, second] = (await backend.call('labelCheck.queue', { checkId, limit: 2 })).items
    await backend.call('labelCheck.decide', { checkId, postId: first!.postId, kind: 'keep', annotator: 'rev' })
    await backend.call('labelCheck.decide', { checkId, postId: second!.postId, kind: 'accept', annotator: 'rev', replaces: second!.given })
    await backend.call('labels.set', { projectId, postId: second!.postId, modality: 'overall', label: second!.given, annotator: 'other' })
    await expect(backend.call('labelCheck.undo', { checkId, annotator: 'rev' })).rejects.toThrow(/other labeled it since.*That decision stands/)
    expect(backend.store.annotations.latest(second!.postId, 'overall')).toMatchObject({ label: second!.given, annotator: 'other' })
    expect(await backend.call('labelCheck.undo', { checkId, annotator: 'rev' })).toEqual({ undone: { postId: first!.postId } })
    expect(await backend.call('labelCheck.undo', { checkId, annotator: 'rev' })).toEqual({ undone: null })
  })

  it('a list the store refuses ends the check failed with the reason, nothing listed', async () => {
    const backend = testBackend()
    const { projectId, postIds } = trainingProject(backend.store, { posts: 150 })
    const label = backend.store.annotations.latest(postIds[7]!, 'overall')!.label!
    await backend.call('labels.set', { projectId, postId: postIds[7]!, modality: 'overall', label: WRONG[label], annotator: 'ann' })
    // The store refuses the list's rows (as a full disk would); a write stopped between chunks is label-check-list-write.test's.
    backend.store.db.exec(`CREATE TRIGGER refuse_items BEFORE INSERT ON label_check_items BEGIN SELECT RAISE(ABORT, 'disk full'); END`)
    const finished: Array<{ status: string; error?: string }> = []
    backend.events.subscribe((event, payload) => {
      if (event === 'labelCheck.finished') finished.push(payload as (typeof finished)[number])
    })
    const { checkId } = await backend.call('labelCheck.start', { projectId })
    await backend.labelChecks.wait(checkId)
    expect(finished).toEqual([expect.objectContaining({ status: 'failed', error: expect.stringContaining('disk full') })])
    expect(backend.store.labelChecks.summary(checkId)).toMatchObject({ status: 'failed', listed: 0, pending: 0 })
    expect((backend.store.db.prepare('SELECT count(*) AS n FROM label_check_items').get() as { n: number }).n).toBe(0)
  })

  it('a project whose labeled posts lack features: the check fails saying how many and both ways to extract them', async () => {
    const backend = testBackend()
    const { projectId } = trainingProject(backend.store, { posts: 20, features: false, name: 'fresh' })
    const finished: Array<{ status: string; error?: string }> = []
    backend.events.subscribe((event, payload) => {
      if (event === 'labelCheck.finished') finished.push(payload as (typeof finished)[number])
    })
    const { checkId } = await backend.call('labelCheck.start', { projectId })
    await backend.labelChecks.wait(checkId)
    expect(finished).toHaveLength(1)
    expect(finished[0]!.status).toBe('failed')
    expect(finished[0]!.error).toMatch(/^0 labeled posts have default-v\d+ features; a label check needs at least 15: extract the features of the other 20 first \(Features… on the project page, or `common-ground extract --project fresh --encoder default-v\d+`\)$/)
  })

  it('cancels a running check: nothing listed, the check says cancelled', async () => {
    const backend = testBackend()
    const { projectId } = trainingProject(backend.store, { posts: 150 })
    const { checkId } = await backend.call('labelCheck.start', { projectId })
    expect(await backend.call('labelCheck.cancel', { checkId })).toEqual({ cancelled: true })
    await backend.labelChecks.wait(checkId)
    expect((await backend.call('labelCheck.list', { projectId }))[0]).toMatchObject({ id: checkId, status: 'cancelled', listed: 0 })
  })

  it('a back end opening the store fails the checks whose process is gone, and leaves the one another live process runs', async () => {
    const first = testBackend()
    const { projectId } = trainingProject(first.store, { posts: 30 })
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)'], { stdio: 'ignore' })
    try {
      const insert = first.store.db.prepare("INSERT INTO label_checks (project_id, encoder, status, settings, owner_pid, owner_seen_at) VALUES (?, 'default-v2', 'running', '{}', ?, ?)")
      const gone = spawnSync(process.execPath, ['-e', '']).pid
      const ids = {
        running: Number(insert.run(projectId, other.pid!, Date.now()).lastInsertRowid), // the command line, say, checking now
        silent: Number(insert.run(projectId, other.pid!, Date.now() - OWNER_SILENT_MS - 1000).lastInsertRowid), // its pid is someone else's now
        gone: Number(insert.run(projectId, gone, Date.now()).lastInsertRowid),
        unrecorded: Number(insert.run(projectId, null, null).lastInsertRowid), // from before owners were recorded
      }
      const second = testBackend({ dbPath: first.store.path })
      const status = new Map((await second.call('labelCheck.list', { projectId })).map((c) => [c.id, c.status]))
      expect(Object.fromEntries(Object.entries(ids).map(([what, id]) => [what, status.get(id)]))).toEqual({ running: 'running', silent: 'failed', gone: 'failed', unrecorded: 'failed' })
    } finally {
      other.kill()
    }
  })

  it('says, while it runs a check, that it still runs it', async () => {
    const backend = testBackend({ ownerBeatMs: 30 })
    const { projectId } = trainingProject(backend.store, { posts: 150 })
    const seenAt = (id: number): number => (backend.store.db.prepare('SELECT owner_seen_at AS t FROM label_checks WHERE id = ?').get(id) as { t: number }).t
    const { checkId } = await backend.call('labelCheck.start', { projectId })
    const first = seenAt(checkId)
    await expect.poll(() => seenAt(checkId), { timeout: 5000 }).toBeGreaterThan(first)
    await backend.labelChecks.wait(checkId)
  })
})
