// The worker's region step of an extraction: the pair's image encoder must be one whose feature
// map the app can read (region-grid.ts); its map network is loaded for this step alone.
import type { Database } from 'better-sqlite3'
import type { EncoderPairInfo, RegionSummary } from '#shared/features'
import type { ExtractionConfig, WorkerProgress } from '../extraction-protocol'
import { noRegionsReason, regionInfo } from './region-grid'
import { createRegionEncoder } from './region-encoder'
import { runRegionExtraction } from './run-regions'

export interface RegionStepContext {
  stopRequested(): boolean
  progress(progress: WorkerProgress): void
}

export async function extractRegions(db: Database, pair: EncoderPairInfo, config: ExtractionConfig & { regions: number }, ctx: RegionStepContext): Promise<{ stopped: boolean; summary: RegionSummary }> {
  const info = regionInfo(pair, config.regions)
  if (!info) throw new Error(`regions: ${noRegionsReason(pair)}, or grid ${config.regions} is not 2 or 3`)
  ctx.progress({ phase: 'loading', done: 0, total: 0, postsPerSecond: null, etaMs: null })
  const { mobileNetMap } = await import('./mobilenet-map')
  const encoder = createRegionEncoder(await mobileNetMap(), info)
  try {
    return await runRegionExtraction({ db, encoder, projectId: config.projectId, seed: config.seed, batchSize: config.batchSize, stopRequested: ctx.stopRequested, onProgress: ctx.progress })
  } finally {
    await encoder.dispose()
  }
}
