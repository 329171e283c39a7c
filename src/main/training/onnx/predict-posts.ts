// `predict`: a finished run, or a model folder written by the export, applied to every post of a
// project that has the model's encoder pair's clean features, through the ONNX head session (the
// same path as the end-of-run pseudo-labels). The set's rows are written a chunk per transaction
// and the set shows only once whole. Between two chunks of each phase it reports its progress and
// stops if asked to (nothing of the set is kept).
import path from 'node:path'
import type { Database } from 'better-sqlite3'
import type { PredictionSetSummary, PredictPhase } from '#shared/predictions'
import type { PredictionsRepo } from '#main/db/predictions-repo'
import { nextTurn } from '#main/core/loop-turns'
import { unmap } from '#main/db/store'
import { FeaturesRepo } from '#main/db/features-repo'
import { extractAdvice } from '#main/features/extract-advice'
import type { Matrix } from '../data'
import { buildHeadGraph, HEAD_IO, NO_CALIBRATION, type Calibration } from './head-graph'
import { HeadSession } from './head-session'
import { modelMetadata, ONNX_FILE, readModelMetadata, type ModelMetadata } from './model-metadata'
import { headModelOf, readRunModel } from './run-model'

/** A model ready to run: the graph (bytes, or a file) and what it reads. */
export interface PredictModel {
  graph: Uint8Array | string
  metadata: ModelMetadata
}

/** A run's model folder as a graph with its standardisation and the run's calibration. */
export function modelOfRun(folder: string, run: NonNullable<ModelMetadata['run']>, appVersion: string, calibration: Calibration = NO_CALIBRATION): PredictModel {
  const parts = readRunModel(folder)
  const model = headModelOf(parts, calibration, folder)
  const io = HEAD_IO
  const ulgm = model.weights.has('ut.w1') ? [io.textLogits, io.imageLogits] : []
  const outputs = [io.logits, io.probabilities, ...(model.method === 'scdr' ? [io.textLogits, io.imageLogits, io.selected, io.textOnCommon, io.imageOnCommon] : ulgm)]
  return { graph: buildHeadGraph(model), metadata: modelMetadata({ run, model, preprocessing: parts.preprocessing, appVersion, outputs }) }
}

/** A folder written by the model export (model.onnx + common-ground.json). */
export function modelOfFolder(folder: string): PredictModel {
  const metadata = readModelMetadata(folder)
  return { graph: path.join(folder, metadata.onnx.file || ONNX_FILE), metadata }
}

/** Posts a statement reads (the ids through `json_each`, FeaturesRepo.readMany). */
const READ_CHUNK = 4096

/** Where a predict is: `done` of `total` counts each post once per phase (read, predicted, stored). */
export interface PredictWork {
  phase: PredictPhase
  done: number
  total: number
}

export interface PredictControl {
  /** Checked between chunks; once aborted the predict throws and stores nothing. */
  signal?: AbortSignal
  progress?: (work: PredictWork) => void
}

/** The three passes over the project's posts, in order: each post counts once in each. */
const PASSES = ['reading', 'predicting', 'saving'] as const
type Pass = (typeof PASSES)[number]

/** A predict's progress over the project's posts: `done` posts of `pass`, after the passes before it. */
class PredictSteps {
  constructor(
    private readonly posts: number,
    private readonly control: PredictControl,
  ) {}

  report(pass: Pass, done: number): void {
    this.control.progress?.({ phase: pass, done: PASSES.indexOf(pass) * this.posts + done, total: PASSES.length * this.posts })
  }

  /** Reports, lets the process's messages through (a cancel), and stops if asked to. */
  async step(pass: Pass, done: number): Promise<void> {
    this.report(pass, done)
    await nextTurn()
    this.control.signal?.throwIfAborted()
  }
}

/**
 * Clean features of the pair's two encoders (and the image regions a text-guided model reads after
 * the image vector), for the posts that have all: read a chunk of posts per statement straight into
 * one buffer per encoder (an array per post, `readAll`, made 100,000 posts' read ~10 s of
 * allocation and collection), then the rows of posts with a part missing squeezed out in place.
 */
async function readFeatures(repo: FeaturesRepo, posts: readonly number[], metadata: ModelMetadata, steps: PredictSteps): Promise<{ ids: number[]; text: Matrix; image: Matrix; missing: number }> {
  const { text, image, regions } = metadata.encoders
  await steps.step('reading', 0)
  const parts = [text, image, ...(regions ? [regions] : [])]
  const buffers = parts.map((part) => new Float32Array(posts.length * part.dim))
  const complete = new Uint8Array(posts.length).fill(1)
  for (let start = 0; start < posts.length; start += READ_CHUNK) {
    const chunk = posts.slice(start, start + READ_CHUNK)
    parts.forEach((part, k) => {
      const into = buffers[k]!.subarray(start * part.dim, (start + chunk.length) * part.dim)
      for (const at of repo.readMany(chunk, part.id, 'clean', part.dim, into)) complete[start + at] = 0
    })
    await steps.step('reading', start + chunk.length)
  }
  const kept = posts.flatMap((_, i) => (complete[i] ? [i] : []))
  /** Part k's kept rows, moved up in place (a row only ever moves to a lower index). */
  const squeeze = (k: number): Matrix => {
    const { dim } = parts[k]!
    const data = buffers[k]!
    kept.forEach((row, r) => row !== r && data.copyWithin(r * dim, row * dim, (row + 1) * dim))
    return { rows: kept.length, dim, data: data.subarray(0, kept.length * dim) }
  }
  /** The image and its regions side by side, as a text-guided model reads them: [image | regions] a row. */
  const withRegions = (): Matrix => {
    const [img, reg] = [squeeze(1), squeeze(2)]
    const dim = img.dim + reg.dim
    const data = new Float32Array(kept.length * dim)
    for (let r = 0; r < kept.length; r++) {
      data.set(img.data.subarray(r * img.dim, (r + 1) * img.dim), r * dim)
      data.set(reg.data.subarray(r * reg.dim, (r + 1) * reg.dim), r * dim + img.dim)
    }
    return { rows: kept.length, dim, data }
  }
  return { ids: kept.map((i) => posts[i]!), text: squeeze(0), image: regions ? withRegions() : squeeze(1), missing: posts.length - kept.length }
}

/**
 * Predicts and stores the set; returns it as `predict.run` answers (its counts aggregate every row:
 * read here, in the trainer process, not by the shell). Progress counts the project's posts; posts
 * left out for want of a vector count as predicted and stored.
 */
export async function predictPosts(
  db: Database,
  repo: PredictionsRepo,
  request: { projectId: number; model: PredictModel; runId: number | null; modelPath: string | null },
  control: PredictControl = {},
): Promise<PredictionSetSummary> {
  const started = performance.now()
  const { metadata } = request.model
  const features = new FeaturesRepo(db)
  const posts = features.posts(request.projectId).map((p) => p.id)
  const steps = new PredictSteps(posts.length, control)
  const { ids, text, image, missing } = await readFeatures(features, posts, metadata, steps)
  // The vectors are read: the set goes in unmapped (a file growing under a mapping is remapped at each checkpoint).
  unmap(db)
  if (ids.length === 0) {
    const regions = metadata.encoders.regions ? Number(/#regions(\d+)x/.exec(metadata.encoders.regions.id)?.[1] ?? 2) : undefined
    throw new Error(`no post of the project has clean features of the pair "${metadata.encoder}" (${metadata.encoders.text.id}, ${metadata.encoders.image.id}): extract them first (${extractAdvice(db, request.projectId, metadata.encoder, regions)})`)
  }
  const session = await HeadSession.open(request.model.graph)
  let probabilities: Float32Array
  try {
    const afterChunk = (rows: number): Promise<void> => steps.step('predicting', missing + rows)
    probabilities = (await session.run(text, image, { afterChunk })).probabilities
  } finally {
    await session.release()
  }
  const elapsedMs = performance.now() - started
  await steps.step('saving', missing)
  const set = { projectId: request.projectId, runId: request.runId, modelPath: request.modelPath, method: metadata.method, encoder: metadata.encoder, metadata, missing, elapsedMs, postIds: ids, probabilities }
  const setId = await repo.save(set, { signal: control.signal, written: (rows) => steps.report('saving', missing + rows) })
  return repo.summary(setId)!
}
