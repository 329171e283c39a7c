// A large train pool left in the feature cache: each view of each modality is rows read by post id
// through the cache's unique index (one prepared statement), standardised as they are read, so the
// trainer holds a batch's rows and never the pool. The scaler is fitted on the pool's clean rows
// streamed in pool order, which gives the very scaler the in-memory path fits on the whole matrix;
// the evaluation splits are read whole (they are graded every evaluation).
import { FeaturesRepo } from '#main/db/features-repo'
import { applyScaler, fitScaler, fitScalerOver, type Scaler } from '#main/features/probe/standardize'
import type { Matrix, ModalityViews } from './data'
import { viewChunks, wholeView, type StoredRows, type ViewRows } from './view-rows'

/** Rows per read while fitting the scaler: a few MB at the default encoders' sizes. */
const FIT_CHUNK = 1024

/** A pool's views above this many bytes (float32, every view of both modalities) stay in the cache. */
export const POOL_MEMORY_BYTES = 512 * 2 ** 20

/**
 * Of a pool left in the cache, the clean views stay in memory up to this many times the bound
 * (1 GB by default: 100,000 posts of the default pair are 0.73 GB). Every whole-pool pass reads
 * them — the scaler's fit, each self-training round, the end-of-run pseudo-labels — where a batch
 * reads a few rows of the augmented views, which are several times larger and stay in the cache.
 */
export const CLEAN_VIEWS_FACTOR = 2

/** The variable that moves that bound (and the clean views' with it), in MB (0: every pool stays in the cache; for small machines and the bench). */
export const POOL_MEMORY_ENV = 'COMMON_GROUND_POOL_MEMORY_MB'

/** The bound the trainer process uses: POOL_MEMORY_BYTES, or the environment's. */
export function poolMemoryBytes(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[POOL_MEMORY_ENV]
  if (raw === undefined || raw === '') return POOL_MEMORY_BYTES
  const mb = Number(raw)
  if (!Number.isFinite(mb) || mb < 0) throw new Error(`${POOL_MEMORY_ENV} must be a number of MB, 0 or more; got "${raw}"`)
  return mb * 2 ** 20
}

export interface CachedModality {
  /** The clean view is a matrix when it was read into memory, else rows in the cache like the augmented ones. */
  views: ModalityViews<ViewRows>
  val: Matrix
  test: Matrix
  scaler: Scaler | null
}

interface ViewKey {
  encoder: string
  view: string
}

/**
 * Rows of (encoder, view) for the posts `ids`, by row index, with `scaler` applied. A row the cache
 * lacks reads as zeros (the rows asked are read by one statement) and is added to `missing` when `missing` is given (while loading, so the
 * problem names the extraction to run); during a run it is an error that says what vanished.
 */
export function cachedRows(repo: FeaturesRepo, key: ViewKey, ids: readonly number[], dim: number, scaler: Scaler | null, missing?: Set<number>): StoredRows {
  return {
    rows: ids.length,
    dim,
    read(rows, out) {
      const wanted = Array.from(rows, (r) => ids[r]!)
      for (const i of repo.readMany(wanted, key.encoder, key.view, dim, out)) {
        if (!missing) throw new Error(`post ${wanted[i]} has no ${key.encoder} ${key.view} vector any more: the feature cache changed during the run; run extract and start again`)
        missing.add(wanted[i]!)
        out.fill(0, i * dim, (i + 1) * dim)
      }
      if (scaler) applyScaler(scaler, out, rows.length, dim)
    },
  }
}

/** Ids of `ids` the cache has no (encoder, view) vector for. */
function missingOf(repo: FeaturesRepo, projectId: number, key: ViewKey, ids: ReadonlySet<number>): number[] {
  return repo.missing(projectId, key.encoder, key.view).filter((id) => ids.has(id))
}

/**
 * One modality of the pool (views `augmented`, e.g. ['weak:0', 'strong:0']) in the cache, and the
 * evaluation splits in memory; posts without a vector are added to `missing`, as the in-memory path
 * does. With `cleanInMemory`, the pool's clean view is read whole into memory once (the scaler fitted
 * on it, as the in-memory path fits it) and only the augmented views stay in the cache.
 */
export function cachedModality(
  repo: FeaturesRepo,
  projectId: number,
  encoder: string,
  dim: number,
  augmented: { weak: string[]; strong: string[] },
  ids: { pool: number[]; val: number[]; test: number[] },
  missing: Set<number>,
  standardize: boolean,
  cleanInMemory = false,
): CachedModality {
  const pool = new Set(ids.pool)
  const all = new Set([...ids.pool, ...ids.val, ...ids.test])
  for (const id of missingOf(repo, projectId, { encoder, view: 'clean' }, all)) missing.add(id)
  for (const view of [...augmented.weak, ...augmented.strong]) for (const id of missingOf(repo, projectId, { encoder, view }, pool)) missing.add(id)
  // Missing rows are zeros in the fit, as in the in-memory path (such a run is refused anyway).
  const raw = cachedRows(repo, { encoder, view: 'clean' }, ids.pool, dim, null, new Set())
  let clean: Matrix | null = null
  let scaler: Scaler | null = null
  if (cleanInMemory) {
    clean = wholeView(raw)
    if (standardize) {
      scaler = fitScaler(clean.data, clean.rows, dim)
      applyScaler(scaler, clean.data, clean.rows, dim)
    }
  } else if (standardize) {
    scaler = fitScalerOver(() => (function* () {
      for (const chunk of viewChunks(raw, FIT_CHUNK)) yield chunk.data
    })(), ids.pool.length, dim)
  }
  const rows = (view: string, list: readonly number[]): StoredRows => cachedRows(repo, { encoder, view }, list, dim, scaler)
  const evaluation = (list: number[]): Matrix => {
    const read = cachedRows(repo, { encoder, view: 'clean' }, list, dim, scaler, new Set())
    const data = new Float32Array(list.length * dim)
    read.read(Int32Array.from(list.keys()), data)
    return { rows: list.length, dim, data }
  }
  return {
    views: { clean: clean ?? rows('clean', ids.pool), weak: augmented.weak.map((v) => rows(v, ids.pool)), strong: augmented.strong.map((v) => rows(v, ids.pool)) },
    val: evaluation(ids.val),
    test: evaluation(ids.test),
    scaler,
  }
}
