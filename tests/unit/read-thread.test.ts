// The heavy reads answered by the read thread (its own read-only connection) are the answers the
// shell's connection gives: project stats, grid pages, review pages, prediction sets, labeling
// progress, agreement and suggestions, feature counts, a run's plan, including the decisions
// just written on the other connection, a run ranked when it finishes, and errors with their code.
// Stats come from counts kept by triggers (migration 8); they must match a walk of the posts.
import { copyFileSync } from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import type { Backend } from '#main/app/backend'
import type { Method } from '#shared/contract'
import type { PostPage } from '#shared/projects'
import { SENTIMENTS } from '#shared/vocabulary'
import { testBackend } from './support/backend'
import { seedProject } from './support/posts'
import { tempDir } from './support/temp'
import { walGeneration } from './support/wal'

async function ok<T = unknown>(backend: Backend, method: Method, payload: unknown): Promise<T> {
  const reply = await backend.dispatch(method, payload)
  if (!reply.ok) throw new Error(`${method}: ${reply.error.message}`)
  return reply.result as T
}

/** A project of 30 posts, some labeled, and a finished run with a pseudo-label and a prediction for each. */
async function seeded(backend: Backend) {
  const { projectId, postIds } = seedProject(backend.store, 30)
  const db = backend.store.db
  const label = db.prepare("INSERT INTO annotations (project_id, post_id, modality, label, source, annotator) VALUES (?, ?, ?, ?, 'imported', ?)")
  postIds.forEach((id, i) => {
    if (i % 3 !== 0) label.run(projectId, id, 'overall', SENTIMENTS[i % 3], 'importer')
    if (i % 4 === 0) label.run(projectId, id, 'text', SENTIMENTS[(i >> 1) % 3], 'ann')
  })
  const runId = Number(db.prepare("INSERT INTO runs (project_id, method, status) VALUES (?, 'scdr', 'done')").run(projectId).lastInsertRowid)
  const pseudo = db.prepare(`INSERT INTO pseudo_labels (run_id, post_id, label, confidence, text_label, text_confidence, image_label,
    image_confidence, modality, plf_decision, plf_reason, loss) VALUES (?, ?, ?, ?, 'positive', 0.8, ?, 0.7, 'common', 'kept', 'ok', ?)`)
  postIds.forEach((id, i) => pseudo.run(runId, id, SENTIMENTS[i % 3], 0.4 + (i % 10) / 20, SENTIMENTS[i % 2], (i % 7) / 3))
  const probabilities = Float32Array.from({ length: postIds.length * 3 }, (_, k) => ((k * 7) % 5) / 10)
  await backend.store.predictions.save({ projectId, runId, modelPath: null, method: 'scdr', encoder: 'default', metadata: {}, missing: 0, elapsedMs: 1, postIds, probabilities })
  return { projectId, postIds, runId }
}

/** Stats by walking every post, as the store answered before migration 8. */
function walkedCounts(backend: Backend, projectId: number) {
  return backend.store.db
    .prepare(`SELECT split, label_overall, label_text, label_image, conflict, count(*) AS n FROM posts WHERE project_id = ?
      GROUP BY split, label_overall, label_text, label_image, conflict ORDER BY 1, 2, 3, 4, 5`)
    .all(projectId)
}
const keptCounts = (backend: Backend, projectId: number) =>
  backend.store.db
    .prepare(`SELECT split, nullif(label_overall, '') AS label_overall, nullif(label_text, '') AS label_text, nullif(label_image, '') AS label_image,
      conflict, n FROM post_counts WHERE project_id = ? AND n > 0 ORDER BY 1, 2, 3, 4, 5`)
    .all(projectId)

const withoutBatch = ({ batchId, ...rest }: { batchId: number }): object => (expect(batchId).toBeGreaterThan(0), rest)

describe('read thread', () => {
  it('answers stats, grid pages and review pages as the main connection does, decisions included', async () => {
    const threaded = testBackend({ readThread: true })
    const { projectId, postIds, runId } = await seeded(threaded)
    const queue = { runId, order: 'risk', filter: 'pending', offset: 0, limit: 10 }
    const first = await ok<{ items: Array<{ postId: number }>; pending: number }>(threaded, 'review.queue', queue)
    expect(first.items).toHaveLength(10)
    await ok(threaded, 'review.decide', { runId, postId: first.items[0]!.postId, kind: 'accept', annotator: 'ana' })
    await ok(threaded, 'labels.set', { projectId, postId: postIds[5], modality: 'image', label: 'negative', annotator: 'ana' })

    const answers = async (backend: Backend) => [
      await ok(backend, 'projects.stats', { projectId }),
      await ok(backend, 'posts.page', { projectId, offset: 5, limit: 10 }),
      await ok(backend, 'review.queue', queue),
      await ok(backend, 'review.bulkPreview', { runId, minConfidence: 0.6 }),
      await ok(backend, 'predict.list', { projectId }),
      await ok(backend, 'labels.progress', { projectId }),
      await ok(backend, 'labels.agreement', { projectId, modality: 'text' }),
      await ok(backend, 'labels.strategies', { projectId }),
      await ok(backend, 'labels.queue', { projectId, limit: 5 }),
      await ok(backend, 'labels.queue', { projectId, search: 'post', order: 'id', overall: 'unlabeled', conflicts: true }),
      // Parts of answers whose rest the shell gives: the feature counts, and a suggestion's picks (its batch is written by the shell).
      await ok(backend, 'features.status', { projectId }),
      withoutBatch(await ok<{ batchId: number }>(backend, 'labels.suggest', { projectId, strategy: 'stratified', count: 5, seed: 3 })),
      await ok(backend, 'runs.plan', { projectId, method: 'supervised', preset: 'quick', labels: { mode: 'current' }, seed: 1 }),
    ]
    const fromThread = await answers(threaded)
    // The same store through the inline path: the same handlers on the shell's connection.
    const inline = testBackend({ dbPath: threaded.store.path })
    expect(fromThread).toEqual(await answers(inline))
    const page = fromThread[2] as { pending: number; items: Array<{ postId: number }> }
    expect(page.pending).toBe(first.pending - 1)
    expect(page.items.map((i) => i.postId)).not.toContain(first.items[0]!.postId)
  })

  it('ranks a run when it finishes, and passes a missing run back as not-found', async () => {
    const backend = testBackend({ readThread: true })
    const { runId } = await seeded(backend)
    expect(backend.store.review.isRanked(runId)).toBe(false)
    await backend.reads.rank(runId)
    expect(backend.store.review.isRanked(runId)).toBe(true)
    const reply = await backend.dispatch('review.queue', { runId: runId + 99, order: 'risk', filter: 'all', offset: 0, limit: 5 })
    expect(reply).toEqual({ ok: false, error: { code: 'not-found', message: `No run with id ${runId + 99}` } })
  })

  it("checkpoints the shell's labels into the database file on its own connection, never on the shell's", async () => {
    const backend = testBackend({ readThread: true })
    const { projectId, postIds } = await seeded(backend)
    backend.store.db.pragma('wal_checkpoint(TRUNCATE)')
    const shellPragmas: string[] = []
    const pragma = backend.store.db.pragma.bind(backend.store.db)
    backend.store.db.pragma = ((source: string, options?: never) => (shellPragmas.push(source), pragma(source, options))) as typeof pragma
    await ok(backend, 'labels.set', { projectId, postId: postIds[0], modality: 'overall', label: 'negative', annotator: 'ana' })
    // The database file alone (no WAL beside it) holds the label once the thread has checkpointed.
    const inFile = (): unknown => {
      const copy = path.join(tempDir('cg-file-'), 'copy.db')
      copyFileSync(backend.store.path, copy)
      const db = new Database(copy, { readonly: true })
      try {
        return db.prepare('SELECT label_overall FROM posts WHERE id = ?').pluck().get(postIds[0])
      } finally {
        db.close()
      }
    }
    const deadline = Date.now() + 5000
    while (inFile() !== 'negative' && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20))
    expect(inFile()).toBe('negative')
    expect(shellPragmas.filter((p) => p.includes('checkpoint'))).toEqual([])
  })
})

describe('the WAL after a checkpoint', () => {
  it("is started afresh by the read thread, so the shell's next label appends to it and syncs no header", async () => {
    const backend = testBackend({ readThread: true })
    const { projectId, postIds } = await seeded(backend)
    const label = (i: number) => ok(backend, 'labels.set', { projectId, postId: postIds[i], modality: 'overall', label: SENTIMENTS[i % 3], annotator: 'ana' })
    for (let i = 0; i < 3; i++) {
      await label(i)
      // The label's own deferred checkpoint, then one with the thread idle: it copies the whole WAL and starts it afresh.
      await new Promise((resolve) => setTimeout(resolve, 50))
      await backend.reads.writeHold()
      await backend.reads.checkpoint()
      const started = walGeneration(backend.store.path)
      await label(i + 10)
      expect(walGeneration(backend.store.path)).toBe(started)
    }
    // Every label is in the store, read back through the thread.
    const page = await ok<PostPage>(backend, 'posts.page', { projectId, offset: 0, limit: 30 })
    const overall = new Map(page.rows.map((p) => [p.id, p.labels.overall]))
    for (const i of [0, 1, 2, 10, 11, 12]) expect(overall.get(postIds[i]!)).toBe(SENTIMENTS[i % 3])
  })
})

describe('project stats from kept counts', () => {
  it('match a walk of the posts through labels, relabels, a split change and deleted posts', async () => {
    const backend = testBackend()
    const { projectId, postIds } = await seeded(backend)
    const other = seedProject(backend.store, 4, 'other')
    expect(keptCounts(backend, projectId)).toEqual(walkedCounts(backend, projectId))
    await ok(backend, 'labels.set', { projectId, postId: postIds[0], modality: 'overall', label: 'positive', annotator: 'bo' })
    await ok(backend, 'labels.set', { projectId, postId: postIds[1], modality: 'overall', label: null, annotator: 'bo' })
    backend.store.db.prepare("UPDATE posts SET split = 'test', conflict = 1 WHERE id = ?").run(postIds[2])
    backend.store.db.prepare('DELETE FROM posts WHERE id IN (?, ?)').run(postIds[3], postIds[4])
    expect(keptCounts(backend, projectId)).toEqual(walkedCounts(backend, projectId))
    const stats = await ok<{ total: number; annotators: Array<{ annotator: string; source: string; count: number }> }>(backend, 'projects.stats', { projectId })
    expect(stats.total).toBe(28)
    expect(stats.annotators).toContainEqual({ annotator: 'bo', source: 'human', count: 2 })
    await ok(backend, 'projects.delete', { projectId: other.projectId })
    expect(keptCounts(backend, other.projectId)).toEqual([])
  })
})
