// Feature extraction with the default encoders, through the whole path the app runs (worker
// process, decode + views, both encoders, batched writes), K = 1: `extraction` on 200 MVSA-Single
// posts, `extraction-all` on all 4,358 (issue 11: under 10 minutes with the default pair).
import os from 'node:os'
import path from 'node:path'
import { runImport } from '#main/datasets/run-import'
import { openStore } from '#main/db/store'
import { DEFAULT_ENCODER } from '#main/features/encoder-choices'
import { forkWorker } from '#main/features/extraction/worker-process'
import { FeatureTasks } from '#main/features/feature-tasks'
import { buildMvsaSubset } from '../tests/e2e/mvsa-subset'
import { MVSA_SINGLE, mvsaMissing } from '../tests/unit/support/mvsa-dir'
import { withScratch, type Bench, type Figure } from './harness'

/** Imports `folder` into a scratch store and extracts it with the default pair. */
async function extractFolder(folder: string, bench: string): Promise<Figure[]> {
  return withScratch(async (dir) => {
    const dbPath = path.join(dir, 'extraction.db')
    const store = openStore(dbPath)
    const projectId = store.projects.create('extraction').id
    await runImport({ store, projectId, path: folder })
    store.close()
    const tasks = new FeatureTasks({ dbPath, launch: () => forkWorker() })
    const load = os.loadavg()[0]!
    const started = performance.now()
    let last = 0
    const outcome = await tasks.extract(projectId, DEFAULT_ENCODER, 1, undefined, (p) => {
      if (p.phase === 'encoding' && p.done - last >= 500) console.log(`${bench}: ${(last = p.done)} of ${p.total} posts`)
    }).outcome
    const seconds = (performance.now() - started) / 1000
    if (outcome.outcome !== 'done') throw new Error(`extraction ${outcome.outcome}: ${outcome.outcome === 'failed' ? outcome.error : ''}`)
    const s = outcome.result
    const pair = `${s.pair.id}: ${s.pair.image.id} + ${s.pair.text.id}`
    return [
      { bench, metric: `${s.encoded} MVSA posts, K = 1 (${pair}): whole path`, value: s.postsPerSecond, unit: 'posts/s' },
      { bench, metric: 'the same, with worker start and model load', value: seconds / 60, unit: 'min', ...(bench === 'extract-all' ? { target: '< 10 min' } : {}) },
      { bench, metric: 'image encoder alone (clean + weak + strong)', value: s.imagePostsPerSecond ?? NaN, unit: 'posts/s' },
      { bench, metric: 'text encoder alone (clean + strong)', value: s.textPostsPerSecond ?? NaN, unit: 'posts/s' },
      { bench, metric: 'posts the encoders could not take (named in the summary)', value: s.failed, unit: 'posts' },
      { bench, metric: 'peak RSS of the extraction worker', value: s.peakRssMb, unit: 'MB' },
      { bench, metric: 'load average (1 min) at the start: the machine is shared', value: load, unit: '' },
    ]
  })
}

export const extraction: Bench = {
  name: 'extraction',
  async run() {
    if (mvsaMissing) {
      console.warn(`extraction: skipped, ${mvsaMissing}`)
      return []
    }
    const subset = await buildMvsaSubset()
    try {
      return await extractFolder(subset.dir, 'extract')
    } finally {
      await subset.remove()
    }
  },
}

export const extractionAll: Bench = {
  name: 'extraction-all',
  onlyWhenNamed: true,
  async run() {
    if (mvsaMissing) {
      console.warn(`extraction-all: skipped, ${mvsaMissing}`)
      return []
    }
    return extractFolder(MVSA_SINGLE, 'extract-all')
  },
}
