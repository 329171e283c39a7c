import sharp from 'sharp'
import type { RgbImage } from '../encoder'

/**
 * The image file decoded to 8-bit sRGB with its shorter side scaled to `size` (aspect kept,
 * enlarging small images): the base every view of the post is cut from. EXIF orientation is
 * honoured; alpha is dropped, as the encoders expect.
 */
export async function decodeBase(file: string, size: number): Promise<RgbImage> {
  const { data, info } = await sharp(file, { failOn: 'truncated', limitInputPixels: 100_000_000 })
    .rotate()
    .resize({ width: size, height: size, fit: 'outside' })
    .toColourspace('srgb')
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true })
  if (info.channels !== 3) throw new Error(`expected 3 channels after decoding, got ${info.channels}`)
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height }
}
