// The pairs the app ships, by version, described without loading a model (listing pairs, planning
// a run and reading cached features must not start TensorFlow.js or onnxruntime). Each pair's
// encoder ids version its cached vectors: features of version 1 stay in the cache under their own
// ids when version 2 becomes the default, and runs store the versioned pair id.
import type { EncoderPairInfo } from '#shared/features'
import { DEFAULT_IMAGE_DIM, DEFAULT_IMAGE_ID } from './encoders/default/image-encoder'
import { createDefaultTextEncoder } from './encoders/default/text-encoder'
import { USE_TEXT_DESCRIPTION, USE_TEXT_DIM, USE_TEXT_ID } from './encoders/use-lite/info'
import { COLOUR_DIM } from './encoders/default/colour-stats'
import { MOBILENET_DIM } from './encoders/default/mobilenet'

/** What a request without a pair, or naming 'default', gets. */
export const DEFAULT_ALIAS = 'default'
export const DEFAULT_V1 = 'default-v1'
export const DEFAULT_V2 = 'default-v2'
/** The pair 'default' stands for today. */
export const CURRENT_DEFAULT = DEFAULT_V2

const IMAGE = `MobileNetV2 pooled features (nsfwjs weights, ${MOBILENET_DIM}) + colour/brightness statistics (${COLOUR_DIM})`

export const BUILT_IN_PAIRS = [
  { id: DEFAULT_V2, description: `Embedded, offline (the default). Image: ${IMAGE}. Text: ${USE_TEXT_DESCRIPTION}.` },
  {
    id: DEFAULT_V1,
    description: `Embedded, offline (the default before version 2). Image: ${IMAGE}. Text: VADER and lexicon counts, tweet counts, hashed word 1–2-grams and character 3–5-grams.`,
  },
] as const

/** 'default' → the current default; any other id unchanged. */
export const canonicalPairId = (id: string): string => (id === DEFAULT_ALIAS ? CURRENT_DEFAULT : id)

export const isBuiltInPair = (id: string): boolean => BUILT_IN_PAIRS.some((p) => p.id === canonicalPairId(id))

/** Encoder ids and sizes of a built-in pair ('default' included), or null for any other id. */
export function builtInPairInfo(id: string): EncoderPairInfo | null {
  const canonical = canonicalPairId(id)
  const image = { id: DEFAULT_IMAGE_ID, modality: 'image' as const, dim: DEFAULT_IMAGE_DIM, description: IMAGE }
  if (canonical === DEFAULT_V2) return { id: canonical, image, text: { id: USE_TEXT_ID, modality: 'text', dim: USE_TEXT_DIM, description: USE_TEXT_DESCRIPTION } }
  if (canonical === DEFAULT_V1) {
    const text = createDefaultTextEncoder().info
    return { id: canonical, image, text: { id: text.id, modality: 'text', dim: text.dim, description: text.description } }
  }
  return null
}
