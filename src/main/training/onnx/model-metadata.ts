// common-ground.json: what an exported model expects and promises — the encoder pair (ids carry
// their versions) whose features it reads, the class order, the calibration baked into model.onnx,
// and the graph's input and output names. `predict` reads it back to apply an exported model.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { CONFUSION_ORDER } from '#shared/vocabulary'
import { resolvePair } from '../load-data'
import type { EncoderRef, Preprocessing } from '../preprocessing'
import { HEAD_IO, type Calibration, type HeadModel } from './head-graph'

export const MODEL_METADATA = 'common-ground.json'
export const ONNX_FILE = 'model.onnx'

export interface ModelMetadata {
  format: 'tfjs+onnx'
  run: { id: number; method: string; preset: string; finishedAt: string | null } | null
  method: string
  /** The encoder pair's id ('default', 'onnx:<folder>'). */
  encoder: string
  /** `regions`: text-guided fusion's image region rows, fed appended to the image vector (image input = image.dim + regions.dim). */
  encoders: { text: EncoderRef; image: EncoderRef; regions?: EncoderRef }
  /** The model's output index i is classes[i]. */
  classes: string[]
  onnx: {
    file: string
    opset: number
    inputs: { text: string; image: string }
    /** `probabilities` = softmax((logits + logitAdjustment) / temperature); `logits` as the head gives them. */
    outputs: string[]
    /** Per-column standardisation with the training pool's statistics is the graph's first step: feed raw features. */
    standardisation: 'in-graph' | 'none'
  }
  calibration: Calibration
  tfjs: { files: string[]; preprocessing: string }
  appVersion: string
}

/** The pair's encoders, as the trainer recorded them (older models: resolved from the pair id). */
export function encodersOf(preprocessing: Preprocessing | null, model: HeadModel): ModelMetadata['encoders'] {
  if (preprocessing?.encoders) return preprocessing.encoders
  const pair = resolvePair(preprocessing?.encoder ?? 'default')
  return { text: { id: pair.text.id, dim: model.dims.text }, image: { id: pair.image.id, dim: model.dims.image } }
}

export function modelMetadata(options: { run: ModelMetadata['run']; model: HeadModel; preprocessing: Preprocessing | null; appVersion: string; outputs: string[] }): ModelMetadata {
  const { run, model, preprocessing } = options
  return {
    format: 'tfjs+onnx',
    run,
    method: model.method,
    encoder: preprocessing?.encoder ?? 'default',
    encoders: encodersOf(preprocessing, model),
    classes: [...CONFUSION_ORDER],
    onnx: {
      file: ONNX_FILE,
      opset: 13,
      inputs: { text: HEAD_IO.text, image: HEAD_IO.image },
      outputs: options.outputs,
      standardisation: model.standardize ? 'in-graph' : 'none',
    },
    calibration: model.calibration,
    tfjs: { files: ['model.json', 'weights.bin'], preprocessing: 'preprocessing.json' },
    appVersion: options.appVersion,
  }
}

/** Reads an exported folder's metadata, naming the file and the field that is wrong. */
export function readModelMetadata(folder: string): ModelMetadata {
  const file = path.join(folder, MODEL_METADATA)
  let json: Partial<ModelMetadata>
  try {
    json = JSON.parse(readFileSync(file, 'utf8')) as Partial<ModelMetadata>
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    throw new Error(code ? `${file}: cannot be read (${code}); give a folder written by the model export` : `${file}: not valid JSON (${(err as Error).message})`, { cause: err })
  }
  const problems: string[] = []
  if (json.format !== 'tfjs+onnx' || !json.onnx) problems.push(`format: ${JSON.stringify(json.format)} has no ONNX model (export the run again)`)
  const ref = (r: EncoderRef | undefined) => r && typeof r.id === 'string' && Number.isInteger(r.dim)
  if (!ref(json.encoders?.text) || !ref(json.encoders?.image)) problems.push('encoders: expected text and image, each with an id and a dim')
  if (JSON.stringify(json.classes) !== JSON.stringify(CONFUSION_ORDER)) problems.push(`classes: expected ${JSON.stringify(CONFUSION_ORDER)}`)
  if (problems.length > 0) throw new Error(`${file}: ${problems.join('; ')}`)
  return json as ModelMetadata
}
