// The time left a progress bar shows (imports, extraction, label checks): from the rate within the
// current phase, none until there is a rate to trust, and started afresh with each phase.
import { describe, expect, it } from 'vitest'
import { EtaEstimator, reportThrottle } from '#main/core/eta'

describe('EtaEstimator', () => {
  it('says nothing on a phase’s first report or before half a second of it, then the rest at the rate so far', () => {
    const eta = new EtaEstimator()
    expect(eta.update('fitting folds', 0, 5, 10_000)).toBeNull()
    expect(eta.update('fitting folds', 1, 5, 10_400)).toBeNull()
    // 2 folds in 4 s: 3 more take 6 s.
    expect(eta.update('fitting folds', 2, 5, 14_000)).toBe(6_000)
    expect(eta.update('fitting folds', 4, 5, 18_000)).toBe(2_000)
  })

  it('starts afresh with a new phase, and says nothing while nothing moves', () => {
    const eta = new EtaEstimator()
    eta.update('reading', 0, 100, 0)
    expect(eta.update('reading', 50, 100, 1_000)).toBe(1_000)
    expect(eta.update('writing', 10, 100, 1_000)).toBeNull()
    expect(eta.update('writing', 10, 100, 5_000)).toBeNull()
    expect(eta.update('writing', 55, 100, 10_000)).toBe(9_000)
  })
})

describe('reportThrottle', () => {
  it('lets one report through per interval, and always a forced one', () => {
    let now = 0
    const due = reportThrottle(100, () => now)
    expect(due(false)).toBe(true)
    now = 50
    expect(due(false)).toBe(false)
    expect(due(true)).toBe(true)
    now = 120
    expect(due(false)).toBe(false)
    now = 151
    expect(due(false)).toBe(true)
  })
})
