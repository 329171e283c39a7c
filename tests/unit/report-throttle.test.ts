// Progress reports of a long job (an import, a predict) go out at most every 100 ms, but a report
// that must (a phase's start or end) always does.
import { describe, expect, it } from 'vitest'
import { reportThrottle } from '#main/core/eta'

describe('report throttle', () => {
  it('lets the first report through, then one per interval, and every forced one', () => {
    let clock = 1_000
    const due = reportThrottle(100, () => clock)
    const sent: number[] = []
    for (let t = 0; t <= 250; t += 10) {
      clock = 1_000 + t
      if (due(t === 150 || t === 250)) sent.push(t)
    }
    expect(sent).toEqual([0, 100, 150, 250])
    clock = 1_255
    expect(due(true)).toBe(true)
    expect(due(false)).toBe(false)
  })
})
