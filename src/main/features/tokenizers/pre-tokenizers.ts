// tokenizer.json "pre_tokenizer" components: split normalised text into the words the model
// tokenizes one by one.
import { GPT2_SPLIT, toByteLevel } from './byte-level'
import { componentType, isPunctuation, pattern, unsupported, type Spec } from './spec'

export type PreTokenizer = (words: string[]) => string[]

const SUPPORTED = ['BertPreTokenizer', 'Whitespace', 'WhitespaceSplit', 'Punctuation', 'Split', 'ByteLevel', 'Sequence'] as const
const BEHAVIOURS = ['Removed', 'Isolated', 'MergedWithPrevious', 'MergedWithNext'] as const
type Behaviour = (typeof BEHAVIOURS)[number]

interface Segment {
  text: string
  /** A delimiter (a match of the pattern, or of its complement when inverted). */
  delimiter: boolean
}

function segments(text: string, re: RegExp, invert: boolean): Segment[] {
  const out: Segment[] = []
  let last = 0
  for (const m of text.matchAll(re)) {
    if (m[0] === '') continue
    if (m.index > last) out.push({ text: text.slice(last, m.index), delimiter: invert })
    out.push({ text: m[0], delimiter: !invert })
    last = m.index + m[0].length
  }
  if (last < text.length) out.push({ text: text.slice(last), delimiter: invert })
  return out
}

/** HF's Split semantics: what happens to each delimiter found by `re` in `text`. */
export function splitBy(text: string, re: RegExp, behaviour: Behaviour, invert = false): string[] {
  const parts: string[] = []
  let carry = ''
  for (const { text: piece, delimiter } of segments(text, re, invert)) {
    if (!delimiter) {
      parts.push(carry + piece)
      carry = ''
    } else if (behaviour === 'Isolated') parts.push(piece)
    else if (behaviour === 'MergedWithNext') carry += piece
    else if (behaviour === 'MergedWithPrevious' && parts.length > 0) parts[parts.length - 1] += piece
    else if (behaviour === 'MergedWithPrevious') parts.push(piece)
    // 'Removed': the delimiter is dropped.
  }
  if (carry) parts.push(carry)
  return parts
}

const WHITESPACE = /[\t\n\r\p{Zs}]+/gu

function splitPunctuation(word: string, behaviour: Behaviour): string[] {
  const parts: string[] = []
  let current = ''
  for (const c of word) {
    if (!isPunctuation(c)) {
      current += c
      continue
    }
    if (behaviour === 'Removed' || behaviour === 'Isolated') {
      if (current) parts.push(current)
      if (behaviour === 'Isolated') parts.push(c)
      current = ''
    } else if (behaviour === 'MergedWithNext') {
      if (current) parts.push(current)
      current = c
    } else {
      parts.push(current + c)
      current = ''
    }
  }
  if (current) parts.push(current)
  return parts
}

function behaviourOf(spec: Spec, where: string, fallback: Behaviour): Behaviour {
  const b = spec.behavior ?? fallback
  if (!BEHAVIOURS.includes(b as Behaviour)) return unsupported(`${where} behavior`, String(b), BEHAVIOURS)
  return b as Behaviour
}

export function makePreTokenizer(spec: unknown, where = 'pre_tokenizer'): PreTokenizer {
  if (spec === null || spec === undefined) return (words) => words
  const type = componentType(spec, where)
  const s = spec as Spec
  switch (type) {
    case 'BertPreTokenizer':
      return (words) => words.flatMap((w) => splitBy(w, WHITESPACE, 'Removed')).flatMap((w) => splitPunctuation(w, 'Isolated'))
    case 'WhitespaceSplit':
      return (words) => words.flatMap((w) => splitBy(w, WHITESPACE, 'Removed'))
    case 'Whitespace':
      return (words) => words.flatMap((w) => w.match(/\w+|[^\w\s]+/gu) ?? [])
    case 'Punctuation': {
      const behaviour = behaviourOf(s, where, 'Isolated')
      return (words) => words.flatMap((w) => splitPunctuation(w, behaviour))
    }
    case 'Split': {
      const re = pattern(s.pattern, `${where} Split`)
      const behaviour = behaviourOf(s, where, 'Removed')
      return (words) => words.flatMap((w) => splitBy(w, re, behaviour, s.invert === true))
    }
    case 'ByteLevel': {
      const prefix = s.add_prefix_space === true
      const useRegex = s.use_regex !== false
      // As the Rust implementation does, the prefix space goes on every piece reaching this step.
      return (words) =>
        words
          .map((w) => (prefix && !w.startsWith(' ') ? ` ${w}` : w))
          .flatMap((w) => (useRegex ? (w.match(GPT2_SPLIT) ?? []) : [w]))
          .map(toByteLevel)
    }
    case 'Sequence': {
      const steps = ((s.pretokenizers as unknown[]) ?? []).map((p, i) => makePreTokenizer(p, `${where}.pretokenizers[${i}]`))
      return (words) => steps.reduce((w, step) => step(w), words)
    }
    default:
      return unsupported(where, type, SUPPORTED)
  }
}
