// MobileNetV2 through TensorFlow.js, on the backend the process has chosen (training/backend.ts:
// tfjs-node when installed, else wasm with its binaries read from disk, else cpu). The reference the
// ONNX conversion is checked against, and the fallback when onnxruntime cannot load.
import * as tf from '@tensorflow/tfjs'
import { initBackend } from '#main/ml/tfjs-backend'
import { MOBILENET_LAYER, MOBILENET_SIZE, type FeatureNet } from './mobilenet'
import { readMobileNetV2 } from './nsfwjs-weights'

export async function mobileNetTfjs(): Promise<FeatureNet> {
  const backend = await initBackend()
  const full = await tf.loadLayersModel(tf.io.fromMemory(readMobileNetV2()))
  const pooled = tf.model({ inputs: full.inputs, outputs: full.getLayer(MOBILENET_LAYER).output as tf.SymbolicTensor })
  return {
    runtime: `TensorFlow.js ${backend.name}`,
    layout: 'nhwc',
    async run(batch, n) {
      const output = tf.tidy(() => pooled.predict(tf.tensor4d(batch, [n, MOBILENET_SIZE, MOBILENET_SIZE, 3])) as tf.Tensor)
      try {
        return (await output.data()) as Float32Array
      } finally {
        output.dispose()
      }
    },
    async dispose() {
      full.dispose()
    },
  }
}
