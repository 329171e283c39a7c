import { SENTIMENTS, type Sentiment } from '#shared/vocabulary'

const ALIASES: Record<string, Sentiment> = {
  positive: 'positive',
  pos: 'positive',
  neutral: 'neutral',
  neu: 'neutral',
  negative: 'negative',
  neg: 'negative',
}

/** Parses a label as written in data files; `undefined` for an empty cell, `null` for an unknown word. */
export function parseSentiment(raw: unknown): Sentiment | null | undefined {
  if (raw === undefined || raw === null) return undefined
  const word = String(raw).trim().toLowerCase()
  if (word === '') return undefined
  return ALIASES[word] ?? null
}

export const sentimentList = (): string => SENTIMENTS.join(', ')

export interface MergedLabel {
  /** The pair's single label, or null when the modalities conflict. */
  label: Sentiment | null
  conflict: boolean
}

/**
 * The standard MVSA rule (MultiSentiNet, Xu & Mao 2017): agreeing labels stand; a neutral side
 * yields to the other; positive against negative is a modality conflict with no single label.
 */
export function mergeTextImage(text: Sentiment, image: Sentiment): MergedLabel {
  if (text === image) return { label: text, conflict: false }
  if (text === 'neutral') return { label: image, conflict: false }
  if (image === 'neutral') return { label: text, conflict: false }
  return { label: null, conflict: true }
}

/** MVSA-Multiple: a modality's label stands only when at least 2 of the annotators agree. */
export function majority(labels: readonly Sentiment[]): Sentiment | null {
  const counts = new Map<Sentiment, number>()
  for (const l of labels) counts.set(l, (counts.get(l) ?? 0) + 1)
  for (const [label, n] of counts) if (n >= 2) return label
  return null
}
