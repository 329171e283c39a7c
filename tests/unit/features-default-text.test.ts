// The embedded text encoder: tweet normalisation (URLs, mentions, hashtags, emoji, MVSA's lost emoji
// and cut texts), VADER's polarity, and a fixed-size, deterministic vector.
import { describe, expect, it } from 'vitest'
import { fnv1a } from '#main/features/encoders/default/hashed-ngrams'
import { createDefaultTextEncoder, DEFAULT_HASH_SIZES } from '#main/features/encoders/default/text-encoder'
import { normaliseTweet, splitHashtag } from '#main/features/encoders/default/tweet-normalise'
import { vaderFeatures } from '#main/features/encoders/default/vader'

describe('tweet normalisation', () => {
  it('replaces URLs and mentions, splits hashtags and flags retweets', () => {
    const { tokens, lexiconText, counts } = normaliseTweet('RT @Ginger_Zee: Loving it #HappyValentinesDay2015 #wow http://t.co/x?y=1 &amp; more')
    expect(tokens).toEqual(['<rt>', '<user>', 'loving', 'it', 'happy', 'valentines', 'day', '<num>', 'wow', '<url>', 'more'])
    expect(lexiconText).toBe('Loving it happy valentines day 2015 wow & more')
    expect(counts).toMatchObject({ retweet: true, mentions: 1, hashtags: 2, urls: 1, lostEmoji: 0, questions: 0 })
  })

  it("reads MVSA's runs of '?' as lost emoji but keeps a real question mark", () => {
    const { tokens, counts, lexiconText } = normaliseTweet('Leftovers? My ? brothers ?????? done!!!???')
    expect(tokens).toEqual(['leftovers', '?', 'my', '<lost-emoji>', 'brothers', '<lost-emoji>', 'done', '!', '!', '!', '<lost-emoji>'])
    expect(counts).toMatchObject({ questions: 1, lostEmoji: 3, exclamations: 3 })
    expect(lexiconText).toBe('Leftovers? My brothers done!!!')
  })

  it('drops the fragment a 140-character cut left before the ellipsis', () => {
    const { tokens, counts } = normaliseTweet('So proud of these kids #stunned h…')
    expect(tokens).toEqual(['so', 'proud', 'of', 'these', 'kids', 'stunned', '<cut>'])
    expect(counts.truncated).toBe(true)
    expect(normaliseTweet('mid-URL http:/…').tokens).toEqual(['mid', 'url', '<cut>'])
  })

  it('keeps emoji and emoticons as tokens and squeezes elongations', () => {
    const { tokens, counts } = normaliseTweet('I LOVE it sooooo much 😍👍🏽 :) <3')
    expect(tokens).toEqual(['i', 'love', 'it', 'soo', 'much', '😍', '👍🏽', ':)', '<3'])
    expect(counts).toMatchObject({ emoji: 2, shouted: 1 })
  })

  it('splits hashtags at case changes and digits only', () => {
    expect(splitHashtag('PROFOUNDLOVE')).toEqual(['profoundlove'])
    expect(splitHashtag('happybday')).toEqual(['happybday'])
    expect(splitHashtag('iPhone6Plus')).toEqual(['i', 'phone', '6', 'plus'])
  })
})

describe('VADER', () => {
  it('has the sign of obvious sentences', () => {
    const compound = (text: string): number => vaderFeatures(text, normaliseTweet(text).tokens)[3]!
    expect(compound('What a wonderful, happy day! I love it')).toBeGreaterThan(0.5)
    expect(compound('This is terrible, I hate it. Awful and sad.')).toBeLessThan(-0.5)
    expect(Math.abs(compound('The train leaves at nine'))).toBeLessThan(0.1)
  })

  it('counts positive and negative lexicon words', () => {
    const [, , , , positive, negative, mean] = vaderFeatures('', ['love', 'great', 'hate', 'table'])
    expect(positive).toBeCloseTo(Math.log1p(2))
    expect(negative).toBeCloseTo(Math.log1p(1))
    expect(mean).toBeGreaterThan(0)
  })
})

describe('default text encoder', () => {
  const encoder = createDefaultTextEncoder()

  it('gives fixed-size, deterministic vectors that differ across texts', async () => {
    expect(encoder.info).toMatchObject({ id: 'default-text/vader+hash-w1024-c1024@1', modality: 'text', dim: 18 + 1024 + 1024 })
    const [a, b, again, empty] = await encoder.encode(['Great day at the beach #sun', 'Worst traffic ever @city', 'Great day at the beach #sun', ''])
    for (const v of [a, b, again, empty]) expect(v).toHaveLength(encoder.info.dim)
    expect(Array.from(again!)).toEqual(Array.from(a!))
    expect(Array.from(b!)).not.toEqual(Array.from(a!))
    expect(empty!.every(Number.isFinite)).toBe(true)
  })

  it('L2-normalises each hashed block', async () => {
    const [v] = await encoder.encode(['a few words of text'])
    const norm = (from: number, length: number): number => Math.hypot(...v!.subarray(from, from + length))
    expect(norm(18, DEFAULT_HASH_SIZES.wordBuckets)).toBeCloseTo(1, 5)
    expect(norm(18 + DEFAULT_HASH_SIZES.wordBuckets, DEFAULT_HASH_SIZES.charBuckets)).toBeCloseTo(1, 5)
  })

  it('refuses bucket counts that are not powers of two', () => {
    expect(() => createDefaultTextEncoder({ wordBuckets: 1000, charBuckets: 1024 })).toThrow('power of two')
  })

  it('hashes to pinned buckets', async () => {
    // A change here changes every cached text vector, and must bump the encoder id.
    expect(fnv1a('hello', 0)).toBe(547388343)
    const [v] = await encoder.encode(['good day'])
    const words = v!.subarray(18, 18 + DEFAULT_HASH_SIZES.wordBuckets)
    // 'good', 'day' and 'good day', each once: three signed entries of 1/√3.
    const used = [...words.keys()].filter((i) => words[i] !== 0)
    expect(used).toEqual([80, 642, 978])
    for (const i of used) expect(Math.abs(words[i]!)).toBeCloseTo(1 / Math.sqrt(3), 6)
  })
})
