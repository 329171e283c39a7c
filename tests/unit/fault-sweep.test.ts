// SIGKILL at seeded random moments during import, extraction, training, labeling and review
// decisions (support/fault-sweep.ts): after every kill the store passes integrity_check, holds
// nothing half-written, has lost no acknowledged write, and once resumed equals an uninterrupted run.
// `npm test` runs FAULT_KILLS (default 1) kills per activity; the full sweep is
//   FAULT_KILLS=20 npx vitest run tests/unit/fault-sweep.test.ts
// and prints one line per kill.
import { describe, expect, it } from 'vitest'
import { ACTIVITIES, sweep } from './support/fault-sweep'

const KILLS = Number(process.env.FAULT_KILLS ?? 1)

describe('SIGKILL at random points', () => {
  for (const activity of ACTIVITIES) {
    it(`${activity}: integrity ok, nothing partial, no acknowledged write lost, resume equal to an uninterrupted run`, { timeout: 60_000 + KILLS * 40_000 }, async () => {
      const { results, durationMs } = await sweep(activity, KILLS)
      for (const r of results) {
        console.log(
          `fault ${activity} kill at ${r.at} of the work (uninterrupted: ${durationMs} ms)${r.finishedFirst ? ' (already finished)' : ''}: progress ${r.progress}, integrity ${r.integrity}, partial ${r.partial.length}, lost ${r.lost}, resumed equal ${r.resumedEqual}`,
        )
      }
      expect(results.map((r) => [r.integrity, r.partial, r.lost, r.resumedEqual])).toEqual(results.map(() => ['ok', [], 0, true]))
    })
  }
})
