// The embedded image encoder: nsfwjs's MobileNetV2 converted to ONNX must compute what
// TensorFlow.js computes from the same weights, offline, and the colour statistics must mean what
// their names say.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { RgbImage } from '#main/features/encoder'
import { COLOUR_STATS, colourStats } from '#main/features/encoders/default/colour-stats'
import { createDefaultImageEncoder, DEFAULT_IMAGE_DIM } from '#main/features/encoders/default/image-encoder'
import { MOBILENET_DIM } from '#main/features/encoders/default/mobilenet'
import { kerasToOnnx, permute, type KerasLayer } from '#main/features/onnx-builder/keras-to-onnx'

/** A 64×48 image whose pixels follow `f(x, y)`. */
function picture(f: (x: number, y: number) => [number, number, number], width = 64, height = 48): RgbImage {
  const data = new Uint8Array(width * height * 3)
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.set(f(x, y), (y * width + x) * 3)
  return { data, width, height }
}

const stripes = picture((x) => (x % 8 < 4 ? [250, 200, 40] : [20, 30, 90]))
const gradient = picture((x, y) => [x * 4, y * 5, 255 - x * 2])
const checker = picture((x, y) => ((x >> 3) + (y >> 3)) % 2 ? [255, 255, 255] : [0, 0, 0])

const stat = (v: Float32Array, name: (typeof COLOUR_STATS)[number]): number => v[COLOUR_STATS.indexOf(name)]!

describe('default image encoder', () => {
  // Offline: any fetch (of weights, or of the wasm binaries) fails the test.
  beforeEach(() => {
    vi.stubGlobal('fetch', () => Promise.reject(new Error('the default encoders must not fetch anything')))
  })
  afterEach(() => {
    vi.unstubAllGlobals()
  })

  it('gives the same vectors through onnxruntime as through TensorFlow.js', async () => {
    const onnx = await createDefaultImageEncoder({ runtime: 'onnxruntime' })
    const tfjs = await createDefaultImageEncoder({ runtime: 'tfjs' })
    try {
      expect(onnx.info.id).toBe(tfjs.info.id)
      const a = await onnx.encode([stripes, gradient])
      const b = await tfjs.encode([stripes, gradient])
      let maxDiff = 0
      a.forEach((v, i) => v.forEach((x, k) => (maxDiff = Math.max(maxDiff, Math.abs(x - b[i]![k]!)))))
      // Float32 sums in a different order (NCHW vs NHWC): measured 6e-6 on MVSA images.
      expect(maxDiff).toBeLessThan(1e-4)
      expect(Math.max(...a[0]!.subarray(0, MOBILENET_DIM))).toBeGreaterThan(0.1)
    } finally {
      await Promise.all([onnx.dispose(), tfjs.dispose()])
    }
  })

  it('loads offline and gives one fixed-size vector per image, equal for equal images', async () => {
    const encoder = await createDefaultImageEncoder()
    try {
      expect(encoder.info).toMatchObject({ id: 'default-image/mobilenetv2+colour@1', modality: 'image', dim: DEFAULT_IMAGE_DIM })
      expect(DEFAULT_IMAGE_DIM).toBe(1280 + COLOUR_STATS.length)
      // Nine images: more than one internal batch.
      const images = [stripes, gradient, checker, stripes, gradient, checker, stripes, gradient, checker]
      const vectors = await encoder.encode(images)
      expect(vectors).toHaveLength(9)
      for (const v of vectors) expect(v).toHaveLength(DEFAULT_IMAGE_DIM)
      expect(Array.from(vectors[3]!)).toEqual(Array.from(vectors[0]!))
      expect(Array.from(vectors[8]!)).toEqual(Array.from(vectors[2]!))
      expect(Array.from(vectors[1]!.subarray(0, MOBILENET_DIM))).not.toEqual(Array.from(vectors[0]!.subarray(0, MOBILENET_DIM)))
    } finally {
      await encoder.dispose()
    }
  })
})

describe('colour statistics', () => {
  it('describe a pure red image', () => {
    const red = picture(() => [255, 0, 0])
    const v = colourStats(red.data, red.width)
    expect(Array.from(v.subarray(0, 6))).toEqual([1, 0, 0, 0, 0, 0])
    expect(stat(v, 'mean saturation')).toBe(1)
    expect(stat(v, 'hue red')).toBe(1)
    expect(stat(v, 'hue blue')).toBe(0)
    expect(stat(v, 'grey share (saturation < 0.15)')).toBe(0)
    expect(stat(v, 'edge strength')).toBe(0)
  })

  it('tell dark from bright and flat from busy', () => {
    const black = colourStats(picture(() => [0, 0, 0]).data, 64)
    expect(stat(black, 'dark share (luma < 0.2)')).toBe(1)
    expect(stat(black, 'grey share (saturation < 0.15)')).toBe(1)
    const board = colourStats(checker.data, checker.width)
    expect(stat(board, 'dark share (luma < 0.2)')).toBeCloseTo(0.5)
    expect(stat(board, 'bright share (luma > 0.8)')).toBeCloseTo(0.5)
    expect(stat(board, 'std luma (contrast)')).toBeCloseTo(0.5)
    expect(stat(board, 'edge strength')).toBeGreaterThan(0.05)
  })
})

describe('Keras to ONNX conversion', () => {
  it('permutes axes', () => {
    // [2, 3] → [3, 2]: a transpose.
    expect(Array.from(permute(Float32Array.from([1, 2, 3, 4, 5, 6]), [2, 3], [1, 0]))).toEqual([1, 4, 2, 5, 3, 6])
  })

  it('refuses a layer it does not support, by name', () => {
    const layers: KerasLayer[] = [
      { class_name: 'InputLayer', name: 'in', config: { batch_input_shape: [null, 8, 8, 3] }, inbound_nodes: [] },
      { class_name: 'LSTM', name: 'rnn', config: {}, inbound_nodes: [[['in', 0, 0, {}]]] },
    ]
    expect(() => kerasToOnnx(layers, new Map(), 'rnn')).toThrow('layer rnn: LSTM is not supported')
  })
})
