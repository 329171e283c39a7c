// Text-guided fusion reads each post's image region rows (features/regions) beside its pooled image
// vector: they are appended to every image matrix as one block of columns, so views, batches,
// standardisation and evaluation carry them without knowing they are there. Regions are cached for
// the clean image only: an augmented view pairs its own pooled vector with the clean regions (strong
// views' feature dropout covers the regions too).
import type { Database } from 'better-sqlite3'
import { FeaturesRepo } from '#main/db/features-repo'
import { extractAdvice } from '#main/features/extract-advice'
import { noRegionsReason, regionInfo, type RegionInfo } from '#main/features/regions/region-grid'
import type { EncoderPairInfo } from '#shared/features'
import type { Matrix, ModalityViews, RegionLayout } from './data'

/** `m` with each row's region values appended (zeros, and the post counted in `missing`, where there are none). */
function widen(m: Matrix, ids: readonly number[], regions: Map<number, Float32Array>, dim: number, missing: Set<number>): Matrix {
  const width = m.dim + dim
  const data = new Float32Array(m.rows * width)
  for (let r = 0; r < m.rows; r++) {
    data.set(m.data.subarray(r * m.dim, (r + 1) * m.dim), r * width)
    const row = regions.get(ids[r]!)
    if (row) data.set(row, r * width + m.dim)
    else missing.add(ids[r]!)
  }
  return { rows: m.rows, dim: width, data }
}

export interface ImageSplits {
  views: ModalityViews<Matrix>
  val: Matrix
  test: Matrix
}

/** The image matrices of every view and split with the regions appended, and where they sit. */
export function withRegions(
  db: Database,
  projectId: number,
  info: RegionInfo,
  img: ImageSplits,
  ids: { pool: number[]; val: number[]; test: number[] },
  missing: Set<number>,
): { img: ImageSplits; layout: RegionLayout } {
  const rows = new FeaturesRepo(db).readAll(projectId, info.id, 'clean', info.dim)
  const pool = (m: Matrix): Matrix => widen(m, ids.pool, rows, info.dim, missing)
  const views: ModalityViews<Matrix> = { clean: pool(img.views.clean), weak: img.views.weak.map(pool), strong: img.views.strong.map(pool) }
  return {
    img: { views, val: widen(img.val, ids.val, rows, info.dim, missing), test: widen(img.test, ids.test, rows, info.dim, missing) },
    layout: { pooled: img.views.clean.dim, cells: info.cells, channels: info.channels },
  }
}

/** The region rows a run with grid `grid` reads, or why it cannot. */
export function regionsOf(pair: EncoderPairInfo, grid: number): { info: RegionInfo } | { problem: string } {
  const info = regionInfo(pair, grid)
  return info ? { info } : { problem: `regions: text-guided fusion needs image region features, but ${noRegionsReason(pair)}` }
}

/** Whether a project's posts all have region rows of the pair on grid `grid`, and what to do if not (the launch dialog's text-guided choice). */
export function regionAvailability(db: Database, projectId: number, pair: EncoderPairInfo, grid: number): { grid: number; missing: number; reason: string | null } {
  const regions = regionsOf(pair, grid)
  if ('problem' in regions) return { grid, missing: 0, reason: noRegionsReason(pair) }
  const missing = new FeaturesRepo(db).missing(projectId, regions.info.id, 'clean').length
  return { grid, missing, reason: missing > 0 ? `extract region features first: ${missing} posts have no ${grid}×${grid} image regions` : null }
}

/** Posts among `needed` without a region row, and the problem that says how to extract them. */
export function missingRegionsProblem(db: Database, projectId: number, info: RegionInfo, pair: string, needed: Set<number>): string | null {
  const absent = new FeaturesRepo(db).missing(projectId, info.id, 'clean').filter((id) => needed.has(id)).length
  if (absent === 0) return null
  return `regions: extract region features first: ${absent} of the ${needed.size} posts a run reads have no ${info.grid}×${info.grid} region features (${extractAdvice(db, projectId, pair, info.grid)})`
}
