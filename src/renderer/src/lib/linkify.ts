// A post's text as pieces the template renders with text interpolation (never v-html): plain
// text, links, @mentions and #hashtags. Tweets carry a few HTML entities; they are decoded to
// the characters they stand for, which Vue then escapes like any other text.

export type TextPiece =
  | { kind: 'text'; text: string }
  | { kind: 'url'; text: string; href: string }
  | { kind: 'mention'; text: string }
  | { kind: 'hashtag'; text: string; tag: string }

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&apos;': "'" }

export const decodeEntities = (text: string): string => text.replace(/&(?:amp|lt|gt|quot|#39|apos);/g, (e) => ENTITIES[e]!)

// URLs up to whitespace, without trailing punctuation; mentions and hashtags after a non-word
// character, with letters of any script.
const TOKEN = /(https?:\/\/[^\s<>"]+[^\s<>".,;:!?)\]'])|(?<![\p{L}\p{N}_])@([\p{L}\p{N}_]{1,50})|(?<![\p{L}\p{N}_&])#([\p{L}\p{N}_]+)/gu

export function linkify(raw: string): TextPiece[] {
  const text = decodeEntities(raw)
  const pieces: TextPiece[] = []
  let last = 0
  for (const m of text.matchAll(TOKEN)) {
    if (m.index > last) pieces.push({ kind: 'text', text: text.slice(last, m.index) })
    if (m[1]) pieces.push({ kind: 'url', text: m[1], href: m[1] })
    else if (m[2]) pieces.push({ kind: 'mention', text: m[0] })
    else pieces.push({ kind: 'hashtag', text: m[0], tag: m[3]! })
    last = m.index + m[0].length
  }
  if (last < text.length) pieces.push({ kind: 'text', text: text.slice(last) })
  return pieces
}
