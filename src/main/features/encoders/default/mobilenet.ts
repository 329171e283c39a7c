// nsfwjs's MobileNetV2 backbone up to its pooled penultimate layer (not the NSFW classes), run by
// onnxruntime from a graph converted in memory, or by TensorFlow.js as the reference and fallback.
export const MOBILENET_SIZE = 224
export const MOBILENET_DIM = 1280
/** Global 7×7 average of `out_relu`, flattened: the 1,280 pooled features. */
export const MOBILENET_LAYER = 'flatten_1'

export type Runtime = 'onnxruntime' | 'tfjs'

export interface FeatureNet {
  /** What computes, for the encoder's description (e.g. "onnxruntime, 2 threads"). */
  runtime: string
  layout: 'nhwc' | 'nchw'
  /** A batch of `n` 224×224 images with values in 0..1 → n × 1,280 features, row by row. */
  run(batch: Float32Array, n: number): Promise<Float32Array>
  dispose(): Promise<void>
}
