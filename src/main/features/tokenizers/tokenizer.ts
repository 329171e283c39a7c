// A HuggingFace tokenizer.json read from its own description: added tokens → normalizer →
// pre-tokenizer → model (WordPiece or BPE) → truncation → post-processor. Enough for BERT-family
// (WordPiece) and GPT-2/RoBERTa/CLIP (byte-level BPE) text encoders exported to ONNX.
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { makeBpe } from './bpe'
import { makeNormalizer } from './normalizers'
import { makePostProcessor, type Encoded } from './post-processor'
import { makePreTokenizer } from './pre-tokenizers'
import { componentType, unsupported, UnsupportedTokenizer, type Spec } from './spec'
import { makeWordPiece, type WordModel } from './wordpiece'

export interface Tokenizer {
  /** 'WordPiece' or 'BPE'. */
  model: string
  vocabSize: number
  /** The id padding uses: tokenizer.json's padding.pad_id, else [PAD] / <pad>, else 0. */
  padId: number
  /** Ids and type ids of one text with its special tokens, at most `maxLength` long. */
  encode(text: string, maxLength: number): Encoded
}

interface AddedToken {
  id: number
  content: string
  lstrip?: boolean
  rstrip?: boolean
}

type Piece = string | number

/**
 * Cuts the text around added tokens ([CLS], <|endoftext|> …) written in it literally, longest first,
 * so they map to their ids instead of being split up. lstrip/rstrip swallow the adjacent spaces.
 */
function splitAdded(text: string, added: readonly AddedToken[]): Piece[] {
  if (added.length === 0) return [text]
  const byContent = new Map(added.map((t) => [t.content, t]))
  const alternatives = [...byContent.keys()].sort((a, b) => b.length - a.length).map((c) => c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
  const pieces: Piece[] = []
  let last = 0
  for (const m of text.matchAll(new RegExp(alternatives.join('|'), 'gu'))) {
    const token = byContent.get(m[0])!
    let before = text.slice(last, m.index)
    if (token.lstrip) before = before.trimEnd()
    if (before) pieces.push(before)
    pieces.push(token.id)
    last = m.index + m[0].length
    if (token.rstrip) while (/\s/u.test(text[last] ?? '')) last++
  }
  if (last < text.length) pieces.push(text.slice(last))
  return pieces
}

function makeModel(spec: unknown): { name: string; vocab: Map<string, number>; word: WordModel } {
  const type = componentType(spec, 'model')
  const s = spec as Spec
  if (!s.vocab || typeof s.vocab !== 'object' || Array.isArray(s.vocab)) throw new UnsupportedTokenizer('model.vocab must map tokens to ids')
  const vocab = new Map(Object.entries(s.vocab as Record<string, number>))
  if (type === 'WordPiece') return { name: type, vocab, word: makeWordPiece(s, vocab) }
  if (type === 'BPE') return { name: type, vocab, word: makeBpe(s, vocab) }
  return unsupported('model', type, ['WordPiece', 'BPE'])
}

export function parseTokenizer(json: unknown): Tokenizer {
  if (!json || typeof json !== 'object') throw new UnsupportedTokenizer('not a JSON object')
  const spec = json as Spec
  const model = makeModel(spec.model)
  const normalize = makeNormalizer(spec.normalizer)
  const preTokenize = makePreTokenizer(spec.pre_tokenizer)
  const post = makePostProcessor(spec.post_processor)
  const added = ((spec.added_tokens as AddedToken[] | undefined) ?? []).filter((t) => typeof t?.content === 'string' && typeof t.id === 'number')
  const padding = spec.padding as { pad_id?: unknown } | null | undefined
  const padId =
    typeof padding?.pad_id === 'number' ? padding.pad_id : (added.find((t) => t.content === '[PAD]' || t.content === '<pad>')?.id ?? model.vocab.get('[PAD]') ?? 0)
  const vocabSize = Math.max(model.vocab.size, ...added.map((t) => t.id + 1))

  return {
    model: model.name,
    vocabSize,
    padId,
    encode(text, maxLength) {
      const ids: number[] = []
      for (const piece of splitAdded(text, added)) {
        if (typeof piece === 'number') ids.push(piece)
        else for (const word of preTokenize([normalize(piece)])) ids.push(...model.word(word))
      }
      const room = Math.max(0, maxLength - post.added)
      return post.apply(ids.slice(0, room))
    },
  }
}

/** Reads and parses a tokenizer.json; errors name the file. */
export async function loadTokenizer(file: string): Promise<Tokenizer> {
  const name = path.basename(file)
  let json: unknown
  try {
    json = JSON.parse(await readFile(file, 'utf8'))
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw new Error(code === 'ENOENT' ? `${name}: missing` : `${name}: not readable JSON (${(error as Error).message})`, { cause: error })
  }
  try {
    return parseTokenizer(json)
  } catch (error) {
    if (error instanceof UnsupportedTokenizer) throw new Error(`${name}: ${error.message}`, { cause: error })
    throw error
  }
}
