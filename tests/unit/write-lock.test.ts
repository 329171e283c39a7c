// Another connection (the read thread starting the WAL, a trainer saving its results) may hold the
// store's write lock for a moment. A label written meanwhile waits for it and lands; it used to fail
// with "database is locked", because its transaction read before it wrote and SQLite does not wait
// for a lock a read transaction needs to become a write one. It waits off the shell's event loop
// (db/write-lock.ts): other requests and timers go on meanwhile, and reads do not wait at all.
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { AppError } from '#main/core/errors'
import { openStore } from '#main/db/store'
import { BUSY_TIMEOUT_MS, writeWhenFree } from '#main/db/write-lock'
import { tsxLoader } from '#main/workers/child-process'
import { testBackend } from './support/backend'
import { holdWriteLock, otherProcess, type OtherProcess } from './support/lock-holder'
import { seedProject } from './support/posts'
import { trainingProject } from './support/training-project'

/** A separate process that will write `chunks` rows of slow_rows, one a transaction, each taking `chunkMs` (support/chunked-writer.ts); resolves once its connection is open, and writes when told. */
function chunkedWriter(dbPath: string, chunks: number, chunkMs: number): Promise<OtherProcess> {
  const script = path.join(import.meta.dirname, 'support', 'chunked-writer.ts')
  return otherProcess(['--import', tsxLoader(), script, dbPath, String(chunks), String(chunkMs)], 'opened', 'the writer')
}

/** Whether a timer due 30 ms after `request` is sent fires before its answer (it cannot while the request holds the event loop). */
async function answeredAfterATimer<T>(request: () => Promise<T>): Promise<{ answer: T; order: string[] }> {
  const order: string[] = []
  const timer = new Promise<void>((resolve) => setTimeout(() => resolve(void order.push('timer')), 30))
  const answer = await request()
  order.push('answered')
  await timer
  return { answer, order }
}

describe('write transactions', () => {
  it('a label written while another process holds the write lock waits for it and lands', async () => {
    const backend = testBackend()
    const { projectId, postIds } = seedProject(backend.store, 3)
    const holder = await holdWriteLock(backend.store.path, 300)
    const reply = await backend.dispatch('labels.set', { projectId, postId: postIds[0], modality: 'overall', label: 'negative', annotator: 'ana' })
    expect(reply.ok ? 'ok' : reply.error.message).toBe('ok')
    expect(await holder.exited).toBe(0)
    expect(backend.store.annotations.postLabels(postIds[0]!).labels.overall).toBe('negative')
  })

  it('a label waiting for the lock leaves the event loop free: a timer due meanwhile fires before the label is answered', async () => {
    const backend = testBackend()
    const { projectId, postIds } = seedProject(backend.store, 3)
    const holder = await holdWriteLock(backend.store.path, 400)
    const { answer: reply, order } = await answeredAfterATimer(() =>
      backend.dispatch('labels.set', { projectId, postId: postIds[1], modality: 'overall', label: 'positive', annotator: 'ana' }),
    )
    // SQLite's own busy wait would have held the loop until the lock came free, answering the label first.
    expect(order).toEqual(['timer', 'answered'])
    expect(reply.ok ? 'ok' : reply.error.message).toBe('ok')
    await holder.exited
    expect(backend.store.annotations.postLabels(postIds[1]!).labels.overall).toBe('positive')
  })

  it('starting a run while another process holds the lock leaves the event loop free, then queues the run', async () => {
    const backend = testBackend()
    const { projectId } = trainingProject(backend.store)
    const holder = await holdWriteLock(backend.store.path, 400)
    const overrides = { steps: 4, hidden: 16, clsHidden: 16, batchLabeled: 8, batchUnlabeled: 16, evalEvery: 2, checkpointEvery: 2 }
    // The run's row is written after the handler's awaits (its encoder pair resolved): its wait for the lock is its own.
    const { answer: reply, order } = await answeredAfterATimer(() =>
      backend.dispatch('runs.start', { projectId, method: 'supervised', preset: 'quick', labels: { mode: 'draw', n: 15, draw: 'per-class' }, seed: 1, overrides }),
    )
    expect(order).toEqual(['timer', 'answered'])
    expect(reply.ok ? 'ok' : reply.error.message).toBe('ok')
    const runId = (reply as { ok: true; result: { runId: number } }).result.runId
    await holder.exited
    await backend.runs.whenFinished(runId)
    expect(backend.store.runs.status(runId)).toBe('done')
  })

  it('a run whose trainer meets the write lock held longer than the shell would wait (a large import) still finishes and saves its results', async () => {
    const backend = testBackend()
    const { projectId } = trainingProject(backend.store)
    const overrides = { steps: 60, hidden: 16, clsHidden: 16, batchLabeled: 8, batchUnlabeled: 16, evalEvery: 20, checkpointEvery: 20 }
    // Once the trainer is training, another process takes the lock for longer than BUSY_TIMEOUT_MS (5 s): the trainer's
    // next write (a checkpoint's step, its results) gave up then with "database is locked" and the run failed.
    let holder: Promise<OtherProcess> | undefined
    const unsubscribe = backend.events.subscribe((event, payload) => {
      if (event === 'runs.progress' && (payload as { step: number }).step > 0) holder ??= holdWriteLock(backend.store.path, BUSY_TIMEOUT_MS + 1500)
    })
    const { runId } = await backend.call('runs.start', { projectId, method: 'supervised', preset: 'quick', labels: { mode: 'draw', n: 15, draw: 'per-class' }, seed: 1, overrides })
    await backend.runs.whenFinished(runId)
    unsubscribe()
    expect(holder).toBeDefined()
    expect(await (await holder!).exited).toBe(0)
    expect(backend.store.runs.status(runId)).toBe('done')
    expect(backend.store.db.prepare('SELECT count(*) AS n FROM pseudo_labels WHERE run_id = ?').get(runId)).not.toEqual({ n: 0 })
  })

  it('reads do not queue behind another process\'s write: the labeling queue answers while the lock is held', async () => {
    const backend = testBackend()
    const { projectId } = seedProject(backend.store, 3)
    const holder = await holdWriteLock(backend.store.path, 1500)
    let released = false
    void holder.exited.then(() => (released = true))
    const page = await backend.call('labels.queue', { projectId })
    expect(page.items).toHaveLength(3)
    expect(released).toBe(false)
    await holder.exited
  })

  it('a write that cannot get the lock in time gives up with a busy error naming the store, having written nothing', async () => {
    const backend = testBackend()
    const holder = await holdWriteLock(backend.store.path, 1500)
    let ran = false
    const attempt = writeWhenFree(backend.store.db, () => (ran = true), { maxWaitMs: 100 })
    await expect(attempt).rejects.toThrow(AppError)
    await expect(attempt).rejects.toThrow(`The store ${backend.store.path} is busy`)
    expect(ran).toBe(false)
    const aborted = new AbortController()
    const cancelled = writeWhenFree(backend.store.db, () => (ran = true), { signal: aborted.signal })
    aborted.abort()
    await expect(cancelled).rejects.toThrow(/abort/i)
    expect(ran).toBe(false)
    await holder.exited
  })

  it('a label written while another process writes many rows gets in between its chunks: the writer leaves gaps once someone else has written', async () => {
    const backend = testBackend()
    const { projectId, postIds } = seedProject(backend.store, 3)
    backend.store.db.exec('CREATE TABLE slow_rows (i INTEGER)')
    // 80 chunks of ~5 ms each, as a trainer writes a run's results.
    const writer = await chunkedWriter(backend.store.path, 80, 5)
    // A person labels after the writer opened its connection and before it writes: it has seen another connection commit.
    await backend.call('labels.set', { projectId, postId: postIds[1]!, modality: 'overall', label: 'positive', annotator: 'ana' })
    writer.tell('go')
    const rows = (): number => backend.store.db.prepare<[], number>('SELECT count(*) FROM slow_rows').pluck().get()!
    // The label is written once the writer has begun (a read does not wait for its lock).
    while (rows() === 0) await new Promise((resolve) => setTimeout(resolve, 2))
    const reply = await backend.dispatch('labels.set', { projectId, postId: postIds[0], modality: 'overall', label: 'neutral', annotator: 'ana' })
    const rowsWhenAnswered = rows()
    expect(reply.ok ? 'ok' : reply.error.message).toBe('ok')
    // After each 30 ms of writing the writer leaves the lock free for 15 ms (chunked-insert.ts); the
    // label, trying every few milliseconds, gets in there instead of waiting for all 80 rows.
    expect(rowsWhenAnswered).toBeLessThan(80)
    expect(await writer.exited).toBe(0)
    expect(backend.store.db.prepare('SELECT count(*) AS n FROM slow_rows').get()).toEqual({ n: 80 })
    expect(backend.store.annotations.postLabels(postIds[0]!).labels.overall).toBe('neutral')
  })

  it('a request that throws keeps what it wrote before throwing, as the statements alone would have; a chunk is rolled back whole', async () => {
    const store = openStore(':memory:')
    const failing = writeWhenFree(store.db, () => {
      store.projects.create('kept')
      throw new Error('after the first statement')
    })
    await expect(failing).rejects.toThrow('after the first statement')
    expect(store.db.inTransaction).toBe(false)
    expect(store.projects.list().map((p) => p.name)).toEqual(['kept'])
    // A chunk of rows is all or nothing.
    const atomic = writeWhenFree(
      store.db,
      () => {
        store.projects.create('half a chunk')
        throw new Error('half-way')
      },
      { atomic: true },
    )
    await expect(atomic).rejects.toThrow('half-way')
    expect(store.db.inTransaction).toBe(false)
    expect(store.projects.list().map((p) => p.name)).toEqual(['kept'])
    store.close()
  })
})
