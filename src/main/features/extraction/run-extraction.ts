// One extraction run: copy what identical posts already hold (reuse.ts), plan what is still missing, then batch by batch (`forEachPreparedBatch`) encode both
// modalities and write the batch in one transaction.
// Stopping between batches, or being killed at any moment, leaves only whole batches behind.
import type { Database } from 'better-sqlite3'
import type { ExtractionProblem, ExtractionSummary } from '#shared/features'
import { EtaEstimator } from '#main/core/eta'
import { FeaturesRepo, type FeatureRow } from '#main/db/features-repo'
import { describePair } from '../describe-pair'
import type { EncoderInfo, EncoderPair } from '../encoder'
import type { WorkerProgress } from '../extraction-protocol'
import { expectedRows, planExtraction, type PlanItem } from './plan'
import { copyFromIdenticalPosts } from './reuse'
import type { Input } from './prepare'
import { externalIdsOf, forEachPreparedBatch } from './batch-loop'

/** The input side assumed for an image encoder that does not state its own. */
export const DEFAULT_INPUT_SIZE = 224
/** Problems listed in the summary; the count covers them all. */
const PROBLEMS_LISTED = 100

export interface ExtractionRun {
  db: Database
  pair: EncoderPair
  projectId: number
  views: number
  seed: number
  batchSize: number
  stopRequested(): boolean
  onProgress(progress: WorkerProgress): void
}

export interface Encodes<T> {
  readonly info: EncoderInfo
  encode(inputs: readonly T[]): Promise<Float32Array[]>
}

/** Encodes the inputs in one call and checks what comes back before it can reach the cache. */
async function encodeInputs<T>(encoder: Encodes<T>, inputs: readonly Input<T>[]): Promise<FeatureRow[]> {
  if (inputs.length === 0) return []
  const { id, dim } = encoder.info
  const vectors = await encoder.encode(inputs.map((i) => i.input))
  if (vectors.length !== inputs.length) throw new Error(`encoder ${id} returned ${vectors.length} vectors for ${inputs.length} inputs`)
  return inputs.map((input, j) => {
    const vector = vectors[j]!
    if (vector.length !== dim) throw new Error(`encoder ${id} returned ${vector.length} values, its dimension is ${dim}`)
    if (!vector.every(Number.isFinite)) throw new Error(`encoder ${id} returned a non-finite value for post ${input.postId} (${input.view})`)
    return { postId: input.postId, encoder: id, view: input.view, vector }
  })
}

/**
 * The batch in one call; when the encoder fails on it, each input alone, so a post the encoder
 * cannot take is named in `problems` and skipped (its vectors stay missing), not the project. When
 * every input fails alone too, the encoder itself is broken: the batch's error stops the run.
 */
export async function encodeOrSkip<T>(encoder: Encodes<T>, inputs: readonly Input<T>[], externalIds: ReadonlyMap<number, string>, problems: ExtractionProblem[]): Promise<FeatureRow[]> {
  try {
    return await encodeInputs(encoder, inputs)
  } catch (batchError) {
    if (inputs.length < 2) throw batchError
    const rows: FeatureRow[] = []
    const failed = new Map<number, { views: string[]; error: string }>()
    for (const input of inputs) {
      try {
        rows.push(...(await encodeInputs(encoder, [input])))
      } catch (err) {
        const post = failed.get(input.postId) ?? { views: [], error: err instanceof Error ? err.message : String(err) }
        failed.set(input.postId, { ...post, views: [...post.views, input.view] })
      }
    }
    if (rows.length === 0) throw batchError
    for (const [postId, { views, error }] of failed) {
      const what = `${encoder.info.modality} view${views.length > 1 ? 's' : ''} ${views.join(', ')}`
      problems.push({ postId, externalId: externalIds.get(postId) ?? String(postId), message: `${what} cannot be encoded by ${encoder.info.id}: ${error}` })
    }
    return rows
  }
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}

/** Milliseconds `fn` took, added to `timer[key]`. */
async function timed<T, K extends string>(timer: Record<K, number>, key: K, fn: () => Promise<T>): Promise<T> {
  const started = performance.now()
  try {
    return await fn()
  } finally {
    timer[key] += performance.now() - started
  }
}

export async function runExtraction(run: ExtractionRun): Promise<{ stopped: boolean; summary: ExtractionSummary }> {
  const started = performance.now()
  const { pair } = run
  const repo = new FeaturesRepo(run.db)
  const encoders = { image: pair.image.info.id, text: pair.text.info.id }
  const vectorsCopied = await copyFromIdenticalPosts(repo, run.projectId, expectedRows(encoders, run.views), () => run.stopRequested(), (progress) => run.onProgress(progress))
  run.onProgress({ phase: 'planning', done: 0, total: 0, postsPerSecond: null, etaMs: null })
  const plan = planExtraction(repo, run.projectId, encoders, run.views)
  const batches: PlanItem[][] = chunk(plan.items, run.batchSize)
  const settings = { size: pair.image.info.inputSize ?? DEFAULT_INPUT_SIZE, seed: run.seed }
  const total = plan.items.length
  const eta = new EtaEstimator()
  const spent = { image: 0, text: 0 }
  const problems: ExtractionProblem[] = []
  let done = 0
  let imagePosts = 0
  let textPosts = 0
  let vectorsWritten = 0
  const encodingStarted = performance.now()
  const report = (): void => {
    const seconds = (performance.now() - encodingStarted) / 1000
    run.onProgress({ phase: 'encoding', done, total, postsPerSecond: done > 0 ? done / seconds : null, etaMs: eta.update('encoding', done, total) })
  }
  report()

  const stopped = await forEachPreparedBatch(batches, settings, () => run.stopRequested(), async (batch, items) => {
    const externalIds = externalIdsOf(items)
    const rows = [
      ...(await timed(spent, 'image', () => encodeOrSkip(pair.image, batch.images, externalIds, problems))),
      ...(await timed(spent, 'text', () => encodeOrSkip(pair.text, batch.texts, externalIds, problems))),
    ]
    vectorsWritten += repo.write(rows)
    problems.push(...batch.problems)
    imagePosts += batch.imagePosts
    textPosts += batch.textPosts
    done += batch.posts
    report()
  })

  const durationMs = performance.now() - started
  const rate = (posts: number, ms: number): number | null => (posts > 0 && ms > 0 ? posts / (ms / 1000) : null)
  return {
    stopped,
    summary: {
      pair: describePair(pair),
      views: run.views,
      posts: plan.posts,
      alreadyDone: plan.posts - total,
      encoded: done,
      vectorsWritten,
      vectorsCopied,
      failed: problems.length,
      problems: problems.slice(0, PROBLEMS_LISTED),
      durationMs: Math.round(durationMs),
      postsPerSecond: rate(done, durationMs) ?? 0,
      imagePostsPerSecond: rate(imagePosts, spent.image),
      textPostsPerSecond: rate(textPosts, spent.text),
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    },
  }
}
