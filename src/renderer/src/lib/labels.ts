// How sentiments, modalities and splits are named on screen: words first, so colour is never
// the only cue.
import type { Modality, Sentiment, Split } from '#shared/vocabulary'

export const SENTIMENT_SHORT: Record<Sentiment, string> = { positive: 'pos', neutral: 'neu', negative: 'neg' }

export const MODALITY_NAME: Record<Modality, string> = { overall: 'Overall', text: 'Text', image: 'Image' }
export const MODALITY_SHORT: Record<Modality, string> = { overall: 'All', text: 'Txt', image: 'Img' }

export const SPLIT_NAME: Record<Split, string> = {
  train: 'Train',
  val: 'Validation',
  test: 'Test',
  conflict: 'Conflict',
  unassigned: 'Unassigned',
}

export const capitalize = (word: string): string => word.charAt(0).toUpperCase() + word.slice(1)
