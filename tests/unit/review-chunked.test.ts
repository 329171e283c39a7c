// Bulk accept and its undo are written a chunk of posts per transaction, the event loop free in
// between (100,000-post projects: `npm run bench stall`). What a reviewer relies on still holds: one
// bulk accept is one undo step, requests in between are served, and a failure or a crash half-way
// leaves a consistent store that the same action, done again, finishes (resumable).
import { describe, expect, it } from 'vitest'
import type { Backend } from '#main/app/backend'
import type { ReviewRun } from '#main/db/review-repo'
import { ReviewWriter } from '#main/review/review-writer'
import { SENTIMENTS } from '#shared/vocabulary'
import { testBackend } from './support/backend'
import { seedProject } from './support/posts'

const POSTS = 7

/** A finished run with a confident pseudo-label on each of seven unlabeled posts. */
function setup(): { backend: Backend; writer: ReviewWriter; run: ReviewRun; postIds: number[] } {
  const backend = testBackend()
  const { projectId, postIds } = seedProject(backend.store, POSTS)
  const db = backend.store.db
  const runId = Number(db.prepare("INSERT INTO runs (project_id, method, status) VALUES (?, 'supervised', 'done')").run(projectId).lastInsertRowid)
  const insert = db.prepare('INSERT INTO pseudo_labels (run_id, post_id, label, confidence) VALUES (?, ?, ?, 0.9)')
  postIds.forEach((postId, i) => insert.run(runId, postId, SENTIMENTS[i % 3]))
  return { backend, writer: new ReviewWriter(backend.store), run: backend.store.review.run(runId)!, postIds }
}

const count = (backend: Backend, sql: string): number => (backend.store.db.prepare(`SELECT count(*) AS n FROM ${sql}`).get() as { n: number }).n
const labeled = (backend: Backend): number => count(backend, 'posts WHERE label_overall IS NOT NULL')

/** `between` for a write cut short after `chunks` chunks, as a crash or a full disk would cut it. */
function failAfter(chunks: number): () => Promise<void> {
  let seen = 0
  return async () => {
    if (++seen >= chunks) throw new Error('disk full')
  }
}

describe('bulk accept in chunks', () => {
  it('is one undo step, skips a post decided in between and refuses an undo while it is written', async () => {
    const { backend, writer, run, postIds } = setup()
    const refusals: string[] = []
    let turns = 0
    const between = async (): Promise<void> => {
      if (turns++ > 0) return
      // Between the first two chunks: another reviewer rejects a post the bulk accept has not reached yet.
      writer.decide({ run, postId: postIds[6]!, kind: 'reject', annotator: 'bob' })
      await writer.undo(run, 'ann').catch((err: Error) => refusals.push(err.message))
    }
    const accepted = await writer.bulkAccept(run, 0.5, 'ann', { chunk: 2, between })
    expect(accepted).toEqual({ accepted: 6, perClass: { positive: 2, neutral: 2, negative: 2 } })
    expect(turns).toBe(3)
    expect(refusals).toEqual([`ann has a bulk accept of run ${run.id} still being written; an undo can start once it has finished.`])
    expect(count(backend, "review_steps WHERE kind = 'bulk'")).toBe(1)
    expect(labeled(backend)).toBe(6)

    expect(await writer.undo(run, 'ann', { chunk: 4 })).toEqual({ postIds: postIds.slice(0, 6) })
    expect(labeled(backend)).toBe(0)
    expect(count(backend, "review_decisions WHERE state = 'done'")).toBe(1) // bob's rejection stands
  })

  it('keeps what it committed before a failure as one consistent step; accepting again does the rest', async () => {
    const { backend, writer, run } = setup()
    await expect(writer.bulkAccept(run, 0.5, 'ann', { chunk: 2, between: failAfter(2) })).rejects.toThrow(
      'Bulk accept stopped after 4 posts: disk full. Those 4 stay accepted as one step (Undo takes them back); bulk accept again to accept the rest.',
    )
    expect(labeled(backend)).toBe(4)
    expect(count(backend, 'review_decisions')).toBe(4)
    expect(count(backend, 'annotations')).toBe(4)
    expect(backend.store.stats.labelCounts(run.projectId).overall).toEqual({ positive: 2, neutral: 1, negative: 1 })

    expect(await writer.bulkAccept(run, 0.5, 'ann')).toMatchObject({ accepted: 3 })
    expect(labeled(backend)).toBe(POSTS)
    expect((await writer.undo(run, 'ann'))?.postIds).toHaveLength(3)
    expect((await writer.undo(run, 'ann'))?.postIds).toHaveLength(4)
    expect(labeled(backend)).toBe(0)
  })

  it('a failure in the first chunk writes nothing', async () => {
    const { backend, writer, run } = setup()
    backend.store.db.exec("CREATE TRIGGER fail BEFORE INSERT ON annotations BEGIN SELECT RAISE(ABORT, 'disk full'); END")
    await expect(writer.bulkAccept(run, 0.5, 'ann', { chunk: 2 })).rejects.toThrow('disk full')
    for (const table of ['annotations', 'review_decisions', 'review_steps']) expect(count(backend, table)).toBe(0)
  })
})

describe('undo in chunks', () => {
  it('an undo cut short leaves the step on the stack; undoing again finishes it', async () => {
    const { backend, writer, run, postIds } = setup()
    await writer.bulkAccept(run, 0.5, 'ann')
    await expect(writer.undo(run, 'ann', { chunk: 3, between: failAfter(1) })).rejects.toThrow('disk full')
    expect(labeled(backend)).toBe(4)
    expect(count(backend, "review_steps WHERE state = 'done'")).toBe(1)

    expect(await writer.undo(run, 'ann', { chunk: 3 })).toEqual({ postIds: postIds.slice(3) })
    expect(labeled(backend)).toBe(0)
    expect(count(backend, "review_steps WHERE state = 'undone'")).toBe(1)
    expect(await writer.undo(run, 'ann')).toBeNull()
  })
})
