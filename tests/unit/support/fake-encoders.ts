// Small deterministic encoders for the feature pipeline's tests, loaded by the worker process in
// place of the registry (`pairModule`). Image: mean colour and size; text: length and a hash.
// Environment knobs, read in the worker:
//   FAKE_ENCODER_LOG       a file that gets one line per encoded input ("image <view-size>" / "text <text>")
//   FAKE_ENCODER_DELAY_MS  a pause per encode call, so a test can act half-way
// Pair ids: 'default'; 'crash' (the process dies in its first image call); 'broken' (cannot load).
import { appendFileSync } from 'node:fs'
import type { EncoderPair, ImageEncoder, RgbImage, TextEncoder } from '#main/features/encoder'

export const FAKE_IMAGE_DIM = 6
export const FAKE_TEXT_DIM = 4
export const FAKE_IMAGE_ID = 'fake-image@1'
export const FAKE_TEXT_ID = 'fake-text@1'
export const FAKE_INPUT_SIZE = 32
/** A text holding this makes the fake text encoder throw, as a 50 MB text once blew the real one's stack. */
export const FAKE_TEXT_POISON = '<<the encoder cannot take this>>'

const log = (lines: string[]): void => {
  if (process.env.FAKE_ENCODER_LOG) appendFileSync(process.env.FAKE_ENCODER_LOG, lines.map((l) => `${l}\n`).join(''))
}
const pause = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, Number(process.env.FAKE_ENCODER_DELAY_MS ?? 0)))

export function imageVector(image: RgbImage): Float32Array {
  const sums = [0, 0, 0]
  for (let i = 0; i < image.data.length; i++) sums[i % 3]! += image.data[i]!
  const pixels = image.width * image.height
  return Float32Array.from([...sums.map((s) => s / pixels / 255), image.width / 100, image.height / 100, image.data[0]! / 255])
}

export function textVector(text: string): Float32Array {
  let h = 7
  for (let i = 0; i < text.length; i++) h = (h * 31 + text.charCodeAt(i)) >>> 0
  return Float32Array.from([text.length / 100, (h % 1000) / 1000, text.split(' ').length / 10, text.includes('good') ? 1 : 0])
}

function fakePair(id: string, crash: boolean): EncoderPair {
  const image: ImageEncoder = {
    info: { id: FAKE_IMAGE_ID, modality: 'image', dim: FAKE_IMAGE_DIM, description: 'mean colour and size', inputSize: FAKE_INPUT_SIZE },
    async encode(images) {
      if (crash) process.kill(process.pid, 'SIGKILL')
      await pause()
      log(images.map((i) => `image ${i.width}x${i.height}`))
      return images.map(imageVector)
    },
    dispose: async () => undefined,
  }
  const text: TextEncoder = {
    info: { id: FAKE_TEXT_ID, modality: 'text', dim: FAKE_TEXT_DIM, description: 'length and a hash' },
    async encode(texts) {
      if (texts.some((t) => t.includes(FAKE_TEXT_POISON))) throw new RangeError('Maximum call stack size exceeded')
      log(texts.map((t) => `text ${t}`))
      return texts.map(textVector)
    },
    dispose: async () => undefined,
  }
  return { id, image, text }
}

export async function loadEncoderPair(id: string): Promise<EncoderPair> {
  if (id === 'broken') throw new Error('the fake pair "broken" cannot be loaded')
  return fakePair(id, id === 'crash')
}

/** This module's path, for `pairModule`. */
export const FAKE_ENCODERS = new URL(import.meta.url).pathname
