// Image region features for text-guided fusion: the grid pooling worked by hand, a tiny generated
// image model's feature map cut into cells, float16 rows read back within half precision, and an
// extraction that writes one row per post and, run again, computes nothing.
import { describe, expect, it } from 'vitest'
import { openStore } from '#main/db/store'
import { decodeVector, encodeVector, fromHalf, toHalf } from '#main/db/vector-codec'
import type { RgbImage } from '#main/features/encoder'
import { openSession, ort } from '#main/features/encoders/onnx-session'
import { kerasToOnnx, type KerasLayer, type Weight } from '#main/features/onnx-builder/keras-to-onnx'
import { buildModel } from '#main/features/onnx-builder/proto'
import { createRegionEncoder, type MapNet } from '#main/features/regions/region-encoder'
import { cellBounds, poolGrid, regionEncoderId, regionInfo } from '#main/features/regions/region-grid'
import { runRegionExtraction } from '#main/features/regions/run-regions'
import { featureCorpus } from './support/feature-corpus'

/** A 4×4 network: a 1×1 convolution (channel 0 = red, channel 1 = blue) and a ReLU, as Keras layers. */
async function tinyMapNet(): Promise<MapNet> {
  const layers: KerasLayer[] = [
    { class_name: 'InputLayer', name: 'in', config: { batch_input_shape: [null, 4, 4, 3] }, inbound_nodes: [] },
    {
      class_name: 'Conv2D',
      name: 'conv',
      config: { filters: 2, kernel_size: [1, 1], strides: [1, 1], padding: 'valid', data_format: 'channels_last', dilation_rate: [1, 1], activation: 'linear', use_bias: false },
      inbound_nodes: [[['in', 0, 0, {}]]],
    },
    { class_name: 'ReLU', name: 'map', config: { max_value: null, negative_slope: 0, threshold: 0 }, inbound_nodes: [[['conv', 0, 0, {}]]] },
  ]
  // Keras kernel [1, 1, in 3, out 2]: out 0 reads red, out 1 reads blue.
  const weights = new Map<string, Weight>([['conv/kernel', { shape: [1, 1, 3, 2], values: Float32Array.from([1, 0, 0, 0, 0, 1]) }]])
  const session = await openSession(buildModel(kerasToOnnx(layers, weights, 'map', ['N', 2, 4, 4])))
  return {
    runtime: 'tiny',
    size: 4,
    async run(batch, n) {
      const out = (await session.run({ in: new ort.Tensor('float32', batch, [n, 3, 4, 4]) })).map!
      return { data: out.data as Float32Array, channels: out.dims[1]!, height: out.dims[2]!, width: out.dims[3]! }
    },
    dispose: () => session.release(),
  }
}

/** Left half red, right half blue. */
const halves: RgbImage = { width: 4, height: 4, data: Uint8Array.from({ length: 48 }, (_, i) => ((i / 3) % 4 < 2 ? [255, 0, 0] : [0, 0, 255])[i % 3]!) }

describe('region grid', () => {
  it('averages each cell of the map, cells overlapping where the grid does not divide the side', () => {
    expect([0, 1].map((i) => cellBounds(i, 2, 7))).toEqual([[0, 4], [3, 7]])
    expect([0, 1, 2].map((i) => cellBounds(i, 3, 7))).toEqual([[0, 3], [2, 5], [4, 7]])
    // One channel, 3×3: 1..9 row by row; 2×2 cells of rows/columns [0, 2) and [1, 3).
    const [cells] = poolGrid(Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]), 1, 1, 3, 3, 2)
    expect(Array.from(cells!)).toEqual([3, 4, 6, 7])
  })

  it('belongs to the default image encoder only, versioned with it', () => {
    const image = { id: 'default-image/mobilenetv2+colour@1', modality: 'image' as const, dim: 1303, description: '' }
    expect(regionInfo({ image }, 2)).toEqual({ id: regionEncoderId(image.id, 2), grid: 2, cells: 4, channels: 1280, dim: 5120 })
    expect(regionEncoderId(image.id, 3)).toBe('default-image/mobilenetv2+colour@1#regions3x3')
    expect(regionInfo({ image: { ...image, id: 'onnx-image/clip' } }, 2)).toBeNull()
    expect(regionInfo({ image }, 4)).toBeNull()
  })

  it('cuts a generated model\'s feature map into cell rows, channel by channel', async () => {
    const encoder = createRegionEncoder(await tinyMapNet(), { id: 'tiny#regions2x2', grid: 2, cells: 4, channels: 2, dim: 8 })
    try {
      const [row] = await encoder.encode([halves])
      // Cells top-left, top-right, bottom-left, bottom-right; each [red, blue].
      expect(Array.from(row!)).toEqual([1, 0, 0, 1, 1, 0, 0, 1])
    } finally {
      await encoder.dispose()
    }
  })
})

describe('float16 rows', () => {
  it('keep three significant digits, and a row\'s length says its precision', () => {
    for (const x of [1, -2.5, 0.1, 6, 1e-5, 65504]) expect(fromHalf(toHalf(x))).toBeCloseTo(x, x < 1e-3 ? 6 : 1)
    expect(Math.abs(fromHalf(toHalf(0.1)) - 0.1) / 0.1).toBeLessThan(1e-3)
    const blob = encodeVector(Float32Array.from([1, 0.333, 6]), 'float16')
    expect(blob.length).toBe(6)
    expect(Array.from(decodeVector(blob, 3, 'row'))).toEqual([1, expect.closeTo(0.333, 3), 6])
  })
})

describe('region extraction', () => {
  it('writes one float16 row per post from its clean image; run again, it computes nothing; the same images elsewhere are copied', async () => {
    const store = openStore(':memory:')
    const { projectId } = await featureCorpus(store, 5)
    const info = { id: 'tiny#regions2x2', grid: 2, cells: 4, channels: 2, dim: 8 }
    const run = async (project = projectId) => {
      const encoder = createRegionEncoder(await tinyMapNet(), info)
      try {
        return await runRegionExtraction({ db: store.db, encoder, projectId: project, seed: 1, batchSize: 2, stopRequested: () => false, onProgress: () => undefined })
      } finally {
        await encoder.dispose()
      }
    }
    const first = await run()
    expect(first.summary).toMatchObject({ posts: 5, encoded: 5, vectorsWritten: 5, failed: 0, bytesPerPost: 16 })
    const bytes = store.db.prepare<[string], number>('SELECT length(vector) FROM features WHERE encoder = ?').pluck().all(info.id)
    expect(bytes).toEqual([16, 16, 16, 16, 16])
    const rows = store.features.readAll(projectId, info.id, 'clean', 8)
    expect(rows.size).toBe(5)
    for (const row of rows.values()) for (const x of row) expect(x).toBeGreaterThanOrEqual(0)
    expect((await run()).summary).toMatchObject({ alreadyDone: 5, encoded: 0, vectorsWritten: 0 })
    // The same images imported again: their rows are copied, none cut again; one changed image is.
    const again = await featureCorpus(store, 5, 'again')
    store.db.prepare("UPDATE posts SET image_hash = 'changed' WHERE project_id = ? AND external_id = 'p4'").run(again.projectId)
    expect((await run(again.projectId)).summary).toMatchObject({ posts: 5, alreadyDone: 4, encoded: 1, vectorsWritten: 1, vectorsCopied: 4 })
    expect(store.features.readAll(again.projectId, info.id, 'clean', 8).size).toBe(5)
    store.close()
  })
})
