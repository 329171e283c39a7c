// Region extraction: every post of the project without a region row of the encoder gets one, from
// its clean image (decoded and cut as the image encoder's clean view), batch by batch, each batch in
// one transaction. Stopping between batches, or being killed, leaves only whole batches behind, and
// a re-run computes only what is missing. A post whose image another post in the store has a row
// for gets a copy of it first (extraction/reuse.ts).
import type { Database } from 'better-sqlite3'
import type { ExtractionProblem, RegionSummary } from '#shared/features'
import { EtaEstimator } from '#main/core/eta'
import { FeaturesRepo } from '#main/db/features-repo'
import type { WorkerProgress } from '../extraction-protocol'
import { chunk, DEFAULT_INPUT_SIZE, encodeOrSkip } from '../extraction/run-extraction'
import { externalIdsOf, forEachPreparedBatch } from '../extraction/batch-loop'
import type { PlanItem } from '../extraction/plan'
import { copyFromIdenticalPosts } from '../extraction/reuse'
import type { RegionEncoder } from './region-encoder'

export interface RegionRun {
  db: Database
  encoder: RegionEncoder
  projectId: number
  seed: number
  batchSize: number
  stopRequested(): boolean
  onProgress(progress: WorkerProgress): void
}

const PROBLEMS_LISTED = 100

export async function runRegionExtraction(run: RegionRun): Promise<{ stopped: boolean; summary: RegionSummary }> {
  const started = performance.now()
  const repo = new FeaturesRepo(run.db)
  const { info } = run.encoder
  const vectorsCopied = await copyFromIdenticalPosts(repo, run.projectId, [{ modality: 'image', encoder: info.id, view: 'clean' }], () => run.stopRequested(), (progress) => run.onProgress(progress))
  const missing = new Set(repo.missing(run.projectId, info.id, 'clean'))
  const posts = repo.posts(run.projectId)
  const items: PlanItem[] = posts.filter((p) => missing.has(p.id)).map((post) => ({ post, image: [{ kind: 'clean', index: 0 }], text: [] }))
  const batches = chunk(items, run.batchSize)
  const settings = { size: DEFAULT_INPUT_SIZE, seed: run.seed }
  const eta = new EtaEstimator()
  const problems: ExtractionProblem[] = []
  let done = 0
  let written = 0
  const report = (): void => {
    const seconds = (performance.now() - started) / 1000
    run.onProgress({ phase: 'regions', done, total: items.length, postsPerSecond: done > 0 ? done / seconds : null, etaMs: eta.update('regions', done, items.length) })
  }
  report()
  const stopped = await forEachPreparedBatch(batches, settings, () => run.stopRequested(), async (batch, batchItems) => {
    const rows = await encodeOrSkip(run.encoder, batch.images, externalIdsOf(batchItems), problems)
    written += repo.write(rows.map((row) => ({ ...row, precision: 'float16' as const })))
    problems.push(...batch.problems)
    done += batch.posts
    report()
  })
  const durationMs = performance.now() - started
  return {
    stopped,
    summary: {
      id: info.id,
      grid: info.grid,
      dim: info.dim,
      posts: posts.length,
      alreadyDone: posts.length - items.length,
      encoded: done,
      vectorsWritten: written,
      vectorsCopied,
      failed: problems.length,
      problems: problems.slice(0, PROBLEMS_LISTED),
      durationMs: Math.round(durationMs),
      postsPerSecond: done > 0 ? done / (durationMs / 1000) : 0,
      // float16 values; SQLite adds a few bytes of row overhead.
      bytesPerPost: info.dim * 2,
    },
  }
}
