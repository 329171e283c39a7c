// Turns a post's decoded base image into one view (ALGORITHMS §1.10, scaled to the encoder's input
// side S): clean = centre crop (evaluation); weak = flip + reflect-padded random crop; strong =
// RandAugment + Cutout, then the weak steps, as SCRD prepends RandAugment to the weak pipeline.
// The reference applies RandAugment before resizing; here it runs on the base (shorter side S):
// every op is scale-free except sharpness's 3×3 kernel, which acts at the encoder's own scale.
import type { RgbImage } from '../encoder'
import type { View } from '../views'
import { centerCrop, crop } from './geometry'
import { cutout, randAugment } from './randaugment'
import { randomInt, type Random } from './seed'

/** Reflect padding of the random crop, as a fraction of S (0.125 · 224 = 28 in the reference). */
export const PAD_FRACTION = 0.125

/** Random horizontal flip, then a random S×S crop of the image padded by 0.125·S on every side. */
export function weakCrop(image: RgbImage, size: number, random: Random): RgbImage {
  const flip = random() < 0.5
  const pad = Math.round(PAD_FRACTION * size)
  const left = randomInt(random, 0, Math.max(0, image.width + 2 * pad - size))
  const top = randomInt(random, 0, Math.max(0, image.height + 2 * pad - size))
  return crop(image, { size, left, top, pad, flip })
}

/** One view of a base image (shorter side S = `size`); `random` is that view's own generator. */
export function imageView(base: RgbImage, view: View, size: number, random: Random): RgbImage {
  switch (view.kind) {
    case 'clean':
      return centerCrop(base, size)
    case 'weak':
      return weakCrop(base, size, random)
    case 'strong':
      return weakCrop(cutout(randAugment(base, random).image, random).image, size, random)
  }
}
