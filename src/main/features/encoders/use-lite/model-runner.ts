// USE-lite's graph model on TensorFlow.js, on the backend the process chose (#main/ml/tfjs-backend:
// tfjs-node when a user installed it, else wasm, else cpu). The model reads a batch of texts as a
// sparse matrix of piece ids: `indices` [tokens, 2] (text, position) and `values` [tokens], and
// returns one L2-normalised 512-vector per text. Its ops include dynamic shapes, hence executeAsync.
import * as tf from '@tensorflow/tfjs'
import { initBackend } from '#main/ml/tfjs-backend'
import { USE_DIM } from './info'
import { readGraphArtifacts } from './package-files'

const OUTPUT = 'module_apply_default/Encoder_en/hidden_layers/l2_normalize'

export interface UseModel {
  /** The backend it computes on, for the encoder's description. */
  runtime: string
  /** One 512-vector per id list, in order; every list must hold at least one id. */
  embed(ids: readonly (readonly number[])[]): Promise<Float32Array[]>
  dispose(): void
}

export async function loadUseModel(folder?: string): Promise<UseModel> {
  const backend = await initBackend()
  const model = await tf.loadGraphModel(tf.io.fromMemory(await readGraphArtifacts(folder)))
  return {
    runtime: `TensorFlow.js ${backend.name}`,
    async embed(ids) {
      if (ids.length === 0) return []
      if (ids.some((list) => list.length === 0)) throw new Error('USE-lite: every text needs at least one piece')
      const positions: number[] = []
      const values: number[] = []
      ids.forEach((list, row) => list.forEach((id, at) => (positions.push(row, at), values.push(id))))
      const indices = tf.tensor2d(positions, [values.length, 2], 'int32')
      const pieces = tf.tensor1d(values, 'int32')
      try {
        const output = (await model.executeAsync({ indices, values: pieces }, OUTPUT)) as tf.Tensor
        try {
          const flat = (await output.data()) as Float32Array
          if (output.shape[0] !== ids.length || output.shape[1] !== USE_DIM) throw new Error(`USE-lite returned [${output.shape}] for ${ids.length} texts`)
          return ids.map((_, row) => flat.slice(row * USE_DIM, (row + 1) * USE_DIM))
        } finally {
          output.dispose()
        }
      } finally {
        indices.dispose()
        pieces.dispose()
      }
    },
    dispose: () => model.dispose(),
  }
}
