// tokenizer.json "normalizer" components, applied to the text before it is split into words.
import { componentType, isWhitespace, pattern, unsupported, type Spec } from './spec'

export type Normalizer = (text: string) => string

const SUPPORTED = ['BertNormalizer', 'Lowercase', 'NFC', 'NFD', 'NFKC', 'NFKD', 'StripAccents', 'Strip', 'Replace', 'Sequence'] as const

const stripAccents = (text: string): string => text.normalize('NFD').replace(/\p{Mn}/gu, '')

/** CJK Unified Ideographs and their extensions: BERT puts spaces around each, making it a word. */
const CJK = /[\u{4E00}-\u{9FFF}\u{3400}-\u{4DBF}\u{20000}-\u{2A6DF}\u{2A700}-\u{2B73F}\u{2B740}-\u{2B81F}\u{2B820}-\u{2CEAF}\u{F900}-\u{FAFF}\u{2F800}-\u{2FA1F}]/gu

function bertNormalizer(spec: Spec): Normalizer {
  const lowercase = spec.lowercase !== false
  // strip_accents null means "as lowercase" (bert-base-uncased strips, cased models keep accents).
  const strip = spec.strip_accents === null || spec.strip_accents === undefined ? lowercase : spec.strip_accents === true
  return (text) => {
    let out = text
    if (spec.clean_text !== false) {
      // Every kind of whitespace becomes a space; U+FFFD and the other (C*) categories are dropped.
      out = Array.from(out, (c) => (isWhitespace(c) ? ' ' : c === '\uFFFD' || /\p{C}/u.test(c) ? '' : c)).join('')
    }
    if (spec.handle_chinese_chars !== false) out = out.replace(CJK, ' $& ')
    if (strip) out = stripAccents(out)
    if (lowercase) out = out.toLowerCase()
    return out
  }
}

export function makeNormalizer(spec: unknown, where = 'normalizer'): Normalizer {
  if (spec === null || spec === undefined) return (text) => text
  const type = componentType(spec, where)
  const s = spec as Spec
  switch (type) {
    case 'BertNormalizer':
      return bertNormalizer(s)
    case 'Lowercase':
      return (text) => text.toLowerCase()
    case 'NFC':
    case 'NFD':
    case 'NFKC':
    case 'NFKD':
      return (text) => text.normalize(type)
    case 'StripAccents':
      return (text) => text.replace(/\p{Mn}/gu, '')
    case 'Strip':
      return (text) => {
        let out = s.strip_left === false ? text : text.trimStart()
        out = s.strip_right === false ? out : out.trimEnd()
        return out
      }
    case 'Replace': {
      const re = pattern(s.pattern, `${where} Replace`)
      const content = String(s.content ?? '')
      return (text) => text.replace(re, () => content)
    }
    case 'Sequence': {
      const parts = ((s.normalizers as unknown[]) ?? []).map((n, i) => makeNormalizer(n, `${where}.normalizers[${i}]`))
      return (text) => parts.reduce((t, n) => n(t), text)
    }
    default:
      return unsupported(where, type, SUPPORTED)
  }
}
