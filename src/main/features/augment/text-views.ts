// The strong view of a text: words dropped and neighbours swapped at random (EDA-style), never
// leaving the text empty. SCRD itself augments no text (ALGORITHMS §1.10); the cached-feature
// design gives text a strong view so its consistency loss has two different inputs to compare.
import { type Random } from './seed'

/** Chance that a word is dropped. */
export const WORD_DROPOUT = 0.1
/** Chance that a word swaps places with the next one. */
export const WORD_SWAP = 0.1

export function strongText(text: string, random: Random): string {
  const words = text.split(/\s+/).filter((w) => w !== '')
  if (words.length === 0) return text
  let kept = words.filter(() => random() >= WORD_DROPOUT)
  if (kept.length === 0) kept = [words[Math.floor(random() * words.length)]!]
  for (let i = 0; i + 1 < kept.length; i++) {
    if (random() < WORD_SWAP) {
      ;[kept[i], kept[i + 1]] = [kept[i + 1]!, kept[i]!]
      i++
    }
  }
  return kept.join(' ')
}
