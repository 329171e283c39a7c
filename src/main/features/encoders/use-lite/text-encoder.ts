// The version-2 embedded text encoder: USE-lite then VADER (layout in ./info.ts). It runs in the
// feature worker (one process owns TensorFlow.js), a batch of texts per model call.
// A linear probe on MVSA-Single with all train labels: USE-lite 0.694 test, + VADER 0.702 (issue 11).
import type { TextEncoder } from '#main/features/encoder'
import { normaliseTweet } from '../default/tweet-normalise'
import { vaderFeatures } from '../default/vader'
import { USE_DIM, USE_TEXT_DESCRIPTION, USE_TEXT_DIM, USE_TEXT_ID } from './info'
import { loadUseModel, type UseModel } from './model-runner'
import { readVocabulary } from './package-files'
import { sentencePiece, type SentencePiece } from './sentencepiece'

/** Texts per model call (the sparse input grows with the batch). */
const BATCH = 64

/** Runs of white space (new lines, tabs) become one space: the tokenizer marks words at spaces only. */
const tidy = (text: string): string => text.replace(/\s+/g, ' ').trim()

/** USE-lite then VADER for each text, in order. */
export async function encodeWithUse(model: UseModel, tokenizer: SentencePiece, texts: readonly string[]): Promise<Float32Array[]> {
  const out: Float32Array[] = []
  for (let start = 0; start < texts.length; start += BATCH) {
    const batch = texts.slice(start, start + BATCH)
    const ids = batch.map((t) => tokenizer.encode(tidy(t)))
    const filled = ids.filter((list) => list.length > 0)
    const embedded = await model.embed(filled)
    let next = 0
    batch.forEach((text, i) => {
      const vector = new Float32Array(USE_TEXT_DIM)
      if (ids[i]!.length > 0) vector.set(embedded[next++]!)
      const parts = normaliseTweet(text)
      vector.set(vaderFeatures(parts.lexiconText, parts.tokens), USE_DIM)
      out.push(vector)
    })
  }
  return out
}

export async function createUseTextEncoder(folder?: string): Promise<TextEncoder> {
  const [model, vocabulary] = await Promise.all([loadUseModel(folder), readVocabulary(folder)])
  const tokenizer = sentencePiece(vocabulary)
  return {
    info: { id: USE_TEXT_ID, modality: 'text', dim: USE_TEXT_DIM, description: `${USE_TEXT_DESCRIPTION}; ${model.runtime}` },
    encode: (texts) => encodeWithUse(model, tokenizer, texts),
    dispose: async () => model.dispose(),
  }
}
