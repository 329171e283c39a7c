// Geometric operations on raw RGB, written out rather than delegated to libvips so that a view is
// byte-identical on every machine and follows the reference semantics exactly: torchvision's
// reflect padding (edge not repeated), PIL's affine transforms (nearest neighbour, black outside).
import type { RgbImage } from '../encoder'

export const blankImage = (width: number, height: number): RgbImage => ({ data: new Uint8Array(width * height * 3), width, height })

/** Index `i` folded into [0, n) by reflection about the edges, the edge pixel not repeated. */
export function reflectIndex(i: number, n: number): number {
  if (n === 1) return 0
  const period = 2 * (n - 1)
  const m = ((i % period) + period) % period
  return m < n ? m : period - m
}

export interface CropSpec {
  /** Side of the square cut. */
  size: number
  /** Top-left corner of the cut in the padded (and possibly mirrored) image. */
  left: number
  top: number
  /** Reflect padding added on every side before cutting. */
  pad: number
  /** Mirror left–right before padding. */
  flip: boolean
}

/** A `size`×`size` window of the image, mirrored and reflect-padded as `spec` says, in one pass. */
export function crop(image: RgbImage, spec: CropSpec): RgbImage {
  const { width, height, data } = image
  const out = blankImage(spec.size, spec.size)
  const columns = new Int32Array(spec.size)
  for (let x = 0; x < spec.size; x++) {
    const sx = reflectIndex(x + spec.left - spec.pad, width)
    columns[x] = spec.flip ? width - 1 - sx : sx
  }
  let o = 0
  for (let y = 0; y < spec.size; y++) {
    const row = reflectIndex(y + spec.top - spec.pad, height) * width
    for (let x = 0; x < spec.size; x++) {
      const i = (row + columns[x]!) * 3
      out.data[o++] = data[i]!
      out.data[o++] = data[i + 1]!
      out.data[o++] = data[i + 2]!
    }
  }
  return out
}

/** The centred `size`×`size` square (evaluation's CenterCrop). */
export const centerCrop = (image: RgbImage, size: number): RgbImage =>
  crop(image, { size, left: Math.floor((image.width - size) / 2), top: Math.floor((image.height - size) / 2), pad: 0, flip: false })

/**
 * PIL's `transform(AFFINE, (a, b, c, d, e, f))`: the output pixel (x, y) takes the input pixel
 * nearest to (a·x + b·y + c, d·x + e·y + f), measured at pixel centres; black where that is outside.
 */
export function affine(image: RgbImage, [a, b, c, d, e, f]: readonly [number, number, number, number, number, number]): RgbImage {
  const { width, height, data } = image
  const out = blankImage(width, height)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const sx = Math.floor(a * (x + 0.5) + b * (y + 0.5) + c)
      const sy = Math.floor(d * (x + 0.5) + e * (y + 0.5) + f)
      if (sx < 0 || sy < 0 || sx >= width || sy >= height) continue
      const i = (sy * width + sx) * 3
      const o = (y * width + x) * 3
      out.data[o] = data[i]!
      out.data[o + 1] = data[i + 1]!
      out.data[o + 2] = data[i + 2]!
    }
  }
  return out
}

/** Counter-clockwise by `degrees` about the centre, same size (PIL's `rotate`). */
export function rotate(image: RgbImage, degrees: number): RgbImage {
  const t = (degrees * Math.PI) / 180
  const cos = Math.cos(t)
  const sin = Math.sin(t)
  const cx = image.width / 2
  const cy = image.height / 2
  return affine(image, [cos, -sin, cx - cos * cx + sin * cy, sin, cos, cy - sin * cx - cos * cy])
}

export const shearX = (image: RgbImage, v: number): RgbImage => affine(image, [1, v, 0, 0, 1, 0])
export const shearY = (image: RgbImage, v: number): RgbImage => affine(image, [1, 0, 0, v, 1, 0])
/** Shift by a fraction `v` of the width (the content moves left for positive v, as in PIL). */
export const translateX = (image: RgbImage, v: number): RgbImage => affine(image, [1, 0, v * image.width, 0, 1, 0])
export const translateY = (image: RgbImage, v: number): RgbImage => affine(image, [1, 0, 0, 0, 1, v * image.height])
