// VADER (Hutto & Gilbert 2014) through the vader-sentiment package, plus counts over its lexicon.
// The package is a CommonJS bundle without types; its default export is { SentimentIntensityAnalyzer }.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import vaderSentiment from 'vader-sentiment'

export const VADER_FEATURES = ['vader neg', 'vader neu', 'vader pos', 'vader compound', 'lexicon positive words', 'lexicon negative words', 'lexicon mean valence'] as const

let lexicon: Map<string, number> | null = null

/** The lexicon the analyzer uses (word → mean valence, −4..4), read from the package's text file. */
function vaderLexicon(): Map<string, number> {
  if (!lexicon) {
    const file = createRequire(import.meta.url).resolve('vader-sentiment/vader_lexicon.txt')
    lexicon = new Map()
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      const [word, valence] = line.split('\t')
      if (word && valence) lexicon.set(word, Number(valence))
    }
  }
  return lexicon
}

/**
 * VADER's four scores for `text`, then for the lower-cased `tokens`: ln(1 + positive lexicon words),
 * ln(1 + negative ones) and their mean valence / 4 (0 when none), an AFINN-style view that does not
 * depend on VADER's rules for negation and emphasis.
 */
export function vaderFeatures(text: string, tokens: readonly string[]): number[] {
  const s = vaderSentiment.SentimentIntensityAnalyzer.polarity_scores(text)
  const words = vaderLexicon()
  let positive = 0
  let negative = 0
  let total = 0
  for (const token of tokens) {
    const v = words.get(token)
    if (v === undefined) continue
    if (v > 0) positive++
    else if (v < 0) negative++
    total += v
  }
  const hits = positive + negative
  return [s.neg, s.neu, s.pos, s.compound, Math.log1p(positive), Math.log1p(negative), hits ? total / hits / 4 : 0]
}
