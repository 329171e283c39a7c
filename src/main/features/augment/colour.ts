// Photometric operations on raw RGB with PIL's semantics (ImageOps / ImageEnhance), which the
// reference RandAugment uses: tables per channel, and enhancements as a blend with a degenerate image.
import type { RgbImage } from '../encoder'
import { blankImage } from './geometry'

const clamp8 = (v: number): number => (v < 0 ? 0 : v > 255 ? 255 : v)

/** Maps every byte of channel c through `tables[c]`. */
function applyTables(image: RgbImage, tables: readonly Uint8Array[]): RgbImage {
  const out = blankImage(image.width, image.height)
  for (let i = 0; i < image.data.length; i++) out.data[i] = tables[i % 3]![image.data[i]!]!
  return out
}

const sameTable = (f: (v: number) => number): Uint8Array[] => {
  const table = Uint8Array.from({ length: 256 }, (_, v) => clamp8(f(v)))
  return [table, table, table]
}

function histograms(image: RgbImage): Uint32Array[] {
  const h = [new Uint32Array(256), new Uint32Array(256), new Uint32Array(256)]
  for (let i = 0; i < image.data.length; i++) h[i % 3]![image.data[i]!]!++
  return h
}

/** Stretches each channel so its darkest value becomes 0 and its brightest 255. */
export function autocontrast(image: RgbImage): RgbImage {
  return applyTables(
    image,
    histograms(image).map((h) => {
      const lo = h.findIndex((n) => n > 0)
      const hi = 255 - [...h].reverse().findIndex((n) => n > 0)
      const table = Uint8Array.from({ length: 256 }, (_, v) => v)
      if (hi <= lo) return table
      return table.map((v) => clamp8(Math.trunc(((v - lo) * 255) / (hi - lo))))
    }),
  )
}

/** Histogram equalisation per channel (PIL's ImageOps.equalize). */
export function equalize(image: RgbImage): RgbImage {
  return applyTables(
    image,
    histograms(image).map((h) => {
      const table = Uint8Array.from({ length: 256 }, (_, v) => v)
      let last = 255
      while (last > 0 && h[last] === 0) last--
      const step = Math.floor((h.reduce((a, b) => a + b, 0) - h[last]!) / 255)
      if (step === 0) return table
      let n = Math.floor(step / 2)
      for (let v = 0; v < 256; v++) {
        table[v] = Math.min(255, Math.floor(n / step))
        n += h[v]!
      }
      return table
    }),
  )
}

/** Keeps the `bits` high bits of every channel. */
export const posterize = (image: RgbImage, bits: number): RgbImage => applyTables(image, sameTable((v) => v & (0xff << (8 - bits))))

/** Inverts every channel value at or above `threshold`. */
export const solarize = (image: RgbImage, threshold: number): RgbImage => applyTables(image, sameTable((v) => (v < threshold ? v : 255 - v)))

/** PIL's ImageEnhance: degenerate + factor · (image − degenerate), rounded and clipped. */
function enhance(image: RgbImage, degenerate: (i: number) => number, factor: number): RgbImage {
  const out = blankImage(image.width, image.height)
  for (let i = 0; i < image.data.length; i++) {
    const d = degenerate(i)
    out.data[i] = clamp8(Math.round(d + factor * (image.data[i]! - d)))
  }
  return out
}

/** ITU-R 601 luma of the pixel whose red byte is at `i`, as PIL's convert('L'). */
const luma = (data: Uint8Array, i: number): number => (data[i]! * 19595 + data[i + 1]! * 38470 + data[i + 2]! * 7471 + 0x8000) >> 16

export const brightness = (image: RgbImage, factor: number): RgbImage => enhance(image, () => 0, factor)

/** Saturation: a blend with the image's own grey version. */
export const color = (image: RgbImage, factor: number): RgbImage => enhance(image, (i) => luma(image.data, i - (i % 3)), factor)

/** A blend with a flat grey at the image's mean luma. */
export function contrast(image: RgbImage, factor: number): RgbImage {
  let sum = 0
  for (let i = 0; i < image.data.length; i += 3) sum += luma(image.data, i)
  const mean = Math.floor(sum / (image.width * image.height) + 0.5)
  return enhance(image, () => mean, factor)
}

/** A blend with PIL's SMOOTH filter (3×3, centre weight 5, sum 13; the border is left as it is). */
export function sharpness(image: RgbImage, factor: number): RgbImage {
  const { width, height, data } = image
  const smooth = Uint8Array.from(data)
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      for (let c = 0; c < 3; c++) {
        let s = 4 * data[(y * width + x) * 3 + c]!
        for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) s += data[((y + dy) * width + x + dx) * 3 + c]!
        smooth[(y * width + x) * 3 + c] = Math.round(s / 13)
      }
    }
  }
  return enhance(image, (i) => smooth[i]!, factor)
}
