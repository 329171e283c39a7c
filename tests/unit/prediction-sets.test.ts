// A prediction set is written a chunk of rows per transaction (so a shell write waiting on the lock
// waits one chunk, not the whole set): nothing reads it until it is whole, a stopped write leaves
// no row behind, and a set whose writer died is deleted by the next predict of the project and
// when a back end opens the store.
import { bootId } from '#main/core/boot-id'
import { itUnless, noBootHere } from './support/it-unless'
import { OWNER_SILENT_MS, recordedProcessAlive } from '#main/core/process-alive'
import { describe, expect, it } from 'vitest'
import path from 'node:path'
import { openStore, type Store } from '#main/db/store'
import { testBackend } from './support/backend'
import { seedProject } from './support/posts'
import { tempDir } from './support/temp'

const rowsOf = (store: Store, setId: number): number => (store.db.prepare('SELECT count(*) AS n FROM predictions WHERE set_id = ?').get(setId) as { n: number }).n
const setIds = (store: Store): number[] => (store.db.prepare('SELECT id FROM prediction_sets ORDER BY id').all() as { id: number }[]).map((r) => r.id)

function newSet(projectId: number, postIds: number[]) {
  // Post i leans to class i mod 3.
  const probabilities = Float32Array.from({ length: postIds.length * 3 }, (_, k) => (k % 3 === Math.floor(k / 3) % 3 ? 0.8 : 0.1))
  return { projectId, runId: null, modelPath: '/models/m', method: 'fusion', encoder: 'default', metadata: {}, missing: 0, elapsedMs: 5, postIds, probabilities }
}

describe('prediction sets', () => {
  it('are hidden from the list, the summary and the grid until their last chunk is written', async () => {
    const { store } = testBackend()
    const { projectId, postIds } = seedProject(store, 1234)
    const seen: { listed: number; summary: unknown; gridPrediction: unknown; rows: number }[] = []
    const setId = await store.predictions.save(newSet(projectId, postIds), {
      chunk: 500,
      between: async () => {
        const partial = setIds(store).at(-1)!
        seen.push({
          listed: store.predictions.list(projectId).length,
          summary: store.predictions.summary(partial),
          gridPrediction: store.posts.page({ projectId, offset: 0, limit: 1 }).rows[0]!.prediction,
          rows: rowsOf(store, partial),
        })
      },
    })
    // Two pauses between three chunks; the rows were there, nothing showed them.
    expect(seen).toEqual([
      { listed: 0, summary: null, gridPrediction: null, rows: 500 },
      { listed: 0, summary: null, gridPrediction: null, rows: 1000 },
    ])
    expect(store.predictions.list(projectId).map((s) => s.id)).toEqual([setId])
    expect(store.predictions.summary(setId)).toMatchObject({ posts: 1234, perClass: { negative: 412, neutral: 411, positive: 411 } })
    expect(store.posts.page({ projectId, offset: 0, limit: 1 }).rows[0]!.prediction).toMatchObject({ setId, label: 'negative' })
  })

  it('stopped between two chunks, leaves neither the set nor any of its rows, and the earlier set stays', async () => {
    const { store } = testBackend()
    const { projectId, postIds } = seedProject(store, 1500)
    const earlier = await store.predictions.save(newSet(projectId, postIds.slice(0, 10)))
    const stop = new AbortController()
    let chunks = 0
    const saving = store.predictions.save(newSet(projectId, postIds), {
      signal: stop.signal,
      written: (rows) => {
        chunks++
        if (rows >= 1000) stop.abort()
      },
    })
    await expect(saving).rejects.toThrow(/aborted/)
    expect(chunks).toBe(2)
    expect(setIds(store)).toEqual([earlier])
    expect((store.db.prepare('SELECT count(*) AS n FROM predictions').get() as { n: number }).n).toBe(10)
    expect(store.predictions.list(projectId).map((s) => s.id)).toEqual([earlier])
  })

  it("of a writer that died are deleted; a live writer's are not", async () => {
    const { store } = testBackend()
    const { projectId, postIds } = seedProject(store, 30)
    const whole = await store.predictions.save(newSet(projectId, postIds))
    const insert = store.db.prepare("INSERT INTO prediction_sets (project_id, method, encoder, metadata, posts, missing, elapsed_ms, writer_pid) VALUES (?, 'fusion', 'default', '{}', 30, 0, 1, ?)")
    const dead = Number(insert.run(projectId, 999_001).lastInsertRowid)
    const live = Number(insert.run(projectId, 999_002).lastInsertRowid)
    const row = store.db.prepare("INSERT INTO predictions (set_id, post_id, label, confidence, p_negative, p_neutral, p_positive) VALUES (?, ?, 'neutral', 0.5, 0.2, 0.5, 0.3)")
    postIds.slice(0, 7).forEach((postId) => row.run(dead, postId))
    expect(await store.predictions.discardAbandoned(projectId, ({ pid }) => pid === 999_002)).toBe(1)
    expect(setIds(store)).toEqual([whole, live])
    expect(rowsOf(store, dead)).toBe(0)
    expect(rowsOf(store, whole)).toBe(30)
  })

  itUnless(noBootHere)('of a writer recorded in an earlier boot are deleted though its pid now runs', async () => {
    const { store } = testBackend()
    const { projectId, postIds } = seedProject(store, 10)
    const insert = store.db.prepare("INSERT INTO prediction_sets (project_id, method, encoder, metadata, posts, missing, elapsed_ms, writer_pid, writer_boot) VALUES (?, 'fusion', 'default', '{}', 10, 0, 1, ?, ?)")
    // This process runs; recorded under this boot it is alive, under another it is a pid reused.
    const live = Number(insert.run(projectId, process.pid, bootId()).lastInsertRowid)
    const earlier = Number(insert.run(projectId, process.pid, 'an-earlier-boot').lastInsertRowid)
    const unknown = Number(insert.run(projectId, process.pid, null).lastInsertRowid)
    const row = store.db.prepare("INSERT INTO predictions (set_id, post_id, label, confidence, p_negative, p_neutral, p_positive) VALUES (?, ?, 'neutral', 0.5, 0.2, 0.5, 0.3)")
    postIds.forEach((postId) => row.run(earlier, postId))
    expect(await store.predictions.discardAbandoned(projectId, recordedProcessAlive)).toBe(1)
    expect(setIds(store)).toEqual([live, unknown])
    expect(rowsOf(store, earlier)).toBe(0)
  })

  it('of a writer silent for minutes are deleted though a live process has its pid (a pid reused); one whose writer beats stays', async () => {
    const { store } = testBackend()
    const { projectId, postIds } = seedProject(store, 10)
    const insert = store.db.prepare("INSERT INTO prediction_sets (project_id, method, encoder, metadata, posts, missing, elapsed_ms, writer_pid, writer_seen_at) VALUES (?, 'fusion', 'default', '{}', 10, 0, 1, ?, ?)")
    // This process runs: as the writer that beat a moment ago it is at work; silent for longer than allowed, its pid is someone else's now.
    const beating = Number(insert.run(projectId, process.pid, Date.now() - 1000).lastInsertRowid)
    const silent = Number(insert.run(projectId, process.pid, Date.now() - OWNER_SILENT_MS - 1000).lastInsertRowid)
    const row = store.db.prepare("INSERT INTO predictions (set_id, post_id, label, confidence, p_negative, p_neutral, p_positive) VALUES (?, ?, 'neutral', 0.5, 0.2, 0.5, 0.3)")
    postIds.forEach((postId) => row.run(silent, postId))
    expect(await store.predictions.discardAbandoned(projectId, recordedProcessAlive)).toBe(1)
    expect(setIds(store)).toEqual([beating])
    expect(rowsOf(store, silent)).toBe(0)
  })

  it('record, while they are written, that their writer is still at work', async () => {
    const { store } = testBackend()
    const { projectId, postIds } = seedProject(store, 1500)
    const seenAt = (): number => (store.db.prepare('SELECT writer_seen_at AS t FROM prediction_sets ORDER BY id DESC LIMIT 1').get() as { t: number }).t
    const beats: number[] = []
    await store.predictions.save(
      newSet(projectId, postIds),
      {
        chunk: 500,
        between: async () => {
          const before = seenAt()
          await new Promise((resolve) => setTimeout(resolve, 120))
          beats.push(seenAt() - before)
        },
      },
      20,
    )
    // The first record is the set's creation; each slow pause between chunks saw the writer say it was still at work.
    expect(beats).toHaveLength(2)
    for (const advanced of beats) expect(advanced).toBeGreaterThan(0)
  })

  it('that a killed writer left are deleted when a back end opens the store, in every project', async () => {
    const file = path.join(tempDir('cg-abandoned-'), 'store.db')
    const store = openStore(file)
    const [a, b] = [seedProject(store, 40, 'a'), seedProject(store, 40, 'b')]
    const kept = await store.predictions.save(newSet(a.projectId, a.postIds))
    const insert = store.db.prepare("INSERT INTO prediction_sets (project_id, method, encoder, metadata, posts, missing, elapsed_ms, writer_pid) VALUES (?, 'fusion', 'default', '{}', 40, 0, 1, ?)")
    const row = store.db.prepare("INSERT INTO predictions (set_id, post_id, label, confidence, p_negative, p_neutral, p_positive) VALUES (?, ?, 'neutral', 0.5, 0.2, 0.5, 0.3)")
    // A pid no process has (above Linux's pid_max of 2^22): its writer is gone.
    for (const { projectId, postIds } of [a, b]) {
      const dead = Number(insert.run(projectId, 5_000_000).lastInsertRowid)
      postIds.forEach((postId) => row.run(dead, postId))
    }
    store.close()
    const backend = testBackend({ dbPath: file })
    await expect.poll(() => setIds(backend.store)).toEqual([kept])
    expect((backend.store.db.prepare('SELECT count(*) AS n FROM predictions').get() as { n: number }).n).toBe(40)
  })
})
