// `predict`: a finished run, or a model folder written by the export, applied to every post of a
// project that has the model's encoder pair's clean features, through the ONNX head session (the
// same path as the end-of-run pseudo-labels). The set and its rows are written in one transaction.
import path from 'node:path'
import type { Database } from 'better-sqlite3'
import type { PredictionSetSummary } from '#shared/predictions'
import type { PredictionsRepo } from '#main/db/predictions-repo'
import { FeaturesRepo } from '#main/db/features-repo'
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

export interface PredictOutcome {
  setId: number
  posts: number
  missing: number
  elapsedMs: number
  /** The stored set as `predict.run` answers it, read here (its counts aggregate every row) rather than by the shell. */
  summary: PredictionSetSummary
}

/** Clean features of the pair's two encoders (and the image regions a text-guided model reads after the image vector), for the posts that have all. */
function readFeatures(db: Database, projectId: number, metadata: ModelMetadata): { ids: number[]; text: Matrix; image: Matrix; missing: number } {
  const repo = new FeaturesRepo(db)
  const { text, image, regions } = metadata.encoders
  const textVectors = repo.readAll(projectId, text.id, 'clean', text.dim)
  const imageVectors = repo.readAll(projectId, image.id, 'clean', image.dim)
  const regionVectors = regions ? repo.readAll(projectId, regions.id, 'clean', regions.dim) : null
  const posts = repo.posts(projectId).map((p) => p.id)
  const ids = posts.filter((id) => textVectors.has(id) && imageVectors.has(id) && (!regionVectors || regionVectors.has(id)))
  const gather = (parts: Array<{ vectors: Map<number, Float32Array>; dim: number }>): Matrix => {
    const dim = parts.reduce((a, p) => a + p.dim, 0)
    const data = new Float32Array(ids.length * dim)
    ids.forEach((id, i) => {
      let at = i * dim
      for (const p of parts) {
        data.set(p.vectors.get(id)!, at)
        at += p.dim
      }
    })
    return { rows: ids.length, dim, data }
  }
  const imageParts = [{ vectors: imageVectors, dim: image.dim }, ...(regionVectors && regions ? [{ vectors: regionVectors, dim: regions.dim }] : [])]
  return { ids, text: gather([{ vectors: textVectors, dim: text.dim }]), image: gather(imageParts), missing: posts.length - ids.length }
}

export async function predictPosts(db: Database, repo: PredictionsRepo, request: { projectId: number; model: PredictModel; runId: number | null; modelPath: string | null }): Promise<PredictOutcome> {
  const started = performance.now()
  const { metadata } = request.model
  const features = readFeatures(db, request.projectId, metadata)
  if (features.ids.length === 0) {
    throw new Error(`no post of the project has clean features of the pair "${metadata.encoder}" (${metadata.encoders.text.id}, ${metadata.encoders.image.id}): run \`extract --encoder ${metadata.encoder}${metadata.encoders.regions ? ` --regions ${/#regions(\d+)x/.exec(metadata.encoders.regions.id)?.[1] ?? 2}` : ''}\` first`)
  }
  const session = await HeadSession.open(request.model.graph)
  let probabilities: Float32Array
  try {
    probabilities = (await session.run(features.text, features.image)).probabilities
  } finally {
    await session.release()
  }
  const elapsedMs = performance.now() - started
  const setId = repo.save({
    projectId: request.projectId,
    runId: request.runId,
    modelPath: request.modelPath,
    method: metadata.method,
    encoder: metadata.encoder,
    metadata,
    missing: features.missing,
    elapsedMs,
    postIds: features.ids,
    probabilities,
  })
  return { setId, posts: features.ids.length, missing: features.missing, elapsedMs: performance.now() - started, summary: repo.summary(setId)! }
}
