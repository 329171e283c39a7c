export type TextEncoding = 'utf-8' | 'gb18030' | 'undecodable'

export interface DecodedText {
  text: string
  /** `undecodable`: neither UTF-8 nor GB18030; the text holds U+FFFD where bytes made no sense. */
  encoding: TextEncoding
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false })
// GB18030 is what MVSA's non-UTF-8 texts use; WHATWG's decoder still refuses some byte sequences
// (a lone 0xFF, a lead byte without its trail), which is how bytes in neither encoding show.
const gb18030 = new TextDecoder('gb18030', { fatal: true })
const replacing = new TextDecoder('utf-8')

/** Decodes as UTF-8, then GB18030; bytes that are neither are decoded with U+FFFD and marked. */
export function decodeText(bytes: Uint8Array): DecodedText {
  try {
    return { text: utf8.decode(bytes), encoding: 'utf-8' }
  } catch {
    try {
      return { text: gb18030.decode(bytes), encoding: 'gb18030' }
    } catch {
      return { text: replacing.decode(bytes), encoding: 'undecodable' }
    }
  }
}

/** Line breaks of any platform, and surrounding whitespace, do not belong to a post's text. */
export const normalisePostText = (text: string): string => text.replace(/\r\n?/g, '\n').trim()

/** A post's text longer than this is refused at import (named, not cut): no tweet or caption comes close. */
export const MAX_TEXT_CHARS = 100_000

/** 1-based numbers of the lines whose bytes are neither UTF-8 nor GB18030. */
export function undecodableLines(bytes: Uint8Array): number[] {
  const lines: number[] = []
  let start = 0
  let line = 1
  for (let i = 0; i <= bytes.length; i++) {
    if (i < bytes.length && bytes[i] !== 0x0a) continue
    if (decodeText(bytes.subarray(start, i)).encoding === 'undecodable') lines.push(line)
    start = i + 1
    line++
  }
  return lines
}

/** The file-level warning for a data file: its encoding, and the lines that decode to nothing sensible. */
export function encodingWarning(decoded: DecodedText, bytes: Uint8Array): { code: 'not-utf8' | 'undecodable-text'; message: string; lines: number[] } | null {
  if (decoded.encoding === 'utf-8') return null
  if (decoded.encoding === 'gb18030') return { code: 'not-utf8', message: 'The file is not valid UTF-8; it was read as GB18030. Check a few texts.', lines: [] }
  const lines = undecodableLines(bytes)
  const shown = lines.slice(0, 10).join(', ') + (lines.length > 10 ? ` and ${lines.length - 10} more` : '')
  return {
    code: 'undecodable-text',
    message: `The file is neither UTF-8 nor GB18030 (line${lines.length === 1 ? '' : 's'} ${shown}); unreadable bytes became U+FFFD (�). Save it as UTF-8 and import again`,
    lines,
  }
}
