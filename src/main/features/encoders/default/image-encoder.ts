// The embedded image encoder: MobileNetV2 pooled features (nsfwjs's weights) followed by colour
// statistics of the same 224×224 input. Layout: [0, 1280) MobileNetV2, [1280, 1303) COLOUR_STATS.
import type { ImageEncoder, RgbImage } from '#main/features/encoder'
import { fitImage, toFloatBatch } from '../image-prep'
import { COLOUR_DIM, colourStats } from './colour-stats'
import { MOBILENET_DIM, MOBILENET_SIZE, type FeatureNet, type Runtime } from './mobilenet'

/**
 * Both runtimes give the same vectors (to ~1e-5), so they share the id. Bump the version whenever
 * weights, preprocessing or layout change.
 */
export const DEFAULT_IMAGE_ID = 'default-image/mobilenetv2+colour@1'
export const DEFAULT_IMAGE_DIM = MOBILENET_DIM + COLOUR_DIM

/** Images per network call: larger batches gained nothing on 2 cores and cost memory. */
const BATCH = 8

// Each runtime is imported only when used: both are heavy, and TensorFlow.js is only the fallback.
const tfjs = async (): Promise<FeatureNet> => (await import('./mobilenet-tfjs')).mobileNetTfjs()
const onnxruntime = async (): Promise<FeatureNet> => (await import('./mobilenet-onnx')).mobileNetOnnx()

/** onnxruntime, or TensorFlow.js when onnxruntime cannot load (the reason goes into the description). */
async function openNet(runtime: Runtime | undefined): Promise<FeatureNet> {
  if (runtime === 'tfjs') return tfjs()
  try {
    return await onnxruntime()
  } catch (error) {
    if (runtime === 'onnxruntime') throw error
    const net = await tfjs()
    return { ...net, runtime: `${net.runtime} (onnxruntime failed: ${(error as Error).message.split('\n')[0]})` }
  }
}

export async function createDefaultImageEncoder(options: { runtime?: Runtime } = {}): Promise<ImageEncoder> {
  const net = await openNet(options.runtime)
  const squash = (image: RgbImage): Promise<RgbImage> => fitImage(image, MOBILENET_SIZE, MOBILENET_SIZE, 'squash')
  return {
    info: {
      id: DEFAULT_IMAGE_ID,
      modality: 'image',
      dim: DEFAULT_IMAGE_DIM,
      description: `MobileNetV2 pooled features (nsfwjs weights, ${net.runtime}) + ${COLOUR_DIM} colour/brightness statistics; 224×224 squashed`,
    },
    async encode(images) {
      const vectors: Float32Array[] = []
      for (let start = 0; start < images.length; start += BATCH) {
        const batch = await Promise.all(images.slice(start, start + BATCH).map(squash))
        const features = await net.run(toFloatBatch(batch, { layout: net.layout, mean: [0, 0, 0], std: [1, 1, 1] }), batch.length)
        batch.forEach((image, i) => {
          const vector = new Float32Array(DEFAULT_IMAGE_DIM)
          vector.set(features.subarray(i * MOBILENET_DIM, (i + 1) * MOBILENET_DIM))
          vector.set(colourStats(image.data, image.width), MOBILENET_DIM)
          vectors.push(vector)
        })
      }
      return vectors
    },
    dispose: () => net.dispose(),
  }
}
