// Tweet normalisation for the default text encoder. It yields two things: tokens for the hashed
// n-grams (lower-cased, with placeholders for what varies without meaning: URLs, user names,
// numbers) and the text the VADER lexicon reads (case, punctuation and emoticons kept, which VADER
// uses; URLs, mentions and lost emoji removed). It also counts what it replaced.
//
// MVSA specifics: the public copy lost its emoji, each now a run of '?', and ~800 texts were cut
// at 140 characters with '…', often mid-word or mid-URL ("ht…"): the cut fragment is dropped.

export interface TweetParts {
  tokens: string[]
  /** What VADER reads. */
  lexiconText: string
  counts: {
    urls: number
    mentions: number
    hashtags: number
    emoji: number
    lostEmoji: number
    exclamations: number
    questions: number
    /** Words of two or more letters written all in capitals. */
    shouted: number
    words: number
    retweet: boolean
    truncated: boolean
  }
}

export const URL_TOKEN = '<url>'
export const USER_TOKEN = '<user>'
export const NUMBER_TOKEN = '<num>'
export const LOST_EMOJI_TOKEN = '<lost-emoji>'
export const TRUNCATED_TOKEN = '<cut>'
export const RETWEET_TOKEN = '<rt>'

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&apos;': "'" }

// An emoji with its variation selectors, skin tones and ZWJ sequels, or a flag (two regional indicators).
const EMOJI = /\p{Extended_Pictographic}(?:\uFE0F|\p{Emoji_Modifier}|\u200D\p{Extended_Pictographic})*|\p{Regional_Indicator}{2}/gu
// A whitespace-delimited piece that is one of the common Western emoticons (VADER's lexicon knows them).
const EMOTICON = /^(?:[:;=8xX][-'^o]?[)(\][dDpP/\\|*3$@oO]|<3+|<\/3|\^\^|\^_\^|-_-|T_T|[)(][-']?[:;=])$/
const URL = /\b(?:https?:\/\/|www\.)\S*/gi
const MENTION = /(?<![\p{L}\p{N}_])@\w+/gu
const HASHTAG = /(?<![\p{L}\p{N}_&])#([\p{L}\p{N}_]+)/gu
// A run of '?' that is not ordinary punctuation: not right after a letter or digit, or three or more.
const LOST_EMOJI = /(?<![\p{L}\p{N}?])\?+|\?{3,}/gu
const WORD = /[\p{L}\p{M}\p{N}_'’]+|[!?]|<[a-z-]+>/gu

/** '#HappyValentinesDay2015' → ['happy', 'valentines', 'day', '2015']; a single-case tag stays whole. */
export function splitHashtag(tag: string): string[] {
  const parts = tag.match(/\p{Lu}+(?!\p{Ll})|\p{Lu}?\p{Ll}+|\p{N}+|[^\p{L}\p{N}_]+|\p{L}+/gu) ?? [tag]
  return parts.map((p) => p.toLowerCase())
}

/** 'sooooo' → 'soo': elongation stays visible (VADER uses it) without multiplying n-grams. */
const squeeze = (word: string): string => word.replace(/(.)\1{2,}/gu, '$1$1')

const count = (text: string, pattern: RegExp): number => text.match(pattern)?.length ?? 0

export function normaliseTweet(raw: string): TweetParts {
  let text = raw.replace(/&(?:amp|lt|gt|quot|#39|apos);/g, (e) => ENTITIES[e] ?? e).normalize('NFC')
  const retweet = /^\s*RT\b/.test(text)
  // 'RT @user: …': the flag and the user stay, the colon goes.
  text = text.replace(/^\s*RT\b\s*(@\w+)?:?/, ' $1 ')
  const truncated = /…\s*$/.test(text)
  // The fragment the cut left (a partial word, hashtag or URL) goes with the ellipsis.
  if (truncated) text = text.replace(/\S*…\s*$/, ' ')

  const counts = {
    urls: count(text, URL),
    mentions: count(text, MENTION),
    hashtags: count(text, HASHTAG),
    emoji: count(text, EMOJI),
    lostEmoji: count(text.replace(URL, ' '), LOST_EMOJI),
    exclamations: 0,
    questions: 0,
    shouted: 0,
    words: 0,
    retweet,
    truncated,
  }
  // Everything but words and the markers below becomes a space; emoji and emoticons are lifted
  // out first so the word pattern cannot cut them.
  // URLs go first (they swallow their own '?'), lost emoji before the spaces the others insert.
  const marked = text
    .replace(URL, ` ${URL_TOKEN} `)
    .replace(LOST_EMOJI, ` ${LOST_EMOJI_TOKEN} `)
    .replace(MENTION, ` ${USER_TOKEN} `)
    .replace(HASHTAG, (_, tag: string) => ` ${splitHashtag(tag).join(' ')} `)

  const lexiconText = marked
    .replace(/<[a-z-]+>/g, ' ')
    .replace(EMOJI, ' ')
    .replace(/\s+/g, ' ')
    .trim()

  const tokens: string[] = retweet ? [RETWEET_TOKEN] : []
  for (const piece of marked.split(/\s+/)) {
    if (!piece) continue
    if (EMOTICON.test(piece)) {
      tokens.push(piece)
      continue
    }
    const emojiHere = piece.match(EMOJI) ?? []
    for (const word of piece.replace(EMOJI, ' ').match(WORD) ?? []) {
      if (word === '!') counts.exclamations++
      else if (word === '?') counts.questions++
      else if (!word.startsWith('<')) {
        counts.words++
        if (/^\p{Lu}{2,}$/u.test(word)) counts.shouted++
      }
      tokens.push(/^\p{N}+$/u.test(word) ? NUMBER_TOKEN : squeeze(word.toLowerCase().replace(/’/g, "'")))
    }
    tokens.push(...emojiHere)
  }
  if (truncated) tokens.push(TRUNCATED_TOKEN)
  return { tokens, lexiconText, counts }
}
