// Tiny ONNX encoder pairs built in code, written to a temp folder with a tokenizer.json and a
// manifest: the registry loads them as it would a user's CLIP or BERT export.
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { buildModel, floatTensor, node, valueInfo } from '#main/features/onnx-builder/proto'
import { tempDir } from './temp'
import { WORDPIECE_VOCAB, wordPieceTokenizer } from './tiny-tokenizers'

export const IMAGE_DIM = 16
export const TEXT_DIM = 8

/** Deterministic pseudo-random weights in -1..1. */
const weights = (n: number, seed: number): Float32Array => Float32Array.from({ length: n }, (_, i) => Math.sin(seed * 1000 + i * 12.9898))

/** [N, 3, size, size] → per-channel mean → MatMul → [N, 16]. */
export function tinyImageModel(size: number): Uint8Array {
  return buildModel({
    name: 'tiny-image',
    nodes: [node('ReduceMean', ['pixel_values'], ['channel_means'], { axes: [2, 3], keepdims: 0 }), node('MatMul', ['channel_means', 'W'], ['embeds'])],
    initializers: [floatTensor('W', [3, IMAGE_DIM], weights(3 * IMAGE_DIM, 1))],
    inputs: [valueInfo('pixel_values', 'float32', ['N', 3, size, size])],
    outputs: [valueInfo('embeds', 'float32', ['N', IMAGE_DIM])],
  })
}

/** input_ids [N, L] → embedding lookup → [N, L, 8]; the manifest mean-pools it over real tokens. */
export function tinyTextModel(vocabSize: number): Uint8Array {
  return buildModel({
    name: 'tiny-text',
    nodes: [node('Gather', ['E', 'input_ids'], ['last_hidden_state'], { axis: 0 })],
    initializers: [floatTensor('E', [vocabSize, TEXT_DIM], weights(vocabSize * TEXT_DIM, 2))],
    inputs: [valueInfo('input_ids', 'int64', ['N', 'L'])],
    outputs: [valueInfo('last_hidden_state', 'float32', ['N', 'L', TEXT_DIM])],
  })
}

export { WORDPIECE_VOCAB, wordPieceTokenizer } from './tiny-tokenizers'

/**
 * A SentencePiece-style tokenizer.json (Unigram, as XLM-R): NFKC and runs of spaces collapsed,
 * '▁' for each space and before the text, <s> … </s> around it. Each piece has a log-probability;
 * the tokenizer picks the split of a word whose pieces add up to the highest score.
 */
export const UNIGRAM_VOCAB: Array<[string, number]> = [
  ['<s>', 0], ['<pad>', 0], ['</s>', 0], ['<unk>', 0], ['▁', -2], ['▁un', -3], ['happy', -3.5], ['▁unhappy', -7.5], ['▁happy', -4],
  ['▁day', -3], ['▁d', -4.5], ['ay', -4.5], ['▁a', -2.5], ['▁good', -3], ['▁bad', -3.5], ['▁very', -3.5], ['!', -3],
]
export function unigramTokenizer(): object {
  const template = (piece: 'A' | '<s>' | '</s>'): object => (piece === 'A' ? { Sequence: { id: 'A', type_id: 0 } } : { SpecialToken: { id: piece, type_id: 0 } })
  return {
    version: '1.0',
    added_tokens: ['<s>', '<pad>', '</s>', '<unk>'].map((content, id) => ({ id, content, special: true, normalized: false })),
    normalizer: { type: 'Sequence', normalizers: [{ type: 'NFKC' }, { type: 'Replace', pattern: { Regex: ' {2,}' }, content: ' ' }] },
    pre_tokenizer: { type: 'Metaspace', replacement: '▁', prepend_scheme: 'always', split: true },
    post_processor: {
      type: 'TemplateProcessing',
      single: (['<s>', 'A', '</s>'] as const).map(template),
      pair: [...(['<s>', 'A', '</s>'] as const).map(template), { Sequence: { id: 'B', type_id: 1 } }, { SpecialToken: { id: '</s>', type_id: 1 } }],
      special_tokens: { '<s>': { id: '<s>', ids: [0], tokens: ['<s>'] }, '</s>': { id: '</s>', ids: [2], tokens: ['</s>'] } },
    },
    decoder: { type: 'Metaspace', replacement: '▁', prepend_scheme: 'always', split: true },
    model: { type: 'Unigram', unk_id: 3, vocab: UNIGRAM_VOCAB, byte_fallback: false },
  }
}

export function manifest(overrides: { image?: object; text?: object } = {}): object {
  return {
    name: 'tiny pair',
    image: { model: 'image.onnx', input: 'pixel_values', output: 'embeds', pooling: 'output', dim: IMAGE_DIM, size: 32, resize: 'crop', mean: [0.5, 0.5, 0.5], std: [0.25, 0.25, 0.25], ...overrides.image },
    text: { model: 'text.onnx', tokenizer: 'tokenizer.json', inputs: { ids: 'input_ids' }, output: 'last_hidden_state', pooling: 'mean', dim: TEXT_DIM, maxLength: 16, ...overrides.text },
  }
}

/** A complete, valid folder; `change` edits it before it is returned. */
export function onnxFolder(change: (dir: string) => void = () => {}): string {
  const dir = tempDir('cg-onnx-')
  writeFileSync(path.join(dir, 'image.onnx'), tinyImageModel(32))
  writeFileSync(path.join(dir, 'text.onnx'), tinyTextModel(WORDPIECE_VOCAB.length))
  writeFileSync(path.join(dir, 'tokenizer.json'), JSON.stringify(wordPieceTokenizer()))
  writeFileSync(path.join(dir, 'common-ground-encoders.json'), JSON.stringify(manifest()))
  change(dir)
  return dir
}
