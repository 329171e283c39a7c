// A long loop on the shell's event loop gives it turns: a timer due meanwhile fires before the loop
// ends (with a plain forEach it fires only after), and every item is still visited once, in order.
import { describe, expect, it } from 'vitest'
import { forEachInTurns } from '#main/core/loop-turns'

const busy = (ms: number): void => {
  const until = performance.now() + ms
  while (performance.now() < until);
}

describe('forEachInTurns', () => {
  it('visits every item in order and lets a timer fire while it works', async () => {
    const seen: Array<[string, number]> = []
    let firedAfter: number | null = null
    setTimeout(() => (firedAfter = seen.length), 1)
    await forEachInTurns(
      Array.from({ length: 60 }, (_, i) => `item ${i}`),
      (item, index) => {
        busy(1)
        seen.push([item, index])
      },
    )
    expect(seen).toEqual(Array.from({ length: 60 }, (_, i) => [`item ${i}`, i]))
    // 60 ms of work, a turn every 10 ms: the timer ran with most of the items still to come.
    expect(firedAfter).not.toBeNull()
    expect(firedAfter!).toBeLessThan(50)
  })
})
