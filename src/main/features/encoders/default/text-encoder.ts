// The embedded text encoder for tweets. Layout (docs/ARCHITECTURE.md, "Features: encoders"):
//   [0, 7)    VADER_FEATURES: VADER's neg/neu/pos/compound and lexicon word counts
//   [7, 18)   TWEET_FEATURES: what normalisation replaced or counted
//   [18, +W)  hashed word 1–2-grams, sublinear tf, L2-normalised
//   [.., +C)  hashed character 3–5-grams of the tokens, sublinear tf, L2-normalised
import type { TextEncoder } from '#main/features/encoder'
import { charNgrams, hashInto, wordNgrams } from './hashed-ngrams'
import { normaliseTweet, type TweetParts } from './tweet-normalise'
import { VADER_FEATURES, vaderFeatures } from './vader'

export const TWEET_FEATURES = [
  'ln(1+URLs)', 'ln(1+mentions)', 'ln(1+hashtags)', 'ln(1+emoji)', 'ln(1+lost emoji)', 'ln(1+!)', 'ln(1+?)',
  'shouted word share', 'ln(1+words) / 5', 'retweet', 'cut with …',
] as const

export interface HashSizes {
  wordBuckets: number
  charBuckets: number
}

/** Chosen with a linear probe on MVSA-Single (docs/ARCHITECTURE.md): beyond this the gain was < 1 point. */
export const DEFAULT_HASH_SIZES: HashSizes = { wordBuckets: 1024, charBuckets: 1024 }

const DENSE = VADER_FEATURES.length + TWEET_FEATURES.length
const textDim = (sizes: HashSizes): number => DENSE + sizes.wordBuckets + sizes.charBuckets
const WORD_SEED = 0x57
const CHAR_SEED = 0xc4

function tweetFeatures({ counts }: TweetParts): number[] {
  return [
    Math.log1p(counts.urls), Math.log1p(counts.mentions), Math.log1p(counts.hashtags), Math.log1p(counts.emoji),
    Math.log1p(counts.lostEmoji), Math.log1p(counts.exclamations), Math.log1p(counts.questions),
    counts.words ? counts.shouted / counts.words : 0, Math.log1p(counts.words) / 5,
    counts.retweet ? 1 : 0, counts.truncated ? 1 : 0,
  ]
}

/** Placeholders ('<url>') carry no spelling: only real words feed the character n-grams. */
const spelled = (tokens: readonly string[]): string[] => tokens.filter((t) => !/^<[a-z-]+>$/.test(t))

export function encodeTweet(text: string, sizes: HashSizes): Float32Array {
  const parts = normaliseTweet(text)
  const out = new Float32Array(textDim(sizes))
  out.set([...vaderFeatures(parts.lexiconText, parts.tokens), ...tweetFeatures(parts)])
  hashInto(wordNgrams(parts.tokens), out, DENSE, sizes.wordBuckets, WORD_SEED)
  hashInto(charNgrams(spelled(parts.tokens), 3, 5), out, DENSE + sizes.wordBuckets, sizes.charBuckets, CHAR_SEED)
  return out
}

export function createDefaultTextEncoder(sizes: HashSizes = DEFAULT_HASH_SIZES): TextEncoder {
  for (const n of [sizes.wordBuckets, sizes.charBuckets]) {
    if (!Number.isInteger(Math.log2(n))) throw new Error(`hash buckets must be a power of two, got ${n}`)
  }
  return {
    info: {
      id: `default-text/vader+hash-w${sizes.wordBuckets}-c${sizes.charBuckets}@1`,
      modality: 'text',
      dim: textDim(sizes),
      description: `tweet-normalised text: VADER scores and lexicon counts, tweet counts, hashed word 1–2-grams (${sizes.wordBuckets}) and character 3–5-grams (${sizes.charBuckets})`,
    },
    encode: async (texts) => texts.map((t) => encodeTweet(t, sizes)),
    dispose: async () => {},
  }
}
