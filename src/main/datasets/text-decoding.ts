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

/** Bytes decoded at a time by decodeTextInTurns. */
const DECODE_CHUNK = 1 << 20

const DECODERS: ReadonlyArray<[() => InstanceType<typeof TextDecoder>, TextEncoding]> = [
  [() => new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }), 'utf-8'],
  [() => new TextDecoder('gb18030', { fatal: true }), 'gb18030'],
  [() => new TextDecoder('utf-8'), 'undecodable'],
]

/** A text decoded in pieces, each ending on a whole character. */
export interface DecodedParts {
  parts: string[]
  encoding: TextEncoding
}

/**
 * decodeText a megabyte at a time, awaiting `turn` in between: a data file of 100,000 posts (10 MB)
 * took ~0.1 s of the shell's event loop decoded in one call. The pieces are not joined: joining
 * 14 million characters held the loop another ~80 ms.
 */
export async function decodeTextInTurns(bytes: Uint8Array, turn: () => Promise<void>): Promise<DecodedParts> {
  for (const [decoder, encoding] of DECODERS) {
    const decoding = decoder()
    const parts: string[] = []
    try {
      for (let at = 0; at < bytes.length; at += DECODE_CHUNK) {
        parts.push(decoding.decode(bytes.subarray(at, at + DECODE_CHUNK), { stream: true }))
        await turn()
      }
      parts.push(decoding.decode())
      return { parts, encoding }
    } catch {
      // Not this encoding: the next one, from the start.
    }
  }
  throw new Error('unreachable: the replacing decoder accepts any bytes')
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
export function encodingWarning(decoded: Pick<DecodedText, 'encoding'>, bytes: Uint8Array): { code: 'not-utf8' | 'undecodable-text'; message: string; lines: number[] } | null {
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
