// What the copy from identical posts costs before an extraction plans (features/extraction/reuse.ts),
// on 100,000 posts with the default pair's widths (image 1,303, text 519 floats), K = 1: a first
// import (every image different: nothing to copy, only the look-ups), one image shared by every
// post (a placeholder: the look-ups are bounded), and the same data set imported a second time
// (every vector copied, 500,000 of them). `REUSE_POSTS=10000` for a smaller store.
import path from 'node:path'
import { openStore, type Store } from '#main/db/store'
import { FeaturesRepo, type FeatureRow } from '#main/db/features-repo'
import { copyFromIdenticalPosts } from '#main/features/extraction/reuse'
import { expectedRows } from '#main/features/extraction/plan'
import { storedViews, viewName } from '#main/features/views'
import { withScratch, type Bench, type Figure } from './harness'

const POSTS = Number(process.env.REUSE_POSTS ?? 100_000)
const ENCODERS = { image: 'bench-image@1', text: 'bench-text@1' }
const DIMS = { image: 1303, text: 519 }
const SCENARIOS = {
  'a first import (every image different)': { hash: (i: number) => `h${i}`, donor: false },
  'one image shared by every post': { hash: () => 'placeholder', donor: false },
  'the same data set imported again': { hash: (i: number) => `h${i}`, donor: true },
} as const

function fillPosts(store: Store, name: string, hash: (i: number) => string): number {
  const projectId = store.projects.create(name).id
  const sourceId = Number(store.db.prepare("INSERT INTO sources (project_id, root, format) VALUES (?, '/bench', 'folder')").run(projectId).lastInsertRowid)
  const insert = store.db.prepare(`INSERT INTO posts (project_id, source_id, external_id, text, image_path, image_hash, width, height, split)
    VALUES (?, ?, ?, ?, ?, ?, 64, 48, 'train')`)
  store.db.transaction(() => {
    for (let i = 0; i < POSTS; i++) insert.run(projectId, sourceId, `p${i}`, `post number ${i}, a good day #bench`, `${i}.jpg`, hash(i))
  })()
  return projectId
}

function cacheEverything(store: Store, projectId: number): void {
  const repo = new FeaturesRepo(store.db)
  const ids = store.db.prepare('SELECT id FROM posts WHERE project_id = ? ORDER BY id').pluck().all(projectId) as number[]
  for (let at = 0; at < ids.length; at += 1000) {
    const rows: FeatureRow[] = ids.slice(at, at + 1000).flatMap((postId) =>
      (['image', 'text'] as const).flatMap((m) => storedViews(m, 1).map((view) => ({ postId, encoder: ENCODERS[m], view: viewName(view), vector: new Float32Array(DIMS[m]).fill(postId) }))),
    )
    repo.write(rows)
  }
}

export const extractionReuse: Bench = {
  name: 'extraction-reuse',
  onlyWhenNamed: true,
  async run() {
    const figures: Figure[] = []
    for (const [scenario, { hash, donor }] of Object.entries(SCENARIOS)) {
      await withScratch(async (dir) => {
        const store = openStore(path.join(dir, 'reuse.db'))
        if (donor) cacheEverything(store, fillPosts(store, 'first import', hash))
        const projectId = fillPosts(store, 'this import', hash)
        const started = performance.now()
        const copied = await copyFromIdenticalPosts(new FeaturesRepo(store.db), projectId, expectedRows(ENCODERS, 1), () => false, () => undefined)
        const seconds = (performance.now() - started) / 1000
        store.close()
        figures.push({ bench: 'extraction-reuse', metric: `${POSTS} posts, ${scenario}: the copy step (${copied} vectors copied)`, value: seconds, unit: 's' })
      })
    }
    return figures
  },
}
