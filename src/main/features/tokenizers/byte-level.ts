// GPT-2's byte-level alphabet: every UTF-8 byte maps to a printable character, so byte-level BPE
// vocabularies never need an unknown token. Printable Latin-1 bytes map to themselves; the other 68
// (controls, space, soft hyphen …) to U+0100 onwards, in byte order.

function byteAlphabet(): string[] {
  const chars = new Array<string>(256)
  let next = 0x100
  for (let b = 0; b < 256; b++) {
    const printable = (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff)
    chars[b] = String.fromCodePoint(printable ? b : next++)
  }
  return chars
}

const ALPHABET = byteAlphabet()
const utf8 = new TextEncoder()

/** 'é ' → 'Ã©Ġ': each UTF-8 byte of `text` as its alphabet character. */
export const toByteLevel = (text: string): string => Array.from(utf8.encode(text), (b) => ALPHABET[b]!).join('')

/** GPT-2's pre-tokenization: contractions, letters, digits and symbols, each with one leading space. */
export const GPT2_SPLIT = /'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+/gu
