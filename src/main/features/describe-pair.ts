import type { EncoderPairInfo } from '#shared/features'
import type { EncoderPair } from './encoder'

/** What the UI and the cache need to know of a loaded pair: its encoders' ids and dimensions. */
export const describePair = (pair: EncoderPair): EncoderPairInfo => ({
  id: pair.id,
  image: { id: pair.image.info.id, modality: 'image', dim: pair.image.info.dim, description: pair.image.info.description },
  text: { id: pair.text.info.id, modality: 'text', dim: pair.text.info.dim, description: pair.text.info.description },
})
