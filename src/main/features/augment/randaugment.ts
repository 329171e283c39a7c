// RandAugment as SCRD runs it (ALGORITHMS §1.10): three operations drawn with replacement from
// fourteen, each with a value drawn uniformly from its own range (the magnitude is not used),
// then always a Cutout.
import type { RgbImage } from '../encoder'
import { autocontrast, brightness, color, contrast, equalize, posterize, sharpness, solarize } from './colour'
import { rotate, shearX, shearY, translateX, translateY } from './geometry'
import { randomInt, uniform, type Random } from './seed'

export interface AugmentOp {
  name: string
  min: number
  max: number
  /** The value is a whole number (posterize's bits). */
  integer?: boolean
  apply(image: RgbImage, value: number): RgbImage
}

const ENHANCE = { min: 0.05, max: 0.95 }
const SHEAR = { min: -0.3, max: 0.3 }
const TRANSLATE = { min: -0.3, max: 0.3 }

export const RAND_AUGMENT_OPS: readonly AugmentOp[] = [
  { name: 'autocontrast', min: 0, max: 1, apply: (image) => autocontrast(image) },
  { name: 'brightness', ...ENHANCE, apply: brightness },
  { name: 'color', ...ENHANCE, apply: color },
  { name: 'contrast', ...ENHANCE, apply: contrast },
  { name: 'equalize', min: 0, max: 1, apply: (image) => equalize(image) },
  { name: 'identity', min: 0, max: 1, apply: (image) => image },
  { name: 'posterize', min: 4, max: 8, integer: true, apply: posterize },
  { name: 'rotate', min: -30, max: 30, apply: rotate },
  { name: 'sharpness', ...ENHANCE, apply: sharpness },
  { name: 'shearX', ...SHEAR, apply: shearX },
  { name: 'shearY', ...SHEAR, apply: shearY },
  { name: 'solarize', min: 0, max: 256, apply: solarize },
  { name: 'translateX', ...TRANSLATE, apply: translateX },
  { name: 'translateY', ...TRANSLATE, apply: translateY },
]

export const RAND_AUGMENT_COUNT = 3
/** Cutout's fill: the dataset mean colour the reference uses. */
export const CUTOUT_FILL = [125, 123, 114] as const
/** Cutout's side is up to this fraction of the image width. */
export const CUTOUT_MAX = 0.5

export interface Applied {
  op: string
  value: number
}

/** `count` operations drawn with replacement, applied in order; also says which ran, with what value. */
export function randAugment(image: RgbImage, random: Random, count = RAND_AUGMENT_COUNT): { image: RgbImage; applied: Applied[] } {
  const applied: Applied[] = []
  let out = image
  for (let i = 0; i < count; i++) {
    const op = RAND_AUGMENT_OPS[Math.floor(random() * RAND_AUGMENT_OPS.length)]!
    const value = op.integer ? randomInt(random, op.min, op.max) : uniform(random, op.min, op.max)
    out = op.apply(out, value)
    applied.push({ op: op.name, value })
  }
  return { image: out, applied }
}

/** The square Cutout paints, clipped to the image: [left, right) × [top, bottom). */
export interface CutoutBox {
  left: number
  top: number
  right: number
  bottom: number
}

/** A square of side up to half the width, centred at a uniform point, clipped, painted CUTOUT_FILL. */
export function cutout(image: RgbImage, random: Random): { image: RgbImage; box: CutoutBox } {
  const { width, height } = image
  const side = random() * CUTOUT_MAX * width
  const cx = uniform(random, 0, width)
  const cy = uniform(random, 0, height)
  const left = Math.trunc(Math.max(0, cx - side / 2))
  const top = Math.trunc(Math.max(0, cy - side / 2))
  const box = { left, top, right: Math.min(width, Math.floor(left + side)), bottom: Math.min(height, Math.floor(top + side)) }
  const data = Uint8Array.from(image.data)
  for (let y = box.top; y < box.bottom; y++) {
    for (let x = box.left; x < box.right; x++) data.set(CUTOUT_FILL, (y * width + x) * 3)
  }
  return { image: { data, width, height }, box }
}
