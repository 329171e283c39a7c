import path from 'node:path'
import { openStore } from '#main/db/store'
import { runImport } from '#main/datasets/run-import'
import { MVSA_SINGLE as MVSA, mvsaMissing } from '../tests/unit/support/mvsa-dir'
import { withScratch, type Bench } from './harness'

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
