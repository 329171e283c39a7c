// The WordPiece model (BERT): greedy longest-match-first over each word; pieces after the first
// carry the continuing prefix ('##'); a word with any unmatched rest becomes the unknown token.
import { UnsupportedTokenizer, type Spec } from './spec'

export type WordModel = (word: string) => number[]

export function makeWordPiece(spec: Spec, vocab: ReadonlyMap<string, number>): WordModel {
  const prefix = typeof spec.continuing_subword_prefix === 'string' ? spec.continuing_subword_prefix : '##'
  const maxChars = typeof spec.max_input_chars_per_word === 'number' ? spec.max_input_chars_per_word : 100
  const unkToken = String(spec.unk_token ?? '[UNK]')
  const unk = vocab.get(unkToken)
  if (unk === undefined) throw new UnsupportedTokenizer(`model: unk_token ${JSON.stringify(unkToken)} is not in the vocabulary`)
  return (word) => {
    const chars = Array.from(word)
    if (chars.length > maxChars) return [unk]
    const ids: number[] = []
    for (let start = 0; start < chars.length; ) {
      let end = chars.length
      let id: number | undefined
      for (; end > start; end--) {
        id = vocab.get((start > 0 ? prefix : '') + chars.slice(start, end).join(''))
        if (id !== undefined) break
      }
      if (id === undefined) return [unk]
      ids.push(id)
      start = end
    }
    return ids
  }
}
