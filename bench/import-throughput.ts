import path from 'node:path'
import { openStore } from '#main/db/store'
import { runImport } from '#main/datasets/run-import'
import { MVSA_SINGLE as MVSA, mvsaMissing } from '../tests/unit/support/mvsa-dir'
import { withScratch, type Bench, type Figure } from './harness'
import { writeInPlace } from '#main/db/import-writer'
import { threadImportWriter } from '#main/app/import-write/thread-import-writer'
import { importPosts } from '../tests/unit/support/import-posts'
import { POSTS } from './fixture'
import { StallTrace } from './stall-trace'

/** Full MVSA-Single import: read, decode every image, thumbnails, one write. Target under 30 s. */
export const importThroughput: Bench = {
  name: 'import',
  async run() {
    if (mvsaMissing) {
      console.warn(`import: skipped, ${mvsaMissing}`)
      return []
    }
    return withScratch(async (dir) => {
      const store = openStore(path.join(dir, 'bench.db'))
      const project = store.projects.create('bench')
      const started = performance.now()
      const report = await runImport({ store, projectId: project.id, path: MVSA })
      const seconds = (performance.now() - started) / 1000
      store.close()
      return [
        { bench: 'import', metric: `MVSA-Single full import (${report.imported} posts)`, value: seconds, unit: 's', target: '< 30 s' },
        { bench: 'import', metric: 'import throughput', value: report.imported / seconds, unit: 'posts/s' },
      ]
    })
  },
}

/**
 * An import's last step at 100,000 posts: its one transaction on the shell's own connection (as it
 * ran before) and on a thread of its own (as the app runs it), each into a fresh store, with the
 * event loop's longest stall meanwhile (a 1 ms timer) and the write's wall time.
 */
export const importWrite: Bench = {
  name: 'import-write',
  async run() {
    const posts = importPosts(POSTS)
    const figures: Figure[] = []
    await withScratch(async (dir) => {
      for (const way of ['in place on the shell loop (before)', 'on its own thread'] as const) {
        const store = openStore(path.join(dir, `${way.length}.db`))
        const projectId = store.projects.create('bench').id
        const write = way === 'on its own thread' ? threadImportWriter({ dbPath: store.path }) : writeInPlace(store)
        const started = performance.now()
        const stall = await new StallTrace().watch(async () => {
          await write({ projectId, root: '/bench', format: 'folder', posts, report: {}, startedAt: Date.now() }, {})
        })
        const wall = performance.now() - started
        store.close()
        figures.push(
          { bench: 'import', metric: `write ${POSTS / 1000}k posts (${way}): wall`, value: wall, unit: 'ms' },
          { bench: 'import', metric: `write ${POSTS / 1000}k posts (${way}): longest event-loop stall`, value: stall.wall, unit: 'ms', target: '≤ 50 ms' },
        )
      }
    })
    return figures
  },
}
