// Views of a post: seeded and reproducible, the right size, and each operation doing what the
// reference (PIL / torchvision) does.
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { autocontrast, contrast, equalize, posterize, solarize } from '#main/features/augment/colour'
import { decodeBase } from '#main/features/augment/decode'
import { crop, reflectIndex, rotate, translateX } from '#main/features/augment/geometry'
import { imageView, PAD_FRACTION } from '#main/features/augment/image-views'
import { CUTOUT_FILL, cutout, RAND_AUGMENT_OPS, randAugment } from '#main/features/augment/randaugment'
import { hashParts, viewRandom } from '#main/features/augment/seed'
import { strongText } from '#main/features/augment/text-views'
import type { RgbImage } from '#main/features/encoder'
import { storedViews, viewName, type View } from '#main/features/views'
import { tempDir } from './support/temp'

const S = 48

/** A smooth, asymmetric pattern: any flip, shift or crop changes its bytes. */
function pattern(width: number, height: number): RgbImage {
  const data = new Uint8Array(width * height * 3)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3
      data[i] = (x * 5) % 256
      data[i + 1] = (y * 3 + x) % 256
      data[i + 2] = (x * y) % 256
    }
  }
  return { data, width, height }
}

const fromValues = (values: number[]): RgbImage => ({ data: Uint8Array.from(values.flatMap((v) => [v, v, v])), width: values.length, height: 1 })
const channel0 = (image: RgbImage): number[] => Array.from({ length: image.width * image.height }, (_, i) => image.data[i * 3]!)
const pixel = (image: RgbImage, x: number, y: number): number[] => Array.from(image.data.subarray((y * image.width + x) * 3, (y * image.width + x) * 3 + 3))

const WEAK: View = { kind: 'weak', index: 0 }
const STRONG: View = { kind: 'strong', index: 0 }
const view = (base: RgbImage, v: View, seed: number, key = 'post-1'): RgbImage => imageView(base, v, S, viewRandom(key, viewName(v), seed))

describe('seeded views', () => {
  const base = pattern(72, S)

  it('gives identical bytes for the same post, view and seed', () => {
    for (const v of [{ kind: 'clean', index: 0 } as View, WEAK, STRONG]) {
      expect(Buffer.from(view(base, v, 7).data).equals(Buffer.from(view(base, v, 7).data))).toBe(true)
    }
    expect(strongText('one two three four five six seven eight', viewRandom('p', 'strong:0', 3))).toBe(
      strongText('one two three four five six seven eight', viewRandom('p', 'strong:0', 3)),
    )
  })

  it('differs between seeds, posts and view indices', () => {
    for (const v of [WEAK, STRONG]) {
      const distinct = new Set([1, 2, 3, 4, 5].map((seed) => Buffer.from(view(base, v, seed).data).toString('base64')))
      expect(distinct.size).toBeGreaterThan(1)
    }
    const byPost = new Set(['a', 'b', 'c', 'd'].map((key) => Buffer.from(view(base, STRONG, 1, key).data).toString('base64')))
    expect(byPost.size).toBeGreaterThan(1)
    expect(hashParts(['p', 'strong:0', 1])).not.toBe(hashParts(['p', 'strong:1', 1]))
  })

  it('cuts every view at the encoder input side, from a base whose shorter side is that side', async () => {
    const file = path.join(tempDir(), 'wide.png')
    const wide = pattern(120, 80)
    writeFileSync(file, await sharp(Buffer.from(wide.data), { raw: { width: 120, height: 80, channels: 3 } }).png().toBuffer())
    const decoded = await decodeBase(file, S)
    expect([decoded.width, decoded.height]).toEqual([72, S])
    expect(decoded.data.length).toBe(72 * S * 3)
    for (const v of [{ kind: 'clean', index: 0 } as View, WEAK, STRONG]) {
      const out = view(decoded, v, 1)
      expect([out.width, out.height, out.data.length]).toEqual([S, S, S * S * 3])
    }
  })

  it('paints a Cutout in the strong view of most seeds', () => {
    const filled = (image: RgbImage): number => {
      let n = 0
      for (let i = 0; i < image.data.length; i += 3) {
        if (image.data[i] === CUTOUT_FILL[0] && image.data[i + 1] === CUTOUT_FILL[1] && image.data[i + 2] === CUTOUT_FILL[2]) n++
      }
      return n
    }
    const seeds = Array.from({ length: 20 }, (_, seed) => seed)
    // The square's side is U(0, 0.5)·width and it can fall partly outside the crop: not every time.
    expect(seeds.filter((seed) => filled(view(base, STRONG, seed)) > 0).length).toBeGreaterThanOrEqual(12)
    expect(seeds.filter((seed) => filled(view(base, WEAK, seed)) > 0)).toEqual([])
  })
})

describe('cutout and RandAugment', () => {
  it('fills exactly the clipped square with the mean colour and leaves the rest', () => {
    const base = pattern(40, 30)
    const { image, box } = cutout(base, viewRandom('k', 'strong:0', 11))
    expect(box.right).toBeLessThanOrEqual(40)
    expect(box.bottom).toBeLessThanOrEqual(30)
    for (let y = 0; y < 30; y++) {
      for (let x = 0; x < 40; x++) {
        const inside = x >= box.left && x < box.right && y >= box.top && y < box.bottom
        expect(pixel(image, x, y)).toEqual(inside ? [...CUTOUT_FILL] : pixel(base, x, y))
      }
    }
  })

  it('applies three ops drawn from the fourteen, each value within its range', () => {
    expect(RAND_AUGMENT_OPS).toHaveLength(14)
    for (let seed = 0; seed < 50; seed++) {
      const { image, applied } = randAugment(pattern(32, 24), viewRandom('k', 'strong:0', seed))
      expect(applied).toHaveLength(3)
      expect([image.width, image.height]).toEqual([32, 24])
      for (const { op, value } of applied) {
        const spec = RAND_AUGMENT_OPS.find((o) => o.name === op)!
        expect(value).toBeGreaterThanOrEqual(spec.min)
        expect(value).toBeLessThanOrEqual(spec.max)
        if (spec.integer) expect(Number.isInteger(value)).toBe(true)
      }
    }
  })
})

describe('operations', () => {
  it('reflects without repeating the edge (torchvision reflect padding)', () => {
    expect([-3, -2, -1, 0, 1, 4, 5, 6, 7].map((i) => reflectIndex(i, 5))).toEqual([3, 2, 1, 0, 1, 4, 3, 2, 1])
  })

  it('crops a reflect-padded, optionally mirrored window', () => {
    const row = fromValues([10, 20, 30, 40])
    const one = (spec: { left: number; pad: number; flip: boolean }): number[] => channel0(crop({ ...row, height: 1 }, { size: 1, top: 0, ...spec }))
    expect(channel0(crop(row, { size: 1, left: 0, top: 1, pad: 1, flip: false }))).toEqual([20])
    expect([0, 1, 2, 3, 4, 5].map((left) => one({ left, pad: 1, flip: false })[0])).toEqual([20, 10, 20, 30, 40, 30])
    expect([0, 1, 2, 3, 4, 5].map((left) => one({ left, pad: 1, flip: true })[0])).toEqual([30, 40, 30, 20, 10, 20])
    expect(PAD_FRACTION * 224).toBe(28)
  })

  it('shifts, rotates and fills with black like PIL', () => {
    const image = pattern(8, 6)
    const shifted = translateX(image, 0.25)
    // Content moves left by 2 pixels; the right edge is black.
    expect(pixel(shifted, 0, 3)).toEqual(pixel(image, 2, 3))
    expect(pixel(shifted, 7, 3)).toEqual([0, 0, 0])
    expect(Buffer.from(rotate(image, 0).data).equals(Buffer.from(image.data))).toBe(true)
    const half = rotate(image, 180)
    expect(pixel(half, 0, 0)).toEqual(pixel(image, 7, 5))
    const square = pattern(6, 6)
    // Counter-clockwise: the top-right corner goes to the top-left.
    expect(pixel(rotate(square, 90), 0, 0)).toEqual(pixel(square, 5, 0))
  })

  it('stretches, equalises, posterizes, solarizes and blends per PIL', () => {
    expect(channel0(autocontrast(fromValues([50, 100, 150])))).toEqual([0, 127, 255])
    expect(channel0(autocontrast(fromValues([90, 90])))).toEqual([90, 90])
    // Histogram 2 × 10, 1 × 20, 1 × 30: step = (4 − 1) // 255 = 0 → unchanged.
    expect(channel0(equalize(fromValues([10, 10, 20, 30])))).toEqual([10, 10, 20, 30])
    // 256 distinct values, one each: step = 255 // 255 = 1 → table[v] = v (already flat).
    const ramp = Array.from({ length: 256 }, (_, v) => v)
    expect(channel0(equalize(fromValues(ramp)))).toEqual(ramp)
    // 255 × 100 and 255 × 200: step = (510 − 255) // 255 = 1; 100 → 0 // 1 = 0, 200 → min(255, 255 // 1) = 255.
    const twoLevels = [...new Array(255).fill(100), ...new Array(255).fill(200)]
    expect(new Set(channel0(equalize(fromValues(twoLevels))))).toEqual(new Set([0, 255]))
    expect(channel0(posterize(fromValues([255, 130, 15]), 4))).toEqual([240, 128, 0])
    expect(channel0(solarize(fromValues([10, 127, 128, 250]), 128))).toEqual([10, 127, 127, 5])
    // Contrast 0.5 towards the mean luma (100): 50 → 75, 150 → 125.
    expect(channel0(contrast(fromValues([50, 150]), 0.5))).toEqual([75, 125])
  })
})

describe('text views', () => {
  const always = (value: number) => () => value

  it('drops and swaps words, and never empties a text', () => {
    expect(strongText('one two three', always(0))).toBe('one')
    expect(strongText('one two three four', always(0.99))).toBe('one two three four')
    // No word dropped (0.5 ≥ 0.1), every pair swapped (0.05 < 0.1): adjacent swaps, then skip.
    const calls = [0.5, 0.5, 0.5, 0.5, 0.05, 0.05]
    expect(strongText('a b c d', () => calls.shift()!)).toBe('b a d c')
    expect(strongText('  ', always(0))).toBe('  ')
  })

  it('stores text as clean + strong views (its weak view is the clean text) and images as all three', () => {
    expect(storedViews('text', 2).map(viewName)).toEqual(['clean', 'strong:0', 'strong:1'])
    expect(storedViews('image', 1).map(viewName)).toEqual(['clean', 'weak:0', 'strong:0'])
  })
})
