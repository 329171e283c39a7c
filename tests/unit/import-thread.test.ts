// An import runs whole on a thread of its own in the app: reading the input, checking each image
// and its one transaction (at 100,000 posts the candidates' heap gave the shell's loop major GC
// pauses of 50–63 ms, and the transaction ~8 s). While it runs, the shell keeps answering and hears
// its progress through every phase; a cancel while it checks or while it writes stores nothing;
// the thread dying midway stores nothing and says so; dying after its commit, before it answers,
// it is reported with the report the store holds. A label written meanwhile waits for the import's
// transaction and lands. The folders a person granted hold on the thread too.
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import type { ImportFinished, ImportProgress, ImportReport } from '#shared/imports'
import { IMPORT_THREAD_STOPPED, importOnThread } from '#main/app/import-thread/on-import-thread'
import { ImportJobs } from '#main/app/import-jobs'
import { EventBus } from '#main/app/event-bus'
import { GrantedRoots } from '#main/app/granted-roots'
import { ImportInputError, runImport, type ImportProgressUpdate } from '#main/datasets/run-import'
import { writeWhenFree } from '#main/db/write-lock'
import { startThread } from '#main/workers/thread'
import { testBackend } from './support/backend'
import { seedProject } from './support/posts'
import { jpeg } from './support/images'
import { tempDir } from './support/temp'
import { answerLost, stoppedAt } from './support/thread-stops'

/** Past two of the write's steps (IMPORT_WRITE_STEP, 500 posts), so a stop can land inside the transaction. */
const POSTS = 1_200

/** A CSV of `n` posts (ids `new0`…) whose rows all name one image, with an overall label on each. */
async function csvOf(n: number, dir = tempDir('cg-csv-')): Promise<string> {
  mkdirSync(path.join(dir, 'img'))
  writeFileSync(path.join(dir, 'img', 'one.jpg'), await jpeg(1))
  const rows = ['id,text,image,label']
  for (let i = 0; i < n; i++) rows.push(`new${i},post number ${i},img/one.jpg,${['positive', 'neutral', 'negative'][i % 3]}`)
  writeFileSync(path.join(dir, 'posts.csv'), rows.join('\n'))
  return path.join(dir, 'posts.csv')
}

function setup() {
  const backend = testBackend()
  const store = backend.store
  const { projectId, postIds } = seedProject(store, 3)
  const counts = () => ({
    posts: store.projects.get(projectId)!.postCount,
    sources: store.db.prepare<[], number>('SELECT count(*) FROM sources').pluck().get()!,
    labels: store.db.prepare<[], number>("SELECT count(*) FROM annotations WHERE source = 'imported'").pluck().get()!,
  })
  /** The import of `file` on its thread, as ImportJobs starts it. */
  const importing = (file: string, options: { signal?: AbortSignal; roots?: string[] | null; onProgress?: (u: ImportProgressUpdate) => void; start?: typeof startThread } = {}): Promise<ImportReport> =>
    importOnThread(
      { dbPath: store.path },
      { request: { projectId, path: file }, roots: options.roots ?? null, signal: options.signal ?? new AbortController().signal, onProgress: options.onProgress ?? (() => undefined) },
      options.start,
    )
  return { store, projectId, postIds, counts, importing }
}

describe('an import on its own thread', () => {
  it('reads, checks and writes the whole import while this thread keeps turning, and tells its progress through every phase', async () => {
    const { store, counts, importing } = setup()
    const before = counts()
    let ticks = 0
    const timer = setInterval(() => ticks++, 1)
    const heard: Array<ImportProgressUpdate & { ticks: number }> = []
    let report: ImportReport
    try {
      report = await importing(await csvOf(POSTS), { onProgress: (u) => heard.push({ ...u, ticks }) })
    } finally {
      clearInterval(timer)
    }
    expect(report).toMatchObject({ format: 'csv', imported: POSTS, annotations: POSTS, problems: [] })
    expect(counts()).toEqual({ posts: before.posts + POSTS, sources: before.sources + 1, labels: before.labels + POSTS })
    // Each phase in order, each heard as it starts and as it ends, and this thread's timer fired between the first and the last.
    expect([...new Set(heard.map((h) => h.phase))]).toEqual(['scanning', 'reading', 'images', 'writing'])
    expect(heard.filter((h) => h.phase === 'images' && h.done === POSTS)).toHaveLength(1)
    expect(heard.at(-1)).toMatchObject({ phase: 'writing', done: POSTS, total: POSTS })
    expect(heard.at(-1)!.ticks).toBeGreaterThan(heard[0]!.ticks)
    // Throttled on the thread: not one message per image.
    expect(heard.length).toBeLessThan(POSTS / 4)
    const stored = JSON.parse(store.db.prepare<[], string>('SELECT report FROM sources ORDER BY id DESC LIMIT 1').pluck().get()!) as ImportReport
    expect(stored).toMatchObject({ imported: POSTS, format: 'csv' })
  })

  it('cancelled while it checks the images: nothing is stored, and what was there stays', async () => {
    const { counts, importing } = setup()
    const before = counts()
    const controller = new AbortController()
    const run = importing(await csvOf(POSTS), { signal: controller.signal, onProgress: (u) => u.phase === 'images' && u.done > 0 && controller.abort() })
    await expect(run).rejects.toThrow()
    expect(controller.signal.aborted).toBe(true)
    expect(counts()).toEqual(before)
  })

  it('cancelled while it writes: nothing of the import is stored, and what was there stays', async () => {
    const { counts, importing } = setup()
    const before = counts()
    const controller = new AbortController()
    // 'began' comes from inside the import's transaction.
    const start: typeof startThread = (entry, data) => {
      const thread = startThread(entry, data)
      thread.on('message', (m: { kind: string }) => m.kind === 'began' && controller.abort())
      return thread
    }
    await expect(importing(await csvOf(POSTS), { signal: controller.signal, start })).rejects.toThrow('cancelled while it was being written; nothing of it was stored')
    expect(counts()).toEqual(before)
  })

  it('an input it cannot import is refused by name, as the input error it is', async () => {
    const { counts, importing } = setup()
    const before = counts()
    const empty = tempDir('cg-empty-')
    const run = importing(empty)
    await expect(run).rejects.toBeInstanceOf(ImportInputError)
    await expect(run).rejects.toThrow(`Cannot import ${empty}`)
    expect(counts()).toEqual(before)
  })

  it('reads images only inside the folders granted: an image_root outside them is refused by name', async () => {
    const { importing } = setup()
    const granted = tempDir('cg-granted-')
    const outside = tempDir('cg-outside-')
    writeFileSync(path.join(outside, 'far.jpg'), await jpeg(2))
    mkdirSync(path.join(granted, 'img'))
    writeFileSync(path.join(granted, 'img', 'near.jpg'), await jpeg(3))
    writeFileSync(path.join(granted, 'posts.csv'), `id,text,image,image_root\nnear,inside,img/near.jpg,\nfar,outside,far.jpg,${outside}\n`)
    const report = await importing(path.join(granted, 'posts.csv'), { roots: [granted] })
    expect(report.imported).toBe(1)
    expect(report.problems).toEqual([expect.objectContaining({ code: 'path-outside-dataset', externalId: 'far', message: expect.stringContaining(`image_root ${outside}`) })])
    // Without a limit, the same file imports both.
    expect((await importing(path.join(granted, 'posts.csv'), { roots: null })).alreadyPresent).toBe(1)
  })

  it('a label written while the import holds the write lock waits for it past its limit and lands, after the import', async () => {
    const { store, projectId, postIds, counts, importing } = setup()
    const before = counts()
    const postId = postIds[0]!
    let label: Promise<unknown> | undefined
    let postsWhenLabelWritten = 0
    const labelNow = (): void => {
      postsWhenLabelWritten = counts().posts
      store.annotations.append({ projectId, postId, modality: 'overall', label: 'negative', source: 'human', kind: 'label', annotator: 'ana' })
    }
    const start: typeof startThread = (entry, data) => {
      const thread = startThread(entry, data)
      thread.on('message', (m: { kind: string }) => m.kind === 'began' && (label ??= writeWhenFree(store.db, labelNow, { maxWaitMs: 20 })))
      return thread
    }
    await importing(await csvOf(POSTS), { start })
    // Without waiting on, it gave up after 20 ms with 'busy'; the import held the lock for longer.
    await label
    expect(postsWhenLabelWritten).toBe(before.posts + POSTS)
    expect(store.annotations.postLabels(postId).labels.overall).toBe('negative')
  })

  it('the thread dying mid-write stores nothing of the import, says so, and leaves the store writable', async () => {
    const { store, counts, importing } = setup()
    const before = counts()
    // Ended as it says which source row is the import's: inside the transaction.
    const run = importing(await csvOf(POSTS), { start: stoppedAt((m) => m.kind === 'began') })
    await expect(run).rejects.toThrow(IMPORT_THREAD_STOPPED)
    expect(counts()).toEqual(before)
    // Its connection went with it, and its write lock too: a write now gets it at once.
    await writeWhenFree(store.db, () => store.projects.create('after the import'), { maxWaitMs: 100 })
    expect(store.projects.list().map((p) => p.name)).toContain('after the import')
  })

  it('the thread dying after its commit but before its answer: the import is reported with the report the store holds', async () => {
    const { counts, importing } = setup()
    const before = counts()
    const report = await importing(await csvOf(POSTS), { start: answerLost })
    expect(report).toMatchObject({ format: 'csv', imported: POSTS, annotations: POSTS })
    expect(counts()).toEqual({ posts: before.posts + POSTS, sources: before.sources + 1, labels: before.labels + POSTS })
  })
})

describe('runImport', () => {
  it('hands the checked posts to the writer it is given, and reports its progress as the writing phase', async () => {
    const { store, projectId } = setup()
    const dir = tempDir('cg-folder-')
    for (let i = 0; i < 3; i++) {
      writeFileSync(path.join(dir, `post${i}.jpg`), await jpeg(i))
      writeFileSync(path.join(dir, `post${i}.txt`), `text ${i}`)
    }
    const handed: number[] = []
    const phases: string[] = []
    const report = await runImport({
      store,
      projectId,
      path: dir,
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
})

describe("the app's imports.start and imports.cancel", () => {
  /** Starts an import through the back end; the events it sends until its end. */
  async function imported(file: string, onProgress?: (p: ImportProgress, cancel: () => void) => void) {
    const backend = testBackend()
    const { projectId } = seedProject(backend.store, 3)
    const progress: ImportProgress[] = []
    let jobId = ''
    const cancel = (): void => void backend.call('imports.cancel', { jobId })
    const finished = new Promise<ImportFinished>((resolve) =>
      backend.events.subscribe((event, payload) => {
        if (event === 'imports.progress') {
          progress.push(payload as ImportProgress)
          onProgress?.(payload as ImportProgress, cancel)
        }
        if (event === 'imports.finished') resolve(payload as ImportFinished)
      }),
    )
    jobId = (await backend.call('imports.start', { projectId, path: file })).jobId
    return { finished: await finished, progress, posts: backend.store.projects.get(projectId)!.postCount }
  }

  it('a cancel while the images are checked ends the import as cancelled, with nothing of it stored', async () => {
    const { finished, progress, posts } = await imported(await csvOf(POSTS), (p, cancel) => p.phase === 'images' && p.done > 0 && cancel())
    expect(finished).toMatchObject({ outcome: 'cancelled' })
    expect(finished.error).toBeUndefined()
    expect(progress.some((p) => p.phase === 'writing')).toBe(false)
    expect(posts).toBe(3)
  })

  it('an input it cannot import ends as failed with the reason naming it, and a good one as done with its report and an ETA on the way', async () => {
    const empty = tempDir('cg-empty-')
    const failed = await imported(empty)
    expect(failed.finished).toMatchObject({ outcome: 'failed', error: expect.stringMatching(new RegExp(`^Cannot import ${empty}`)) })
    const done = await imported(await csvOf(POSTS))
    expect(done.finished).toMatchObject({ outcome: 'done', report: { imported: POSTS } })
    expect(done.posts).toBe(3 + POSTS)
    expect(done.progress.some((p) => p.phase === 'images' && p.etaMs !== null)).toBe(true)
  })
})

describe('ImportJobs.stop, as a quitting app calls it', () => {
  it('cancels every import and settles only once each one\'s thread has ended, with nothing of them stored', async () => {
    const { store, projectId, counts } = setup()
    const before = counts()
    const events = new EventBus()
    const finished: ImportFinished[] = []
    let checking!: () => void
    const bothChecking = new Promise<void>((resolve) => (checking = resolve))
    const seen = new Set<string>()
    events.subscribe((event, payload) => {
      if (event === 'imports.finished') finished.push(payload as ImportFinished)
      const p = payload as ImportProgress
      if (event === 'imports.progress' && p.phase === 'images' && p.done > 0 && seen.add(p.jobId).size === 2) checking()
    })
    let started = 0
    let ended = 0
    const start: typeof startThread = (entry, data) => {
      const thread = startThread(entry, data)
      started++
      thread.once('exit', () => ended++)
      return thread
    }
    const jobs = new ImportJobs({ dbPath: store.path }, events, new GrantedRoots(null), start)
    jobs.start({ projectId, path: await csvOf(POSTS) })
    jobs.start({ projectId, path: await csvOf(POSTS) })
    await bothChecking
    await jobs.stop()
    // Both threads were still checking images when the stop came; neither outlived it.
    expect({ started, ended }).toEqual({ started: 2, ended: 2 })
    expect(finished.map((f) => f.outcome)).toEqual(['cancelled', 'cancelled'])
    expect(counts()).toEqual(before)
    // Nothing left to wait for: a second stop settles at once.
    await jobs.stop()
  })
})
