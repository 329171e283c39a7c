// Shared image preprocessing: fit an RGB image to a network's input size with sharp, then lay a
// batch out as float32 in the layout the network reads.
import sharp from 'sharp'
import type { RgbImage } from '../encoder'

/** 'squash' stretches to the size (aspect lost); 'crop' scales the shorter side and cuts the centre. */
export type Fit = 'squash' | 'crop'

export async function fitImage(image: RgbImage, width: number, height: number, fit: Fit): Promise<RgbImage> {
  if (image.width === width && image.height === height) return image
  const data = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } })
    .resize(width, height, { fit: fit === 'squash' ? 'fill' : 'cover', position: 'centre' })
    .raw()
    .toBuffer()
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width, height }
}

export interface Normalisation {
  layout: 'nhwc' | 'nchw'
  /** Per channel, in the 0..1 scale: value = (pixel / 255 - mean) / std. */
  mean: readonly [number, number, number]
  std: readonly [number, number, number]
}

/** Images of one size as one float32 batch tensor's data. */
export function toFloatBatch(images: readonly RgbImage[], { layout, mean, std }: Normalisation): Float32Array {
  const first = images[0]
  if (!first) return new Float32Array(0)
  const pixels = first.width * first.height
  const out = new Float32Array(images.length * pixels * 3)
  const scale = std.map((s) => 1 / (255 * s))
  const shift = mean.map((m, c) => m / std[c]!)
  images.forEach((image, n) => {
    if (image.width !== first.width || image.height !== first.height) throw new Error('images of one batch must share a size')
    const base = n * pixels * 3
    for (let p = 0; p < pixels; p++) {
      for (let c = 0; c < 3; c++) {
        const value = image.data[p * 3 + c]! * scale[c]! - shift[c]!
        out[layout === 'nhwc' ? base + p * 3 + c : base + c * pixels + p] = value
      }
    }
  })
  return out
}
