// A run's two review orders, as the queue pages them: riskiest first (then less confident, then
// lower post id) and least confident first (then lower post id), whatever order the rows come in.
import { describe, expect, it } from 'vitest'
import type { RiskModel } from '#shared/calibration'
import { rankInputsOf, reviewOrder, type RankInput } from '#main/ml/review-order'

// Risk 1 for a neutral pseudo-label, 0 otherwise: two groups whose inner order is confidence's.
const NEUTRAL_IS_RISKY: RiskModel = { source: 'fallback', bias: 0, weights: { doubt: 0, neutral: 1, positive: 0 }, posts: 0, wrong: 0 }

const rows: RankInput[] = [
  { postId: 5, confidence: 0.9, label: 'neutral' },
  { postId: 3, confidence: 0.6, label: 'negative' },
  { postId: 8, confidence: 0.6, label: 'positive' },
  { postId: 2, confidence: 0.7, label: 'neutral' },
  { postId: 1, confidence: 0.6, label: 'neutral' },
]

describe('review order', () => {
  it('puts the riskiest first, ties by lower confidence then lower post id, and ranks confidence alongside', () => {
    const expected = [
      { postId: 1, riskRank: 0, confidenceRank: 0 },
      { postId: 2, riskRank: 1, confidenceRank: 3 },
      { postId: 5, riskRank: 2, confidenceRank: 4 },
      { postId: 3, riskRank: 3, confidenceRank: 1 },
      { postId: 8, riskRank: 4, confidenceRank: 2 },
    ]
    expect(reviewOrder(rankInputsOf(rows), NEUTRAL_IS_RISKY)).toEqual(expected)
    expect(reviewOrder(rankInputsOf([...rows].reverse()), NEUTRAL_IS_RISKY)).toEqual(expected)
  })

  it('orders nothing for no rows', () => {
    expect(reviewOrder(rankInputsOf([]), NEUTRAL_IS_RISKY)).toEqual([])
  })
})
