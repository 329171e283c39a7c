// Long writes run on a thread of their own in the app. An import's one transaction (100,000 posts held
// the shell's event loop ~8 s): while it writes, the shell keeps answering and hears its progress; a cancel
// while it writes rolls the whole import back; a failure in it, or the thread dying, stores nothing; a
// thread that dies after its commit, before it answers, is reported with what the store holds.
// Either all of an import lands or none of it, as when it was written in place. A label written
// meanwhile waits for the import's end and lands, where it gave up with 'busy' after 5 s. Deleting a
// project or a run (a 100,000-post project held the loop 6.4 s): all of it goes, and the shell's
// loop stays free while the deletion waits for the lock and works.
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { threadImportWriter } from '#main/app/write-thread/thread-import-writer'
import { threadDeleter } from '#main/app/write-thread/thread-deleter'
import { NOTHING_STORED } from '#main/app/write-thread/on-write-thread'
import { IMPORT_WRITE_STEP } from '#main/db/import-writer'
import { writeWhenFree } from '#main/db/write-lock'
import { startThread } from '#main/workers/thread'
import { runImport } from '#main/datasets/run-import'
import { importPosts } from './support/import-posts'
import { testBackend } from './support/backend'
import { seedProject } from './support/posts'
import { jpeg } from './support/images'
import { tempDir } from './support/temp'
import { holdWriteLock, releasedAt } from './support/lock-holder'
import type { Store } from '#main/db/store'

const POSTS = 5_000

/**
 * The thread as the shell sees it when it dies between its COMMIT and its answer: everything it
 * sends reaches the shell but the answer ('done'), and the thread is ended in its place; with
 * `crash`, as a throw it did not catch (an 'error' event before its end).
 */
const answerLostBy =
  (crash?: Error): typeof startThread =>
  (entry, data) => {
    const thread = startThread(entry, data)
    const onError: Array<(err: Error) => void> = []
    const seen = {
      on(event: string, listener: (...args: unknown[]) => void) {
        if (event === 'error') onError.push(listener as (err: Error) => void)
        if (event !== 'message') thread.on(event, listener)
        else
          thread.on('message', (message: { kind: string }) => {
            if (message.kind !== 'done') return (listener as (m: unknown) => void)(message)
            if (crash) for (const report of onError) report(crash)
            void thread.terminate()
          })
        return seen
      },
      postMessage: (message: unknown) => thread.postMessage(message),
      terminate: () => thread.terminate(),
    }
    return seen as unknown as ReturnType<typeof startThread>
  }
const answerLost = answerLostBy()

async function folderOf(n: number): Promise<string> {
  const dir = tempDir('cg-folder-')
  for (let i = 0; i < n; i++) {
    writeFileSync(path.join(dir, `post${i}.jpg`), await jpeg(i))
    writeFileSync(path.join(dir, `post${i}.txt`), `text ${i}`)
  }
  return dir
}

function setup(start = startThread) {
  const backend = testBackend()
  const store = backend.store
  const { projectId, postIds } = seedProject(store, 3)
  const counts = () => ({
    posts: store.projects.get(projectId)!.postCount,
    sources: (store.db.prepare('SELECT count(*) AS n FROM sources').get() as { n: number }).n,
    labels: (store.db.prepare("SELECT count(*) AS n FROM annotations WHERE source = 'imported'").get() as { n: number }).n,
  })
  const write = threadImportWriter({ dbPath: store.path }, start)
  return { store, projectId, postIds, counts, write }
}

describe("an import's write on its own thread", () => {
  it('lands whole while this thread keeps turning, and tells how far it got as it writes', async () => {
    const { store, projectId, counts, write } = setup()
    const before = counts()
    const posts = importPosts(POSTS, 'new')
    const labels = posts.reduce((n, p) => n + p.labels.length, 0)
    let ticks = 0
    const timer = setInterval(() => ticks++, 1)
    const heard: Array<{ done: number; ticks: number; at: number }> = []
    const startedAt = Date.now()
    try {
      const written = await write({ projectId, root: '/data', format: 'folder', posts, report: { imported: POSTS }, startedAt }, { progress: (done) => heard.push({ done, ticks, at: Date.now() }) })
      heard.push({ done: POSTS, ticks, at: Date.now() })
      expect(written).toMatchObject({ posts: POSTS, annotations: labels })
    } finally {
      clearInterval(timer)
    }
    // Progress every IMPORT_WRITE_STEP (500) posts, in order, heard while the write went on: this thread's timer kept
    // firing between the first step and the end (in place, the transaction holds the loop throughout).
    expect(heard.slice(0, -1).map((h) => h.done)).toEqual(Array.from({ length: POSTS / IMPORT_WRITE_STEP - 1 }, (_, i) => IMPORT_WRITE_STEP * (i + 1)))
    expect(heard.at(-1)!.ticks).toBeGreaterThan(heard[0]!.ticks)
    expect(counts()).toEqual({ posts: before.posts + POSTS, sources: before.sources + 1, labels: before.labels + labels })
    // The report stored with the source is the import's, its duration running through the write (past the first step heard).
    const stored = JSON.parse((store.db.prepare('SELECT report FROM sources ORDER BY id DESC LIMIT 1').get() as { report: string }).report) as { imported: number; durationMs: number }
    expect(stored.imported).toBe(POSTS)
    expect(stored.durationMs).toBeGreaterThanOrEqual(heard[0]!.at - startedAt)
  })

  it('cancelled while it writes: nothing of the import is stored, and what was there stays', async () => {
    const { projectId, counts, write } = setup()
    const before = counts()
    const controller = new AbortController()
    const run = write({ projectId, root: '/data', format: 'folder', posts: importPosts(POSTS, 'new'), report: {}, startedAt: Date.now() }, { signal: controller.signal, progress: () => controller.abort() })
    await expect(run).rejects.toThrow('cancelled while it was being written; nothing of it was stored')
    expect(counts()).toEqual(before)
  })

  it('a post the store refuses rolls the whole import back, and its reason comes back', async () => {
    const { projectId, counts, write } = setup()
    const before = counts()
    const bad = importPosts(1_200, 'new')
    bad[900] = { ...bad[900]!, labels: [{ modality: 'overall', label: 'awful' as never, annotator: 'a' }] }
    await expect(write({ projectId, root: '/data', format: 'folder', posts: bad, report: {}, startedAt: Date.now() }, {})).rejects.toThrow(/CHECK constraint failed/)
    expect(counts()).toEqual(before)
  })

  it('runImport hands the checked posts to the writer it is given, and reports its progress as the writing phase', async () => {
    const { store, projectId } = setup()
    const handed: number[] = []
    const phases: string[] = []
    const report = await runImport({
      store,
      projectId,
      path: await folderOf(3),
      onProgress: (u) => phases.push(u.phase),
      write: async (w, options) => {
        handed.push(w.posts.length)
        options.progress?.(1)
        return { sourceId: 0, posts: w.posts.length, annotations: 0 }
      },
    })
    expect(handed).toEqual([report.imported])
    expect(phases.filter((p) => p === 'writing').length).toBeGreaterThanOrEqual(3)
  })

  it('a label written while the import holds the write lock waits for it past its limit and lands, after the import', async () => {
    const { store, projectId, postIds, counts, write } = setup()
    const before = counts()
    const postId = postIds[0]!
    let label: Promise<unknown> | undefined
    let postsWhenLabelWritten = 0
    const labelNow = (): void => {
      postsWhenLabelWritten = counts().posts
      store.annotations.append({ projectId, postId, modality: 'overall', label: 'negative', source: 'human', kind: 'label', annotator: 'ana' })
    }
    await write({ projectId, root: '/data', format: 'folder', posts: importPosts(POSTS, 'new'), report: {}, startedAt: Date.now() }, {
      // The first progress message comes from inside the import's transaction: the lock is the thread's.
      progress: () => void (label ??= writeWhenFree(store.db, labelNow, { maxWaitMs: 20 })),
    })
    // Without waiting on, it gave up after 20 ms with 'busy'; the import held the lock for longer.
    await label
    // It was written once the import had committed whole.
    expect(postsWhenLabelWritten).toBe(before.posts + POSTS)
    expect(store.annotations.postLabels(postId).labels.overall).toBe('negative')
    expect(counts().posts).toBe(before.posts + POSTS)
  })

  it('the thread dying mid-write stores nothing of the import, says so, and leaves the store writable', async () => {
    const stopMidway: typeof startThread = (entry, data) => {
      const thread = startThread(entry, data)
      thread.on('message', (message: { kind: string }) => message.kind === 'progress' && void thread.terminate())
      return thread
    }
    const { store, projectId, counts, write } = setup(stopMidway)
    const before = counts()
    const run = write({ projectId, root: '/data', format: 'folder', posts: importPosts(POSTS, 'new'), report: {}, startedAt: Date.now() }, {})
    await expect(run).rejects.toThrow('the thread writing to the store stopped before it finished; nothing of its write was stored')
    expect(counts()).toEqual(before)
    // Its connection went with it, and its write lock too: a write now gets it at once.
    await writeWhenFree(store.db, () => store.projects.create('after the import'), { maxWaitMs: 100 })
    expect(store.projects.list().map((p) => p.name)).toContain('after the import')
  })

  it('the thread dying after its commit but before its answer: the import is reported as stored, with what the store holds', async () => {
    const { projectId, counts, write } = setup(answerLost)
    const before = counts()
    const posts = importPosts(POSTS, 'new')
    const labels = posts.reduce((n, p) => n + p.labels.length, 0)
    const written = await write({ projectId, root: '/data', format: 'folder', posts, report: {}, startedAt: Date.now() }, {})
    expect(written).toMatchObject({ posts: POSTS, annotations: labels })
    expect(counts()).toEqual({ posts: before.posts + POSTS, sources: before.sources + 1, labels: before.labels + labels })
  })
})

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
