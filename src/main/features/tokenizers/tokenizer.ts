// A HuggingFace tokenizer.json read by @huggingface/tokenizers (the tokenizers of transformers.js):
// WordPiece (BERT), BPE (GPT-2, RoBERTa, CLIP) and Unigram (SentencePiece: T5, XLM-R) with their
// normalizers, pre-tokenizers and post-processors. This module adds what the library leaves to its
// caller: truncation to the encoder's maxLength before the special tokens go on (as HF truncates),
// the padding id, and errors that name the file.
//
// Where the library (0.2.0) reads a component differently from HuggingFace's own (Rust) tokenizers,
// the file is either rewritten to HF's definition of that component in terms the library reads
// right, or refused by name: a frozen encoder fed other ids than it was trained on gives quietly
// wrong vectors.
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { Tokenizer as HfTokenizer } from '@huggingface/tokenizers'

export interface Encoded {
  ids: number[]
  typeIds: number[]
}

export interface Tokenizer {
  /** The tokenizer.json model type: 'WordPiece', 'BPE' or 'Unigram'. */
  model: string
  /** The id padding uses: tokenizer.json's padding.pad_id, else [PAD] / <pad>, else 0. */
  padId: number
  /** Ids and type ids of one text with its special tokens, at most `maxLength` long. */
  encode(text: string, maxLength: number): Encoded
}

type Json = Record<string, unknown>

const MODELS = ['BPE', 'Unigram', 'WordPiece']

class Refused extends Error {}

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v)

/** HF's Split pre-tokenizer over a regex, in one of the two forms the library reads as HF does. */
const split = (regex: string, behavior: 'Removed' | 'Isolated', invert: boolean): Json => ({ type: 'Split', pattern: { Regex: regex }, behavior, invert })

/**
 * The pre-tokenizer as the library should get it. HF defines Whitespace as the split on
 * \w+|[^\w\s]+ (the library's own Whitespace keeps \w ASCII-only, breaking 'héllo'), Punctuation
 * as every punctuation character on its own (the library keeps runs like '!?' together), and
 * Metaspace with split (the default) as cutting before each '▁' (the library never cuts).
 */
function preTokenizer(spec: unknown, where: string): unknown {
  if (!isObject(spec)) return spec
  switch (spec.type) {
    case 'Sequence':
      return { ...spec, pretokenizers: ((spec.pretokenizers as unknown[]) ?? []).map((p, i) => preTokenizer(p, `${where}.pretokenizers[${i}]`)) }
    case 'Whitespace':
      return split('\\w+|[^\\w\\s]+', 'Removed', true)
    case 'Punctuation':
      if ((spec.behavior ?? 'Isolated') !== 'Isolated') throw new Refused(`${where}: Punctuation behavior "${String(spec.behavior)}" is not supported (only "Isolated")`)
      return split('[\\p{P}!-\\/:-@\\[-`{-~]', 'Isolated', false)
    case 'Metaspace': {
      if (spec.split === false) return spec
      const r = String(spec.replacement ?? '▁').replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&')
      return { type: 'Sequence', pretokenizers: [{ ...spec, split: false }, split(`[^${r}]+|${r}[^${r}]*`, 'Removed', true)] }
    }
    case 'Split': {
      // The library keeps delimiters in every mode but these, and drops all non-matches when inverted.
      const { behavior, invert } = spec
      const regex = isObject(spec.pattern) && typeof spec.pattern.Regex === 'string'
      if ((behavior === 'Isolated' && invert !== true) || (behavior === 'Removed' && (invert === true || regex))) return spec
      throw new Refused(`${where}: Split with behavior "${String(behavior)}"${invert === true ? ', inverted,' : ''} is not supported (supported: "Isolated"; "Removed" with a regex or inverted)`)
    }
    default:
      return spec
  }
}

/** The model checked for what the library would otherwise turn into wrong or missing ids. */
function model(spec: unknown): Json {
  if (!isObject(spec)) throw new Refused('has no "model"')
  const type = String(spec.type)
  if (!MODELS.includes(type)) throw new Refused(`model type "${type}" is not supported (supported: ${MODELS.join(', ')})`)
  if (type === 'Unigram') {
    const size = Array.isArray(spec.vocab) ? spec.vocab.length : 0
    if (size === 0) throw new Refused('model.vocab: a Unigram vocabulary is a non-empty list of [piece, score]')
    const unk = spec.unk_id
    if (unk !== null && unk !== undefined && !(Number.isInteger(unk) && (unk as number) >= 0 && (unk as number) < size)) throw new Refused(`model.unk_id ${JSON.stringify(unk)} is not an index of model.vocab`)
    return spec
  }
  const vocab = isObject(spec.vocab) ? spec.vocab : undefined
  if (!vocab) throw new Refused('model.vocab must map tokens to ids')
  const unk = spec.unk_token
  if ((type === 'WordPiece' || (unk !== null && unk !== undefined)) && !Object.hasOwn(vocab, String(unk ?? '[UNK]'))) {
    throw new Refused(`model.unk_token ${JSON.stringify(unk ?? '[UNK]')} is not in the vocabulary`)
  }
  if (type === 'BPE') {
    if (typeof spec.continuing_subword_prefix === 'string' && spec.continuing_subword_prefix !== '') throw new Refused('model: BPE with a continuing_subword_prefix is not supported')
    // HF refuses a merge whose tokens or result are not in the vocabulary; the library would skip it.
    ;((spec.merges as unknown[]) ?? []).forEach((merge, i) => {
      const pair = Array.isArray(merge) ? merge.map(String) : typeof merge === 'string' ? merge.split(' ') : []
      if (pair.length !== 2) throw new Refused(`model.merges[${i}]: expected "a b" or ["a", "b"], got ${JSON.stringify(merge)}`)
      const [a, b] = pair as [string, string]
      const missing = [a, b, a + b].find((t) => !Object.hasOwn(vocab, t))
      if (missing !== undefined) throw new Refused(`model.merges[${i}] (${JSON.stringify(merge)}): ${JSON.stringify(missing)} is not in the vocabulary`)
    })
  }
  return type === 'WordPiece' ? { unk_token: '[UNK]', continuing_subword_prefix: '##', ...spec } : spec
}

/** Builds a tokenizer from a parsed tokenizer.json; `name` (the file) starts every error. */
export function parseTokenizer(json: unknown, name = 'tokenizer.json'): Tokenizer {
  let hf: HfTokenizer
  let spec: Json
  try {
    if (!isObject(json)) throw new Refused('not a JSON object')
    spec = json
    // The decoder turns ids back into text, which encoders never do: it is not read.
    const config = { added_tokens: [], normalizer: null, post_processor: null, ...spec, decoder: null, model: model(spec.model), pre_tokenizer: preTokenizer(spec.pre_tokenizer ?? null, 'pre_tokenizer') }
    hf = new HfTokenizer(config, {})
  } catch (error) {
    if (error instanceof Refused) throw new Error(`${name}: ${error.message}`, { cause: error })
    throw new Error(`${name}: @huggingface/tokenizers cannot read it (${(error as Error).message})`, { cause: error })
  }
  const post = hf.post_processor
  // How many special tokens go around one text: truncation leaves room for them.
  const added = post ? post.post_process([], null, true).tokens.length : 0
  const unkId = hf.model?.unk_token_id
  const idOf = (token: string): number => {
    const id = hf.token_to_id(token) ?? unkId
    if (id === undefined) throw new Error(`${name}: token ${JSON.stringify(token)} has no id and the model has no unknown token`)
    return id
  }
  const padding = spec.padding as { pad_id?: unknown } | null | undefined
  return {
    model: String((spec.model as Json).type),
    padId: typeof padding?.pad_id === 'number' ? padding.pad_id : (hf.token_to_id('[PAD]') ?? hf.token_to_id('<pad>') ?? 0),
    encode(text, maxLength) {
      const tokens = hf.tokenize(text).slice(0, Math.max(0, maxLength - added))
      const out = post ? post.post_process(tokens, null, true) : { tokens, token_type_ids: undefined }
      return { ids: out.tokens.map(idOf), typeIds: out.tokens.map((_, i) => out.token_type_ids?.[i] ?? 0) }
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
  return parseTokenizer(json, name)
}
