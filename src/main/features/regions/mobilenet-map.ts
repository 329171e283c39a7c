// MobileNetV2's last feature map (out_relu, 1280×7×7 for 224×224) through onnxruntime: the same
// converted graph as the pooled encoder (encoders/default/mobilenet-onnx.ts), cut before the pooling.
import { buildModel } from '#main/features/onnx-builder/proto'
import { kerasToOnnx } from '#main/features/onnx-builder/keras-to-onnx'
import { openSession, ort } from '../encoders/onnx-session'
import { MOBILENET_DIM, MOBILENET_SIZE } from '../encoders/default/mobilenet'
import { decodeWeights, readMobileNetV2 } from '../encoders/default/nsfwjs-weights'
import type { MapNet } from './region-encoder'

/** The layer before the global 7×7 average (mobilenet.ts MOBILENET_LAYER). */
export const MOBILENET_MAP_LAYER = 'out_relu'
const SIDE = 7

export async function mobileNetMap(): Promise<MapNet> {
  const artifacts = readMobileNetV2()
  const graph = kerasToOnnx(artifacts.modelTopology.model_config.config.layers, decodeWeights(artifacts), MOBILENET_MAP_LAYER, ['N', MOBILENET_DIM, SIDE, SIDE])
  const session = await openSession(buildModel(graph))
  const [input] = session.inputNames
  return {
    runtime: 'MobileNetV2 out_relu, onnxruntime',
    size: MOBILENET_SIZE,
    async run(batch, n) {
      const outputs = await session.run({ [input!]: new ort.Tensor('float32', batch, [n, 3, MOBILENET_SIZE, MOBILENET_SIZE]) })
      const out = outputs[MOBILENET_MAP_LAYER]
      if (!out || out.dims.length !== 4) throw new Error(`MobileNetV2 graph: expected ${MOBILENET_MAP_LAYER} [N, C, H, W], got ${out?.dims.join('×')}`)
      return { data: out.data as Float32Array, channels: out.dims[1]!, height: out.dims[2]!, width: out.dims[3]! }
    },
    dispose: () => session.release(),
  }
}
