// An image encoder from a user's ONNX model: fit (crop or squash) to the manifest's size with
// sharp, normalise with its mean/std, NCHW float32, then pool the named output.
import type { InferenceSession } from 'onnxruntime-node'
import type { EncoderInfo, ImageEncoder } from '#main/features/encoder'
import { fitImage, toFloatBatch } from '../image-prep'
import { ort } from '../onnx-session'
import type { ImageSection } from './manifest'
import { fixedAxis, inputMeta } from './model-inputs'
import { pool } from './pooling'

const BATCH = 8

export function createOnnxImageEncoder(session: InferenceSession, s: ImageSection, info: Omit<EncoderInfo, 'modality'>): ImageEncoder {
  const [height, width] = s.size
  // A model exported with batch 1 gets one image per call.
  const batchSize = fixedAxis(inputMeta(session, s.input), 0) ?? BATCH
  return {
    info: { ...info, modality: 'image' },
    async encode(images) {
      const vectors: Float32Array[] = []
      for (let start = 0; start < images.length; start += batchSize) {
        const batch = await Promise.all(images.slice(start, start + batchSize).map((image) => fitImage(image, width, height, s.resize)))
        const data = toFloatBatch(batch, { layout: 'nchw', mean: s.mean, std: s.std })
        const outputs = await session.run({ [s.input]: new ort.Tensor('float32', data, [batch.length, 3, height, width]) }, [s.output])
        const out = outputs[s.output]!
        vectors.push(...pool({ dims: out.dims, data: out.data as Float32Array }, s.pooling))
      }
      return vectors
    },
    dispose: () => session.release(),
  }
}
