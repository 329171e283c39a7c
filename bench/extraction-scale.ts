// Extraction's rate per post against the size of the project (issue 15): in pools of 1,000, 10,000
// and 100,000 synthetic posts whose features are cached already but for a window of 1,000, the
// real extraction run (plan, decode + views, both encoders, batched writes) on that window. The
// encoders are the tests' fake pair (tiny vectors, no model), so what is timed is the part of the
// path that could grow with the project: the plan's queries, the image views and the writes into a
// features table that holds the rest of the pool; the planning and the copy from identical posts
// (once per run) are timed apart. `EXTRACT_POOLS=1000,10000` to run fewer.
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import sharp from 'sharp'
import { openStore } from '#main/db/store'
import { FeaturesRepo, type FeatureRow } from '#main/db/features-repo'
import { expectedRows, planExtraction } from '#main/features/extraction/plan'
import { runExtraction } from '#main/features/extraction/run-extraction'
import { copyFromIdenticalPosts } from '#main/features/extraction/reuse'
import { storedViews, viewName } from '#main/features/views'
import { loadEncoderPair } from '../tests/unit/support/fake-encoders'
import { withScratch, type Bench, type Figure } from './harness'

const POOLS = (process.env.EXTRACT_POOLS ?? '1000,10000,100000').split(',').map(Number)
const WINDOW = 1_000
const K = 1

/** `posts` posts in the project, all sharing one small image in `dir`. */
function fillPosts(db: ReturnType<typeof openStore>['db'], projectId: number, dir: string, posts: number): void {
  const sourceId = Number(db.prepare("INSERT INTO sources (project_id, root, format) VALUES (?, ?, 'folder')").run(projectId, dir).lastInsertRowid)
  const insert = db.prepare(`INSERT INTO posts (project_id, source_id, external_id, text, image_path, image_hash, width, height, split)
    VALUES (?, ?, ?, ?, 'post.jpg', ?, 64, 48, 'train')`)
  db.transaction(() => {
    for (let i = 0; i < posts; i++) insert.run(projectId, sourceId, `p${i}`, `post number ${i}, a good day #bench`, String(i))
  })()
}

export const extractionScale: Bench = {
  name: 'extraction-scale',
  onlyWhenNamed: true,
  async run() {
    const pair = await loadEncoderPair('default')
    const figures: Figure[] = []
    for (const pool of POOLS) {
      await withScratch(async (dir) => {
        writeFileSync(path.join(dir, 'post.jpg'), await sharp({ create: { width: 64, height: 48, channels: 3, background: '#3a7' } }).jpeg().toBuffer())
        const store = openStore(path.join(dir, 'scale.db'))
        const projectId = store.projects.create('scale').id
        fillPosts(store.db, projectId, dir, pool)
        // Every post but the last WINDOW already has its vectors, as after an earlier run.
        const repo = new FeaturesRepo(store.db)
        const cached = planExtraction(repo, projectId, { image: pair.image.info.id, text: pair.text.info.id }, K).items.slice(0, pool - WINDOW)
        const vector = { image: new Float32Array(pair.image.info.dim), text: new Float32Array(pair.text.info.dim) }
        for (let at = 0; at < cached.length; at += 1000) {
          const rows: FeatureRow[] = cached.slice(at, at + 1000).flatMap(({ post }) =>
            (['image', 'text'] as const).flatMap((m) => storedViews(m, K).map((view) => ({ postId: post.id, encoder: pair[m].info.id, view: viewName(view), vector: vector[m] }))),
          )
          repo.write(rows)
        }
        const encoders = { image: pair.image.info.id, text: pair.text.info.id }
        let t = performance.now()
        const plan = planExtraction(repo, projectId, encoders, K)
        const planMs = performance.now() - t
        // The copy from identical posts the run does first (every image differs here: nothing to copy).
        t = performance.now()
        await copyFromIdenticalPosts(repo, projectId, expectedRows(encoders, K), () => false, () => undefined)
        const copyMs = performance.now() - t
        const { summary } = await runExtraction({ db: store.db, pair, projectId, views: K, seed: 1, batchSize: 32, stopRequested: () => false, onProgress: () => undefined })
        store.close()
        if (plan.items.length !== WINDOW || summary.encoded !== WINDOW) throw new Error(`expected ${WINDOW} posts to extract, planned ${plan.items.length}, encoded ${summary.encoded}`)
        figures.push({ bench: 'extract', metric: `pool of ${pool} posts: the last ${WINDOW} extracted (fake encoders), whole run`, value: summary.postsPerSecond, unit: 'posts/s' })
        figures.push({ bench: 'extract', metric: `pool of ${pool} posts: the same less the planning and the copy step (once per run)`, value: WINDOW / ((summary.durationMs - planMs - copyMs) / 1000), unit: 'posts/s' })
        figures.push({ bench: 'extract', metric: `pool of ${pool} posts: planning (which views are missing)`, value: planMs, unit: 'ms' })
        figures.push({ bench: 'extract', metric: `pool of ${pool} posts: the copy from identical posts (nothing to copy)`, value: copyMs, unit: 'ms' })
      })
    }
    return figures
  },
}
