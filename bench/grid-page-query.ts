import path from 'node:path'
import { openStore, type Store } from '#main/db/store'
import { fillProject, POSTS } from './fixture'
import { quantile, timeMany, withScratch, type Bench, type Figure } from './harness'

const PAGE = 100

/** A prediction set over every post of the project, post i leaning to class i mod 3 (the grid's prediction filter reads it). */
async function predictEvery(store: Store, projectId: number): Promise<void> {
  const postIds = (store.db.prepare('SELECT id FROM posts WHERE project_id = ? ORDER BY id').all(projectId) as { id: number }[]).map((r) => r.id)
  const probabilities = Float32Array.from({ length: postIds.length * 3 }, (_, k) => (k % 3 === Math.floor(k / 3) % 3 ? 0.8 : 0.1))
  await store.predictions.save({ projectId, runId: null, modelPath: 'bench', method: 'fusion', encoder: 'bench', metadata: {}, missing: 0, elapsedMs: 0, postIds, probabilities })
}

/** The grid's page query at 100,000 posts, at the start, middle and end, with and without filters. */
export const gridPageQuery: Bench = {
  name: 'grid',
  async run() {
    return withScratch(async (dir) => {
      const store = openStore(path.join(dir, 'grid.db'))
      const project = store.projects.create('grid')
      fillProject(store.db, project.id)
      await predictEvery(store, project.id)
      const figures: Figure[] = []
      const cases = [
        { label: 'no filter', query: {} },
        { label: 'split = train', query: { split: 'train' as const } },
        { label: 'overall = negative', query: { overall: 'negative' as const } },
        { label: 'predicted = negative', query: { predicted: 'negative' as const } },
        { label: 'predicted disagrees with the label', query: { predicted: 'disagrees' as const } },
        // Text searched: a word in every post, one in a single post (the scan reads every text to count).
        { label: 'search "#bench" (every post)', query: { search: '#bench' } },
        { label: 'search "number 54321" (one post)', query: { search: 'number 54321' } },
        { label: 'search "#bench", split = train', query: { search: '#bench', split: 'train' as const } },
      ]
      for (const { label, query } of cases) {
        const total = store.posts.page({ projectId: project.id, offset: 0, limit: 1, ...query }).total
        const pages = Math.max(1, Math.floor(total / PAGE))
        // Random pages across the whole range, as a scrolling user produces them.
        const offsets = Array.from({ length: 200 }, (_, i) => ((i * 7919) % pages) * PAGE)
        const times = timeMany(offsets.length, (i) => store.posts.page({ projectId: project.id, offset: offsets[i]!, limit: PAGE, ...query }))
        const last = timeMany(20, () => store.posts.page({ projectId: project.id, offset: (pages - 1) * PAGE, limit: PAGE, ...query }))
        figures.push(
          { bench: 'grid', metric: `page of ${PAGE} at ${POSTS} posts, ${label}: median`, value: quantile(times, 0.5), unit: 'ms', target: '< 20 ms' },
          { bench: 'grid', metric: `page of ${PAGE} at ${POSTS} posts, ${label}: p95`, value: quantile(times, 0.95), unit: 'ms' },
          { bench: 'grid', metric: `last page, ${label}: median`, value: quantile(last, 0.5), unit: 'ms' },
        )
      }
      const stats = timeMany(10, () => store.stats.forProject(project.id), 1)
      figures.push({ bench: 'grid', metric: `project stats at ${POSTS} posts: median`, value: quantile(stats, 0.5), unit: 'ms' })
      store.close()
      return figures
    })
  },
}
