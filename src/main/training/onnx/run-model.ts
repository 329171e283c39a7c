// A run's trained model as the head graph needs it: its method, weights by name, input widths and
// standardisation, read either from the trainer's in-memory artifacts or from the run's model folder
// (model.json + weights.bin + preprocessing.json, written by worker/run-files.ts).
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { RUN_METHODS, type RunMethod } from '#shared/runs'
import { PREPROCESSING_FILE, type Preprocessing } from '../preprocessing'
import { NO_CALIBRATION, type Calibration, type HeadModel, type WeightArray } from './head-graph'
import type { TextGuidedLayout } from './text-guided-graph'

/** What the trainer writes in model.json's modelTopology (trainer.ts). */
export interface ModelTopology {
  format: 'common-ground-training'
  method: RunMethod
  classes: string[]
  step: number
  /** Feature widths the model reads (absent in models saved before ONNX export existed). */
  inputs?: { text: number; image: number }
  /** Text-guided fusion: the image input is the pooled vector then the region rows. */
  textGuided?: TextGuidedLayout
}

export interface WeightSpec {
  name: string
  shape: number[]
  dtype?: string
}

/** Splits tfjs' concatenated float32 weight buffer into named arrays. */
export function weightArrays(specs: readonly WeightSpec[], data: ArrayBuffer | Uint8Array, where: string): Map<string, WeightArray> {
  const bytes = data instanceof Uint8Array ? data : new Uint8Array(data)
  const aligned = bytes.byteOffset % 4 === 0 ? bytes : bytes.slice()
  const weights = new Map<string, WeightArray>()
  let at = 0
  for (const spec of specs) {
    if ((spec.dtype ?? 'float32') !== 'float32') throw new Error(`${where}: weight ${spec.name} is ${spec.dtype}; only float32 weights are read`)
    const size = spec.shape.reduce((a, b) => a * b, 1)
    if ((at + size) * 4 > aligned.byteLength) throw new Error(`${where}: the weights end before ${spec.name} (${aligned.byteLength} bytes)`)
    weights.set(spec.name, { shape: spec.shape, values: new Float32Array(aligned.buffer, aligned.byteOffset + at * 4, size) })
    at += size
  }
  if (at * 4 !== aligned.byteLength) throw new Error(`${where}: ${aligned.byteLength - at * 4} bytes of weights are not described by the manifest`)
  return weights
}

/** Input widths: recorded by the trainer, else read off the standardisation or SCDR's projections. */
function inputWidths(topology: ModelTopology, weights: ReadonlyMap<string, WeightArray>, pre: Preprocessing | null, where: string): { text: number; image: number } {
  if (topology.inputs) return topology.inputs
  if (pre?.standardize) return { text: pre.standardize.text.mean.length, image: pre.standardize.image.mean.length }
  const pt = weights.get('pt')
  const pv = weights.get('pv')
  if (pt && pv) return { text: pt.shape[0]!, image: pv.shape[0]! }
  throw new Error(`${where}: the model does not say how wide its text and image inputs are; train the run again`)
}

export interface RunModelParts {
  topology: ModelTopology
  weights: Map<string, WeightArray>
  preprocessing: Preprocessing | null
}

export function headModelOf(parts: RunModelParts, calibration: Calibration = NO_CALIBRATION, where = 'model'): HeadModel {
  const { topology, weights, preprocessing } = parts
  if (topology.format !== 'common-ground-training') throw new Error(`${where}: not a Common Ground model (format ${JSON.stringify(topology.format)})`)
  if (!RUN_METHODS.includes(topology.method)) throw new Error(`${where}: unknown method ${JSON.stringify(topology.method)}`)
  const standardize = preprocessing?.standardize
  return {
    method: topology.method,
    weights,
    dims: inputWidths(topology, weights, preprocessing, where),
    classes: topology.classes.length,
    standardize: standardize ? { text: standardize.text, image: standardize.image } : null,
    calibration,
    ...(topology.textGuided ? { textGuided: topology.textGuided } : {}),
  }
}

function readJson<T>(file: string): T {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (err) {
    throw new Error(`${file}: cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, { cause: err })
  }
  try {
    return JSON.parse(text) as T
  } catch (err) {
    throw new Error(`${file}: not valid JSON (${(err as Error).message})`, { cause: err })
  }
}

/** The model folder of a finished run (or an export of it). */
export function readRunModel(folder: string): RunModelParts {
  const modelFile = path.join(folder, 'model.json')
  const json = readJson<{ modelTopology: ModelTopology; weightsManifest: { paths: string[]; weights: WeightSpec[] }[] }>(modelFile)
  const manifest = json.weightsManifest?.[0]
  if (!json.modelTopology || !manifest) throw new Error(`${modelFile}: no modelTopology or weightsManifest`)
  const weightsFile = path.join(folder, manifest.paths[0] ?? 'weights.bin')
  let bytes: Buffer
  try {
    bytes = readFileSync(weightsFile)
  } catch (err) {
    throw new Error(`${weightsFile}: cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, { cause: err })
  }
  const preprocessingFile = path.join(folder, PREPROCESSING_FILE)
  return {
    topology: json.modelTopology,
    weights: weightArrays(manifest.weights, bytes, weightsFile),
    preprocessing: readJson<Preprocessing>(preprocessingFile),
  }
}
