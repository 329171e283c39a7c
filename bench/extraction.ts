// Feature extraction with the default encoders, through the whole path the app runs (worker
// process, decode + views, both encoders, batched writes), on 200 MVSA-Single posts with K = 1.
import path from 'node:path'
import { runImport } from '#main/datasets/run-import'
import { openStore } from '#main/db/store'
import { forkWorker } from '#main/features/extraction/worker-process'
import { FeatureTasks } from '#main/features/feature-tasks'
import { buildMvsaSubset } from '../tests/e2e/mvsa-subset'
import { mvsaMissing } from '../tests/unit/support/mvsa-dir'
import { withScratch, type Bench } from './harness'

export const extraction: Bench = {
  name: 'extraction',
  async run() {
    if (mvsaMissing) {
      console.warn(`extraction: skipped, ${mvsaMissing}`)
      return []
    }
    const subset = await buildMvsaSubset()
    try {
      return await withScratch(async (dir) => {
        const dbPath = path.join(dir, 'extraction.db')
        const store = openStore(dbPath)
        const projectId = store.projects.create('extraction').id
        await runImport({ store, projectId, path: subset.dir })
        store.close()
        const tasks = new FeatureTasks({ dbPath, launch: () => forkWorker() })
        const started = performance.now()
        const outcome = await tasks.extract(projectId, 'default', 1, () => undefined).outcome
        const seconds = (performance.now() - started) / 1000
        if (outcome.outcome !== 'done') throw new Error(`extraction ${outcome.outcome}: ${outcome.outcome === 'failed' ? outcome.error : ''}`)
        const s = outcome.result
        const pair = `${s.pair.image.id} + ${s.pair.text.id}`
        return [
          { bench: 'extract', metric: `${s.encoded} MVSA posts, K = 1 (${pair}): whole path`, value: s.postsPerSecond, unit: 'posts/s' },
          { bench: 'extract', metric: 'the same, with worker start and model load', value: s.encoded / seconds, unit: 'posts/s' },
          { bench: 'extract', metric: 'image encoder alone (clean + weak + strong)', value: s.imagePostsPerSecond ?? NaN, unit: 'posts/s' },
          { bench: 'extract', metric: 'text encoder alone (clean + strong)', value: s.textPostsPerSecond ?? NaN, unit: 'posts/s' },
          { bench: 'extract', metric: 'peak RSS of the extraction worker', value: s.peakRssMb, unit: 'MB' },
        ]
      })
    } finally {
      await subset.remove()
    }
  },
}
