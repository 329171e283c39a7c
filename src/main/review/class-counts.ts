import type { CountBySentiment, Sentiment } from '#shared/vocabulary'

/** How many of `items` propose each class (bulk preview and bulk accept report the same figures). */
export function countByClass(items: ReadonlyArray<{ label: Sentiment }>): CountBySentiment {
  const counts: CountBySentiment = { positive: 0, neutral: 0, negative: 0 }
  for (const { label } of items) counts[label]++
  return counts
}
