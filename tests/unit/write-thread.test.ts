// Deleting a project or a run runs on a thread of its own in the app (a 100,000-post project held
// the shell's event loop 6.4 s): all of it goes, and the shell's loop stays free while the deletion
// waits for the lock and works. A thread that dies before its deletion leaves everything; one that
// dies after its commit, before it answers, is reported with what the store holds. (An import runs
// whole on a thread of its own: import-thread.test.ts.)
import { describe, expect, it } from 'vitest'
import { threadDeleter } from '#main/app/write-thread/thread-deleter'
import { NOTHING_STORED } from '#main/app/write-thread/on-write-thread'
import { writeWhenFree } from '#main/db/write-lock'
import { startThread } from '#main/workers/thread'
import { testBackend } from './support/backend'
import { seedProject } from './support/posts'
import { holdWriteLock, releasedAt } from './support/lock-holder'
import { answerLost, answerLostBy } from './support/thread-stops'
import type { Store } from '#main/db/store'

/** A project of `n` posts with a text label and a feature vector each, and a finished run with a pseudo-label on each. */
function projectWithRun(store: Store, n: number, name: string): { projectId: number; runId: number; postIds: number[] } {
  const { projectId, postIds } = seedProject(store, n, name)
  const feature = store.db.prepare("INSERT INTO features (post_id, encoder, view, dim, vector) VALUES (?, 'enc', 'clean', 2, ?)")
  const pseudo = store.db.prepare("INSERT INTO pseudo_labels (run_id, post_id, label, confidence) VALUES (?, ?, 'neutral', 0.5)")
  const runId = Number(store.db.prepare("INSERT INTO runs (project_id, method, status) VALUES (?, 'scdr', 'done')").run(projectId).lastInsertRowid)
  store.db.transaction(() => {
    for (const postId of postIds) {
      store.annotations.append({ projectId, postId, modality: 'text', label: 'positive', source: 'human', kind: 'label', annotator: 'ana' })
      feature.run(postId, Buffer.alloc(8))
      pseudo.run(runId, postId)
    }
  })()
  return { projectId, runId, postIds }
}

/** How many rows of each kind hang off the project (its run's pseudo-labels included). */
function rowsOf(store: Store, p: { projectId: number; runId: number }): Record<string, number> {
  const count = (sql: string, id: number): number => store.db.prepare<[number], number>(sql).pluck().get(id)!
  return {
    posts: count('SELECT count(*) FROM posts WHERE project_id = ?', p.projectId),
    labels: count('SELECT count(*) FROM annotations WHERE project_id = ?', p.projectId),
    features: count('SELECT count(*) FROM features f JOIN posts x ON x.id = f.post_id WHERE x.project_id = ?', p.projectId),
    runs: count('SELECT count(*) FROM runs WHERE project_id = ?', p.projectId),
    pseudoLabels: count('SELECT count(*) FROM pseudo_labels WHERE run_id = ?', p.runId),
  }
}

describe('deleting a project or a run on its own thread', () => {
  /** A timer due 30 ms after the deletion is asked for, and when it fired: in place, SQLite's wait for the lock held this loop until the holder let go. */
  async function deletedWhileLocked<T>(store: Store, request: () => Promise<T>): Promise<{ answer: T; timerAt: number; releasedAt: number }> {
    const holder = await holdWriteLock(store.path, 1000)
    let timerAt = 0
    setTimeout(() => (timerAt = Date.now()), 30)
    const answer = await request()
    return { answer, timerAt, releasedAt: await releasedAt(holder) }
  }

  it('a project goes whole, with its posts, labels, features and runs, the others stay; the loop is free while it waits for the lock', async () => {
    const backend = testBackend()
    const doomed = projectWithRun(backend.store, 300, 'doomed')
    const kept = projectWithRun(backend.store, 20, 'kept')
    const { answer, timerAt, releasedAt: released } = await deletedWhileLocked(backend.store, () => backend.call('projects.delete', { projectId: doomed.projectId }))
    expect(answer).toEqual({ deleted: true })
    expect(timerAt).toBeGreaterThan(0)
    expect(timerAt).toBeLessThan(released)
    expect(rowsOf(backend.store, doomed)).toEqual({ posts: 0, labels: 0, features: 0, runs: 0, pseudoLabels: 0 })
    expect(rowsOf(backend.store, kept)).toEqual({ posts: 20, labels: 20, features: 20, runs: 1, pseudoLabels: 20 })
    expect((await backend.call('projects.list', {})).map((p) => p.name)).not.toContain('doomed')
  })

  it('the thread dying before its deletion leaves the project whole, says so, and the deletion can be asked again', async () => {
    const backend = testBackend()
    const project = projectWithRun(backend.store, 50, 'project')
    const before = rowsOf(backend.store, project)
    // Stopped as soon as it runs: before it has loaded what it deletes with, so before the statement.
    const stopAtOnce: typeof startThread = (entry, data) => {
      const thread = startThread(entry, data)
      thread.once('online', () => void thread.terminate())
      return thread
    }
    const deleter = threadDeleter({ dbPath: backend.store.path }, stopAtOnce)
    await expect(deleter({ what: 'project', id: project.projectId })).rejects.toThrow('the thread writing to the store stopped before it finished; nothing of its write was stored')
    expect(rowsOf(backend.store, project)).toEqual(before)
    // No lock or "long write" is left behind: the shell's writes and a new deletion go through.
    await writeWhenFree(backend.store.db, () => backend.store.projects.create('after'), { maxWaitMs: 100 })
    expect(await threadDeleter({ dbPath: backend.store.path })({ what: 'project', id: project.projectId })).toBe(true)
    expect(rowsOf(backend.store, project)).toEqual({ posts: 0, labels: 0, features: 0, runs: 0, pseudoLabels: 0 })
  })

  it('the thread dying after its deletion but before its answer: the deletion is reported done, and it is', async () => {
    const backend = testBackend()
    const project = projectWithRun(backend.store, 50, 'project')
    const kept = projectWithRun(backend.store, 5, 'kept')
    const deleter = threadDeleter({ dbPath: backend.store.path }, answerLost)
    expect(await deleter({ what: 'run', id: kept.runId })).toBe(true)
    expect(await deleter({ what: 'project', id: project.projectId })).toBe(true)
    expect(rowsOf(backend.store, project)).toEqual({ posts: 0, labels: 0, features: 0, runs: 0, pseudoLabels: 0 })
    expect(rowsOf(backend.store, kept)).toMatchObject({ posts: 5, runs: 0, pseudoLabels: 0 })
    // A run still running is not deleted; with its answer lost, the caller hears that nothing was.
    const running = Number(backend.store.db.prepare("INSERT INTO runs (project_id, method, status) VALUES (?, 'scdr', 'running')").run(kept.projectId).lastInsertRowid)
    await expect(deleter({ what: 'run', id: running })).rejects.toThrow(NOTHING_STORED)
    expect(backend.store.runs.exists(running)).toBe(true)
  })

  it('a thread that crashes after its deletion is asked after too: done when the row is gone, its own error when nothing was', async () => {
    const backend = testBackend()
    const project = projectWithRun(backend.store, 20, 'project')
    const crashing = threadDeleter({ dbPath: backend.store.path }, answerLostBy(new Error('the thread crashed')))
    expect(await crashing({ what: 'project', id: project.projectId })).toBe(true)
    expect(rowsOf(backend.store, project)).toEqual({ posts: 0, labels: 0, features: 0, runs: 0, pseudoLabels: 0 })
    const other = projectWithRun(backend.store, 5, 'other')
    const running = Number(backend.store.db.prepare("INSERT INTO runs (project_id, method, status) VALUES (?, 'scdr', 'running')").run(other.projectId).lastInsertRowid)
    await expect(crashing({ what: 'run', id: running })).rejects.toThrow('the thread crashed')
    expect(backend.store.runs.exists(running)).toBe(true)
  })

  it('a reviewed run goes with its pseudo-labels, its project and the labels accepted from it stay; the loop is free while it waits for the lock', async () => {
    const backend = testBackend()
    const project = projectWithRun(backend.store, 300, 'project')
    const accepted = project.postIds[7]!
    await backend.call('review.decide', { runId: project.runId, postId: accepted, kind: 'accept', annotator: 'ana' })
    const { answer, timerAt, releasedAt: released } = await deletedWhileLocked(backend.store, () => backend.call('runs.delete', { runId: project.runId }))
    expect(answer).toEqual({ deleted: true })
    expect(timerAt).toBeGreaterThan(0)
    expect(timerAt).toBeLessThan(released)
    // The accepted label is a label like any other now ("annotations are append-only" refused the run's deletion before v16).
    expect(rowsOf(backend.store, project)).toEqual({ posts: 300, labels: 301, features: 300, runs: 0, pseudoLabels: 0 })
    expect(backend.store.annotations.postLabels(accepted).labels.overall).toBe('neutral')
    await expect(backend.call('runs.delete', { runId: project.runId })).rejects.toThrow(`No run with id ${project.runId}`)
  })
})
