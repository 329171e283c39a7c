// ONNX encoder folders built in the test (tiny models, tokenizer.json, manifest), loaded through
// the registry as a user's CLIP or BERT export would be; broken folders must say what is wrong.
import { rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import type { RgbImage } from '#main/features/encoder'
import { pool } from '#main/features/encoders/onnx/pooling'
import { loadEncoderPair, validateOnnxFolder } from '#main/features/registry'
import { IMAGE_DIM, manifest, onnxFolder, TEXT_DIM, tinyImageModel, tinyTextModel, unigramTokenizer, UNIGRAM_VOCAB } from './support/onnx-folder'

const image = (r: number, g: number, b: number, width = 40, height = 30): RgbImage => ({
  data: Uint8Array.from({ length: width * height * 3 }, (_, i) => [r, g, b][i % 3]!),
  width,
  height,
})

const writeManifest = (dir: string, overrides: Parameters<typeof manifest>[0]): void =>
  writeFileSync(path.join(dir, 'common-ground-encoders.json'), JSON.stringify(manifest(overrides)))

describe('an ONNX encoder folder', () => {
  it('loads through the registry and gives vectors of the declared sizes', async () => {
    const folder = onnxFolder()
    const check = await validateOnnxFolder(folder)
    expect(check).toMatchObject({ ok: true, problems: [] })

    const pair = await loadEncoderPair(`onnx:${folder}`)
    try {
      expect(pair.id).toBe(`onnx:${folder}`)
      expect(pair.image.info).toMatchObject({ modality: 'image', dim: IMAGE_DIM })
      expect(pair.text.info).toMatchObject({ modality: 'text', dim: TEXT_DIM })
      expect(pair.image.info.id).toMatch(/^onnx-image\/tiny-pair@[0-9a-f]{12}$/)

      const [red, blue, redAgain] = await pair.image.encode([image(200, 20, 20), image(20, 20, 200), image(200, 20, 20)])
      expect(red).toHaveLength(IMAGE_DIM)
      expect(Array.from(redAgain!)).toEqual(Array.from(red!))
      expect(Array.from(blue!)).not.toEqual(Array.from(red!))

      const [good, bad, goodAgain, long] = await pair.text.encode(['a good day', 'a bad day', 'a good day', 'a very very good day !'])
      expect(good).toHaveLength(TEXT_DIM)
      expect(Array.from(goodAgain!)).toEqual(Array.from(good!))
      expect(Array.from(bad!)).not.toEqual(Array.from(good!))
      expect(long).toHaveLength(TEXT_DIM)
    } finally {
      await Promise.all([pair.image.dispose(), pair.text.dispose()])
    }
  })

  it('gives a text the same vector alone or beside texts of other lengths', async () => {
    const pair = await loadEncoderPair(`onnx:${onnxFolder()}`)
    try {
      const [alone] = await pair.text.encode(['a good day'])
      const [, mixed] = await pair.text.encode(['very', 'a good day', 'a very very good day'])
      expect(Array.from(mixed!)).toEqual(Array.from(alone!))
    } finally {
      await Promise.all([pair.image.dispose(), pair.text.dispose()])
    }
  })

  it('changes only the image encoder id when the image preprocessing changes', async () => {
    const first = await loadEncoderPair(`onnx:${onnxFolder()}`)
    const second = await loadEncoderPair(`onnx:${onnxFolder((dir) => writeManifest(dir, { image: { mean: [0.4, 0.5, 0.5] } }))}`)
    try {
      expect(second.image.info.id).not.toBe(first.image.info.id)
      expect(second.text.info.id).toBe(first.text.info.id)
    } finally {
      await Promise.all([first, second].flatMap((p) => [p.image.dispose(), p.text.dispose()]))
    }
  })

  it('reads a SentencePiece (Unigram) tokenizer.json, normalizing text as it says', async () => {
    const folder = onnxFolder((dir) => {
      writeFileSync(path.join(dir, 'tokenizer.json'), JSON.stringify(unigramTokenizer()))
      writeFileSync(path.join(dir, 'text.onnx'), tinyTextModel(UNIGRAM_VOCAB.length))
    })
    const pair = await loadEncoderPair(`onnx:${folder}`)
    try {
      expect(pair.text.info.description).toContain('with tokenizer.json (Unigram)')
      // Full-width letters and doubled spaces normalize to the same pieces as 'a good day'.
      const [plain, wide, bad] = await pair.text.encode(['a good day', 'ａ  ｇｏｏｄ day', 'a bad day'])
      expect(plain).toHaveLength(TEXT_DIM)
      expect(Array.from(wide!)).toEqual(Array.from(plain!))
      expect(Array.from(bad!)).not.toEqual(Array.from(plain!))
    } finally {
      await Promise.all([pair.image.dispose(), pair.text.dispose()])
    }
  })

  it('names a tokenizer whose model type is not supported', async () => {
    const wordLevel = { model: { type: 'WordLevel', vocab: { '[UNK]': 0 }, unk_token: '[UNK]' } }
    const check = await validateOnnxFolder(onnxFolder((dir) => writeFileSync(path.join(dir, 'tokenizer.json'), JSON.stringify(wordLevel))))
    expect(check.problems).toEqual(['tokenizer.json: model type "WordLevel" is not supported (supported: BPE, Unigram, WordPiece)'])
  })

  it('names a missing tokenizer', async () => {
    const check = await validateOnnxFolder(onnxFolder((dir) => rmSync(path.join(dir, 'tokenizer.json'))))
    expect(check.ok).toBe(false)
    expect(check.problems).toEqual(['tokenizer.json: missing (named by text.tokenizer in common-ground-encoders.json)'])
  })

  it('names a missing manifest', async () => {
    const check = await validateOnnxFolder(onnxFolder((dir) => rmSync(path.join(dir, 'common-ground-encoders.json'))))
    expect(check.problems).toHaveLength(1)
    expect(check.problems[0]).toMatch(/^common-ground-encoders\.json: missing from /)
  })

  it('names the model whose input size differs from the manifest', async () => {
    const check = await validateOnnxFolder(onnxFolder((dir) => writeFileSync(path.join(dir, 'image.onnx'), tinyImageModel(64))))
    expect(check.problems).toEqual([
      'image.onnx: input "pixel_values" takes 64×64 images (shape [N, 3, 64, 64]), but the manifest says 32×32 (image.size)',
    ])
  })

  it('names a declared dim the model does not produce', async () => {
    const check = await validateOnnxFolder(onnxFolder((dir) => writeManifest(dir, { image: { dim: 32 } })))
    expect(check.problems).toEqual([
      'image.onnx: output "embeds" gives 16 values per image, but image.dim in common-ground-encoders.json is 32',
    ])
  })

  it('names wrong input and output names, and every bad manifest field at once', async () => {
    const names = await validateOnnxFolder(onnxFolder((dir) => writeManifest(dir, { text: { inputs: { ids: 'ids', mask: 'attention_mask' }, output: 'pooled' } })))
    expect(names.problems).toEqual([
      'text.onnx: has no input "ids" (text.inputs.ids); its inputs are "input_ids"',
      'text.onnx: has no input "attention_mask" (text.inputs.mask); its inputs are "input_ids"',
      'text.onnx: needs input "input_ids", which the manifest does not feed',
      'text.onnx: has no output "pooled" (text.output); its outputs are "last_hidden_state"',
    ])
    const fields = await validateOnnxFolder(onnxFolder((dir) => writeManifest(dir, { image: { size: 'big', std: [0, 1, 1] }, text: { pooling: 'max' } })))
    expect(fields.problems).toEqual([
      'common-ground-encoders.json: image.size is "big"; expected a positive integer or [height, width]',
      'common-ground-encoders.json: image.std is [0,1,1]; expected three positive numbers (R, G, B, in the 0..1 scale)',
      'common-ground-encoders.json: text.pooling is "max"; expected "output" or "cls" or "mean"',
    ])
  })

  it('names a model file onnxruntime cannot read', async () => {
    const check = await validateOnnxFolder(onnxFolder((dir) => writeFileSync(path.join(dir, 'text.onnx'), 'not a model')))
    expect(check.problems).toHaveLength(1)
    expect(check.problems[0]).toMatch(/^text\.onnx: onnxruntime cannot load it \(/)
  })

  it('refuses to load a broken folder, listing its problems', async () => {
    const folder = onnxFolder((dir) => rmSync(path.join(dir, 'text.onnx')))
    await expect(loadEncoderPair(`onnx:${folder}`)).rejects.toThrow('text.onnx: missing (named by text.model in common-ground-encoders.json)')
  })
})

describe('pooling a model output', () => {
  // Two rows of [L = 3, D = 2]: row 0 has 2 real tokens, row 1 has 3.
  const hidden = { dims: [2, 3, 2], data: Float32Array.from([1, 2, 3, 4, 100, 100, 5, 6, 7, 8, 9, 10]) }

  it("takes the first position for 'cls' and averages real tokens only for 'mean'", () => {
    expect(pool(hidden, 'cls').map((v) => Array.from(v))).toEqual([[1, 2], [5, 6]])
    expect(pool(hidden, 'mean', [2, 3]).map((v) => Array.from(v))).toEqual([[2, 3], [7, 8]])
  })

  it("averages a conv map over H×W, and refuses shapes the pooling cannot read", () => {
    const map = { dims: [1, 2, 1, 2], data: Float32Array.from([1, 3, 10, 20]) }
    expect(pool(map, 'mean').map((v) => Array.from(v))).toEqual([[2, 15]])
    expect(() => pool(hidden, 'output')).toThrow('output is [2, 3, 2]; pooling "output" needs [N, D]')
  })
})
