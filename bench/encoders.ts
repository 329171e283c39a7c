// The default encoders alone, on 200 MVSA-Single posts read in place: images decoded beforehand
// (shorter side 224, as extraction does), so the figures are encoding only. MobileNetV2 runs both
// ways: onnxruntime (the default) and TensorFlow.js (the fallback), on fewer images as it is slow.
import { readFileSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { decodeText, normalisePostText } from '#main/datasets/text-decoding'
import { decodeBase } from '#main/features/augment/decode'
import type { ImageEncoder, RgbImage } from '#main/features/encoder'
import { createDefaultImageEncoder } from '#main/features/encoders/default/image-encoder'
import { createDefaultTextEncoder } from '#main/features/encoders/default/text-encoder'
import { createUseTextEncoder } from '#main/features/encoders/use-lite/text-encoder'
import { MVSA_SINGLE, mvsaMissing } from '../tests/unit/support/mvsa-dir'
import { peakRssMb, type Bench, type Figure } from './harness'

const POSTS = 200
const TFJS_IMAGES = 40

async function perSecond(n: number, fn: () => Promise<unknown>): Promise<number> {
  const started = performance.now()
  await fn()
  return n / ((performance.now() - started) / 1000)
}

async function imageFigures(runtime: 'onnxruntime' | 'tfjs', images: RgbImage[]): Promise<Figure[]> {
  const loadStarted = performance.now()
  const encoder: ImageEncoder = await createDefaultImageEncoder({ runtime })
  const loadSeconds = (performance.now() - loadStarted) / 1000
  try {
    await encoder.encode(images.slice(0, 8)) // warm-up: first calls allocate and plan
    const speed = await perSecond(images.length, () => encoder.encode(images))
    return [
      { bench: 'encoders', metric: `image ${encoder.info.id}: ${encoder.info.description.match(/\(nsfwjs weights, (.*?)\) \+/)?.[1]}`, value: speed, unit: 'images/s' },
      { bench: 'encoders', metric: `image encoder load (${runtime})`, value: loadSeconds, unit: 's' },
      { bench: 'encoders', metric: `peak RSS after the ${runtime} image encoder`, value: peakRssMb(), unit: 'MB' },
    ]
  } finally {
    await encoder.dispose()
  }
}

/** USE-lite + VADER (version 2): per wall second and per CPU second of this process (the machine is shared). */
async function useFigures(texts: string[]): Promise<Figure[]> {
  const loadStarted = performance.now()
  const encoder = await createUseTextEncoder()
  const loadSeconds = (performance.now() - loadStarted) / 1000
  try {
    await encoder.encode(texts.slice(0, 20))
    const cpu = process.cpuUsage()
    const speed = await perSecond(texts.length, () => encoder.encode(texts))
    const used = process.cpuUsage(cpu)
    return [
      { bench: 'encoders', metric: `text ${encoder.info.id} (${encoder.info.dim}-d, ${encoder.info.description.split('; ')[1]})`, value: speed, unit: 'texts/s' },
      { bench: 'encoders', metric: 'the same per CPU second', value: texts.length / ((used.user + used.system) / 1e6), unit: 'texts/cpu-s' },
      { bench: 'encoders', metric: 'USE-lite load (model + vocabulary)', value: loadSeconds, unit: 's' },
    ]
  } finally {
    await encoder.dispose()
  }
}

export const encoders: Bench = {
  name: 'encoders',
  async run() {
    if (mvsaMissing) {
      console.warn(`encoders: skipped, ${mvsaMissing}`)
      return []
    }
    const dataDir = path.join(MVSA_SINGLE, 'data')
    const ids = readdirSync(dataDir)
      .filter((f) => f.endsWith('.jpg'))
      .map((f) => f.slice(0, -4))
      .sort((a, b) => Number(a) - Number(b))
      .slice(0, POSTS)
    const texts = ids.map((id) => normalisePostText(decodeText(readFileSync(path.join(dataDir, `${id}.txt`))).text))
    const images = await Promise.all(ids.map((id) => decodeBase(path.join(dataDir, `${id}.jpg`), 224)))

    const text = createDefaultTextEncoder()
    await text.encode(texts.slice(0, 20))
    const textSpeed = await perSecond(texts.length, () => text.encode(texts))
    return [
      { bench: 'encoders', metric: `text ${text.info.id} (${text.info.dim}-d)`, value: textSpeed, unit: 'texts/s' },
      ...(await useFigures(texts)),
      ...(await imageFigures('onnxruntime', images)),
      ...(await imageFigures('tfjs', images.slice(0, TFJS_IMAGES))),
    ]
  },
}
