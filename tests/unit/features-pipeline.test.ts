// The extraction pipeline end to end in real worker processes, with fake encoders: what is
// missing, resume after a SIGKILL half-way, cancel, a crashing worker, and the cache's integrity.
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openStore, type Store } from '#main/db/store'
import { FeaturesRepo } from '#main/db/features-repo'
import type { ExtractionConfig } from '#main/features/extraction-protocol'
import { forkWorker, type WorkerHandle } from '#main/features/extraction/worker-process'
import { runWorkerTask } from '#main/features/extraction/worker-task'
import { planExtraction } from '#main/features/extraction/plan'
import { featureCorpus } from './support/feature-corpus'
import { FAKE_ENCODERS, FAKE_IMAGE_DIM, FAKE_IMAGE_ID, FAKE_TEXT_DIM, FAKE_TEXT_ID, UNENCODABLE } from './support/fake-encoders'
import { tempDir } from './support/temp'

const POSTS = 24
const BATCH = 4
/** Rows per post with K = 1: image clean, weak:0, strong:0; text clean, strong:0. */
const ROWS_PER_POST = 5

let store: Store
let dbPath: string
let log: string

beforeEach(() => {
  dbPath = path.join(tempDir('cg-db-'), 'test.db')
  store = openStore(dbPath)
  log = path.join(tempDir('cg-log-'), 'encoder.log')
  writeFileSync(log, '')
  process.env.FAKE_ENCODER_LOG = log
  process.env.FAKE_ENCODER_DELAY_MS = '0'
})
afterEach(() => {
  store.close()
  delete process.env.FAKE_ENCODER_LOG
  delete process.env.FAKE_ENCODER_DELAY_MS
})

const config = (projectId: number, encoder = 'default'): ExtractionConfig => ({
  dbPath,
  projectId,
  encoder,
  views: 1,
  seed: 1,
  batchSize: BATCH,
  pairModule: FAKE_ENCODERS,
})

/** Inputs the fake encoders were handed, by modality, across every worker so far. */
function encoded(): { image: number; text: number } {
  const lines = readFileSync(log, 'utf8').split('\n').filter(Boolean)
  return { image: lines.filter((l) => l.startsWith('image ')).length, text: lines.filter((l) => l.startsWith('text ')).length }
}

/** Vectors stored per post, and every one decoded with its encoder's dimension. */
function cacheContents(projectId: number): Map<number, number> {
  const repo = new FeaturesRepo(store.db)
  const perPost = new Map<number, number>()
  for (const [encoder, views, dim] of [
    [FAKE_IMAGE_ID, ['clean', 'weak:0', 'strong:0'], FAKE_IMAGE_DIM],
    [FAKE_TEXT_ID, ['clean', 'strong:0'], FAKE_TEXT_DIM],
  ] as const) {
    for (const view of views) {
      for (const [postId, vector] of repo.readAll(projectId, encoder, view, dim)) {
        expect(vector.every(Number.isFinite)).toBe(true)
        perPost.set(postId, (perPost.get(postId) ?? 0) + 1)
      }
    }
  }
  return perPost
}

function extract(projectId: number, launch: () => WorkerHandle = () => forkWorker(), encoder = 'default') {
  const progress: number[] = []
  const task = runWorkerTask(launch, { type: 'start', task: 'extract', config: config(projectId, encoder) }, (p) => {
    if (p.phase === 'encoding') progress.push(p.done)
  })
  return { task, progress }
}

describe('extraction in a worker process', () => {
  it('encodes every view of every post once, and a second run finds nothing missing', async () => {
    const { projectId } = await featureCorpus(store, POSTS)
    const first = await extract(projectId).task.outcome
    expect(first.outcome).toBe('done')
    if (first.outcome !== 'done') return
    expect(first.result).toMatchObject({ posts: POSTS, alreadyDone: 0, encoded: POSTS, vectorsWritten: POSTS * ROWS_PER_POST, failed: 0 })
    expect(first.result.pair).toMatchObject({ image: { id: FAKE_IMAGE_ID, dim: FAKE_IMAGE_DIM }, text: { id: FAKE_TEXT_ID, dim: FAKE_TEXT_DIM } })
    expect(encoded()).toEqual({ image: POSTS * 3, text: POSTS * 2 })
    expect([...cacheContents(projectId).values()]).toEqual(new Array(POSTS).fill(ROWS_PER_POST))

    const again = await extract(projectId).task.outcome
    expect(again).toMatchObject({ outcome: 'done', result: { alreadyDone: POSTS, encoded: 0, vectorsWritten: 0 } })
    expect(encoded()).toEqual({ image: POSTS * 3, text: POSTS * 2 })
  })

  it('copies the vectors of posts already in the store with the same image (and text), and encodes only what differs', async () => {
    const first = await featureCorpus(store, POSTS, 'first import')
    expect((await extract(first.projectId).task.outcome).outcome).toBe('done')
    const before = encoded()
    // The same data set again, in another project; one post's text differs, another's image, and
    // a third's id (which seeds its augmented views).
    const second = await featureCorpus(store, POSTS, 'second import')
    const post = (externalId: string): number => store.db.prepare('SELECT id FROM posts WHERE project_id = ? AND external_id = ?').pluck().get(second.projectId, externalId) as number
    store.db.prepare('UPDATE posts SET text = ? WHERE id = ?').run('a caption written again', post('p1'))
    store.db.prepare('UPDATE posts SET image_hash = ? WHERE id = ?').run('another image', post('p2'))
    store.db.prepare("UPDATE posts SET external_id = 'renamed' WHERE id = ?").run(post('p3'))

    const outcome = await extract(second.projectId).task.outcome
    // p1 keeps its image views (3 rows) and encodes its text (2); p2 encodes all five; p3 keeps its
    // clean views (2) and encodes its augmented ones (image weak and strong, text strong).
    const copied = (POSTS - 3) * ROWS_PER_POST + 3 + 2
    expect(outcome).toMatchObject({ outcome: 'done', result: { posts: POSTS, alreadyDone: POSTS - 3, encoded: 3, vectorsWritten: 2 + 5 + 3, vectorsCopied: copied } })
    expect(encoded()).toEqual({ image: before.image + 3 + 2, text: before.text + 2 + 2 + 1 })
    expect([...cacheContents(second.projectId).values()]).toEqual(new Array(POSTS).fill(ROWS_PER_POST))

    // The copies are the first project's vectors, and stay when that project goes.
    const repo = new FeaturesRepo(store.db)
    const firstClean = repo.readAll(first.projectId, FAKE_TEXT_ID, 'clean', FAKE_TEXT_DIM)
    const secondClean = repo.readAll(second.projectId, FAKE_TEXT_ID, 'clean', FAKE_TEXT_DIM)
    const byExternal = (projectId: number): Map<string, number> =>
      new Map(store.db.prepare('SELECT external_id, id FROM posts WHERE project_id = ?').raw().all(projectId) as Array<[string, number]>)
    const [firstIds, secondIds] = [byExternal(first.projectId), byExternal(second.projectId)]
    expect(secondClean.get(secondIds.get('p5')!)).toEqual(firstClean.get(firstIds.get('p5')!))
    expect(secondClean.get(secondIds.get('p1')!)).not.toEqual(firstClean.get(firstIds.get('p1')!))
    store.projects.delete(first.projectId)
    expect([...cacheContents(second.projectId).values()]).toEqual(new Array(POSTS).fill(ROWS_PER_POST))
  })

  it('reports progress per batch up to the total', async () => {
    const { projectId } = await featureCorpus(store, POSTS)
    const { task, progress } = extract(projectId)
    await task.outcome
    expect(progress).toEqual([0, 4, 8, 12, 16, 20, 24])
  })

  it('after a SIGKILL half-way, keeps whole batches only, and the next run computes just the rest', async () => {
    const { projectId } = await featureCorpus(store, POSTS)
    process.env.FAKE_ENCODER_DELAY_MS = '150'
    let handle: WorkerHandle | undefined
    const { task } = extract(projectId, () => (handle = forkWorker()))
    const killed = await new Promise<Awaited<typeof task.outcome>>((resolve) => {
      let killedAt = false
      // Kill as soon as half the posts are stored: mid-way through the next batch's encoding.
      const timer = setInterval(() => {
        if (!killedAt && cacheContents(projectId).size >= POSTS / 2) {
          killedAt = true
          handle!.kill()
        }
      }, 20)
      void task.outcome.then((o) => {
        clearInterval(timer)
        resolve(o)
      })
    })
    expect(killed.outcome).toBe('failed')
    expect(killed.outcome === 'failed' && killed.error).toMatch(/SIGKILL/)

    const stored = cacheContents(projectId)
    expect(stored.size).toBeGreaterThanOrEqual(POSTS / 2)
    expect(stored.size).toBeLessThan(POSTS)
    expect(stored.size % BATCH).toBe(0)
    // Each stored post has all its vectors: a batch lands whole or not at all.
    expect([...stored.values()].every((n) => n === ROWS_PER_POST)).toBe(true)
    expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok')

    const before = encoded()
    process.env.FAKE_ENCODER_DELAY_MS = '0'
    const resumed = await extract(projectId).task.outcome
    const rest = POSTS - stored.size
    expect(resumed).toMatchObject({ outcome: 'done', result: { alreadyDone: stored.size, encoded: rest, vectorsWritten: rest * ROWS_PER_POST } })
    const after = encoded()
    expect({ image: after.image - before.image, text: after.text - before.text }).toEqual({ image: rest * 3, text: rest * 2 })
    expect([...cacheContents(projectId).values()]).toEqual(new Array(POSTS).fill(ROWS_PER_POST))
  })

  it('stops after the batch in flight when cancelled, keeping what it wrote', async () => {
    const { projectId } = await featureCorpus(store, POSTS)
    process.env.FAKE_ENCODER_DELAY_MS = '100'
    const { task, progress } = extract(projectId)
    const timer = setInterval(() => {
      if (progress.some((done) => done >= BATCH)) task.cancel()
    }, 10)
    const outcome = await task.outcome
    clearInterval(timer)
    expect(outcome.outcome).toBe('cancelled')
    const kept = cacheContents(projectId).size
    expect(kept).toBeGreaterThanOrEqual(BATCH)
    expect(kept).toBeLessThan(POSTS)
    if (outcome.outcome === 'cancelled') expect(outcome.result?.encoded).toBe(kept)
  })

  it('marks the task failed with the reason when the worker dies, and harms nothing else', async () => {
    const { projectId } = await featureCorpus(store, POSTS)
    const outcome = await extract(projectId, undefined, 'crash').task.outcome
    expect(outcome.outcome).toBe('failed')
    expect(outcome.outcome === 'failed' && outcome.error).toMatch(/stopped before it finished \(killed by SIGKILL/)
    expect(cacheContents(projectId).size).toBe(0)
    expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok')
    // The store is still usable by the next run.
    expect((await extract(projectId).task.outcome).outcome).toBe('done')
  })

  it("passes on the worker's own words when the pair cannot be loaded", async () => {
    const { projectId } = await featureCorpus(store, 2)
    expect(await extract(projectId, undefined, 'broken').task.outcome).toEqual({ outcome: 'failed', error: 'the fake pair "broken" cannot be loaded' })
  })

  it('lists a post whose image has gone as a problem, stores its text views, and retries its image next time', async () => {
    const { projectId, root } = await featureCorpus(store, 6)
    const { rmSync } = await import('node:fs')
    rmSync(path.join(root, 'p2.jpg'))
    const outcome = await extract(projectId).task.outcome
    expect(outcome).toMatchObject({ outcome: 'done', result: { failed: 1, problems: [{ externalId: 'p2', message: expect.stringMatching(/p2\.jpg is missing/) }] } })
    expect([...cacheContents(projectId).values()].sort()).toEqual([2, 5, 5, 5, 5, 5])
    const plan = planExtraction(new FeaturesRepo(store.db), projectId, { image: FAKE_IMAGE_ID, text: FAKE_TEXT_ID }, 1)
    expect(plan.items.map((i) => [i.post.externalId, i.image.length, i.text.length])).toEqual([['p2', 3, 0]])
  })

  it('names and skips a post whose text the encoder cannot take, and encodes the rest of its batch', async () => {
    const { projectId } = await featureCorpus(store, 6)
    store.db.prepare("UPDATE posts SET text = ? WHERE external_id = 'p3'").run(`${UNENCODABLE} ${UNENCODABLE} ${UNENCODABLE}`)
    const outcome = await extract(projectId).task.outcome
    expect(outcome).toMatchObject({ outcome: 'done', result: { problems: [{ externalId: 'p3', message: expect.stringMatching(/^text views clean, strong:0 cannot be encoded by fake-text@1: cannot encode/) }] } })
    const perPost = cacheContents(projectId)
    const p3 = store.db.prepare("SELECT id FROM posts WHERE external_id = 'p3'").pluck().get() as number
    expect([...perPost].filter(([id]) => id !== p3).map(([, rows]) => rows)).toEqual([5, 5, 5, 5, 5])
    // Its image views are stored; its text stays missing, so the next extraction tries it again.
    expect(perPost.get(p3)).toBe(3)
  })
})
