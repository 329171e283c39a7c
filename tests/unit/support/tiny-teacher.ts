// A tiny ONNX text sentiment classifier built in code (no test-runner import: e2e specs use it too), in a folder as a user would export one:
// model.onnx + tokenizer.json (the BERT-style WordPiece of onnx-folder.ts) + labels.json. Each word
// adds its row of a fixed table to the logits (masked sum over real tokens): 'good' and 'happy' add
// 3 to positive, 'bad' 3 to negative, 'day' 3 to neutral, anything else 0. The model's outputs are in
// the order TINY_TEACHER_LABELS names (not the app's negative/neutral/positive), so a mapping slip shows.
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { buildModel, floatTensor, int64Tensor, node, valueInfo } from '#main/features/onnx-builder/proto'
import type { Sentiment } from '#shared/vocabulary'
import { WORDPIECE_VOCAB, wordPieceTokenizer } from './tiny-tokenizers'

export const TINY_TEACHER_LABELS: Sentiment[] = ['positive', 'negative', 'neutral']
const WORD_CLASS: Record<string, Sentiment> = { good: 'positive', happy: 'positive', bad: 'negative', day: 'neutral' }
export const WORD_WEIGHT = 3

/** input_ids, attention_mask [N, L] → Σ_t mask · E[ids] → logits [N, classes]. */
export function tinyTeacherModel(classes = TINY_TEACHER_LABELS.length): Uint8Array {
  const table = new Float32Array(WORDPIECE_VOCAB.length * classes)
  WORDPIECE_VOCAB.forEach((word, i) => {
    const c = TINY_TEACHER_LABELS.indexOf(WORD_CLASS[word]!)
    if (c >= 0 && c < classes) table[i * classes + c] = WORD_WEIGHT
  })
  return buildModel({
    name: 'tiny-teacher',
    nodes: [
      node('Gather', ['E', 'input_ids'], ['per_token'], { axis: 0 }),
      node('Cast', ['attention_mask'], ['mask_f'], { to: 1 }),
      node('Unsqueeze', ['mask_f', 'axis2'], ['mask3']),
      node('Mul', ['per_token', 'mask3'], ['masked']),
      node('ReduceSum', ['masked', 'axis1'], ['logits'], { keepdims: 0 }),
    ],
    initializers: [floatTensor('E', [WORDPIECE_VOCAB.length, classes], table), int64Tensor('axis1', [1], [1]), int64Tensor('axis2', [1], [2])],
    inputs: [valueInfo('input_ids', 'int64', ['N', 'L']), valueInfo('attention_mask', 'int64', ['N', 'L'])],
    outputs: [valueInfo('logits', 'float32', ['N', classes])],
  })
}

/** Writes a complete teacher folder into `dir` (no test-runner import here: e2e specs use it too); `change` edits it. */
export function writeTeacherFolder(dir: string, change: (dir: string) => void = () => {}): string {
  writeFileSync(path.join(dir, 'model.onnx'), tinyTeacherModel())
  writeFileSync(path.join(dir, 'tokenizer.json'), JSON.stringify(wordPieceTokenizer()))
  writeFileSync(path.join(dir, 'labels.json'), JSON.stringify({ labels: TINY_TEACHER_LABELS }))
  change(dir)
  return dir
}

/** The teacher's probabilities in negative/neutral/positive order, worked out by hand from the word table. */
export function expectedProbabilities(text: string): number[] {
  const z = [0, 0, 0]
  const order: Sentiment[] = ['negative', 'neutral', 'positive']
  for (const word of text.toLowerCase().split(/\s+/)) {
    const c = WORD_CLASS[word]
    if (c) z[order.indexOf(c)]! += WORD_WEIGHT
  }
  const e = z.map(Math.exp)
  const sum = e.reduce((a, b) => a + b, 0)
  return e.map((x) => x / sum)
}
