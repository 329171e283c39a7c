export type TextEncoding = 'utf-8' | 'gb18030'

export interface DecodedText {
  text: string
  encoding: TextEncoding
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false })
// GB18030 maps every byte sequence, so as the fallback it never fails; it is what MVSA's non-UTF-8 texts use.
const gb18030 = new TextDecoder('gb18030')

/** Decodes as UTF-8 and falls back to GB18030 for bytes that are not valid UTF-8. */
export function decodeText(bytes: Uint8Array): DecodedText {
  try {
    return { text: utf8.decode(bytes), encoding: 'utf-8' }
  } catch {
    return { text: gb18030.decode(bytes), encoding: 'gb18030' }
  }
}

/** Line breaks of any platform, and surrounding whitespace, do not belong to a post's text. */
export const normalisePostText = (text: string): string => text.replace(/\r\n?/g, '\n').trim()
