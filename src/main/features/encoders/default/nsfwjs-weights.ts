// Reads the MobileNetV2 weights that the nsfwjs package ships, offline. The package's exports map
// blocks deep imports of its model files, so they are required by path: each is a UMD bundle whose
// CommonJS branch exports the model JSON or one base64 weight shard (required as CommonJS, the
// bundle never sets its browser global `model`, which nsfwjs itself would pick up).
import { createRequire } from 'node:module'
import path from 'node:path'
import type { io } from '@tensorflow/tfjs'
import type { KerasLayer, Weight } from '#main/features/onnx-builder/keras-to-onnx'

const require = createRequire(import.meta.url)

export interface KerasArtifacts {
  modelTopology: { model_config: { class_name: string; config: { layers: KerasLayer[] } } }
  weightSpecs: io.WeightsManifestEntry[]
  weightData: ArrayBuffer
}

const MODEL = 'mobilenet_v2'

function modelFolder(): string {
  // require.resolve('nsfwjs') is dist/cjs/index.js; the model bundles live in dist/models.
  return path.join(path.dirname(require.resolve('nsfwjs')), '..', 'models', MODEL)
}

/** Requires one bundle and drops it from the require cache: its strings are megabytes. */
function requireOnce(file: string): unknown {
  const resolved = require.resolve(file)
  try {
    return require(resolved)
  } finally {
    delete require.cache[resolved]
  }
}

/** nsfwjs's MobileNetV2 as TensorFlow.js model artifacts (`tf.io.fromMemory` takes them as they are). */
export function readMobileNetV2(): KerasArtifacts {
  const folder = modelFolder()
  const json = requireOnce(path.join(folder, 'model.min.js')) as {
    modelTopology: KerasArtifacts['modelTopology']
    weightsManifest: Array<{ paths: string[]; weights: io.WeightsManifestEntry[] }>
  }
  const groups = json.weightsManifest
  const shards = groups.flatMap((g) => g.paths).map((p) => Buffer.from(requireOnce(path.join(folder, `${p}.min.js`)) as string, 'base64'))
  const all = Buffer.concat(shards)
  return {
    modelTopology: json.modelTopology,
    weightSpecs: groups.flatMap((g) => g.weights),
    weightData: all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength),
  }
}

/**
 * Every weight as float32, by name. Quantized weights are expanded as TensorFlow.js does
 * (`q * scale + min`, computed in double and stored as float32), so both runtimes see identical values.
 */
export function decodeWeights(artifacts: KerasArtifacts): Map<string, Weight> {
  const weights = new Map<string, Weight>()
  let offset = 0
  for (const spec of artifacts.weightSpecs) {
    if (spec.dtype !== 'float32') throw new Error(`weight ${spec.name}: dtype ${spec.dtype} is not supported`)
    const size = spec.shape.reduce((a, b) => a * b, 1)
    const q = spec.quantization
    let values: Float32Array
    if (!q) {
      values = new Float32Array(artifacts.weightData.slice(offset, offset + size * 4))
      offset += size * 4
    } else if ((q.dtype === 'uint8' || q.dtype === 'uint16') && q.scale !== undefined && q.min !== undefined) {
      const bytes = q.dtype === 'uint8' ? 1 : 2
      const raw = artifacts.weightData.slice(offset, offset + size * bytes)
      const quantized = q.dtype === 'uint8' ? new Uint8Array(raw) : new Uint16Array(raw)
      values = new Float32Array(size)
      for (let i = 0; i < size; i++) values[i] = quantized[i]! * q.scale + q.min
      offset += size * bytes
    } else {
      throw new Error(`weight ${spec.name}: quantization ${q.dtype} is not supported`)
    }
    weights.set(spec.name, { shape: spec.shape, values })
  }
  if (offset !== artifacts.weightData.byteLength) {
    throw new Error(`nsfwjs ${MODEL}: the manifest describes ${offset} bytes of weights, the shards hold ${artifacts.weightData.byteLength}`)
  }
  return weights
}
