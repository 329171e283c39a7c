// Self-training keeps the round that scores best on val: rounds that make the model worse do not
// reach the user's run. The harmful pool here is made of blends of a negative and a neutral labeled
// post (70/30): the first fit calls them negative, and refitting on hundreds of them pulls the
// boundary into the neutral class.
import { describe, expect, it } from 'vitest'
import { makeConfig } from '#main/training/config'
import { syntheticProblem } from '#main/training/synthetic'
import { train } from '#main/training/trainer'
import type { Matrix, ModalityViews, TrainingData } from '#main/training/data'
import { wholeView } from '#main/training/view-rows'
import type { CurvePoint } from '#shared/runs'

const base = syntheticProblem({ seed: 5, train: 400, labeled: 30, val: 90, test: 90, dimTxt: 12, dimImg: 10, noise: 0.5, disagreement: 0.1, variants: 1 })

function blendedPool(data: TrainingData, share: number): TrainingData {
  const y = data.labeled.y
  const rowsOf = (c: number) => Array.from({ length: y.length }, (_, i) => i).filter((i) => y[i] === c)
  const negative = rowsOf(0)
  const neutral = rowsOf(1)
  const rows = data.unlabeled.ids.length
  const blend = (m: Matrix): Matrix => {
    const out = new Float32Array(rows * m.dim)
    for (let r = 0; r < rows; r++) {
      const p = negative[r % negative.length]! * m.dim
      const q = neutral[(r * 7) % neutral.length]! * m.dim
      for (let k = 0; k < m.dim; k++) out[r * m.dim + k] = share * m.data[p + k]! + (1 - share) * m.data[q + k]!
    }
    return { rows, dim: m.dim, data: out }
  }
  const views = (v: ModalityViews): ModalityViews => {
    const clean = blend(wholeView(v.clean))
    return { clean, weak: [clean], strong: [clean] }
  }
  return { ...data, unlabeled: { ...data.unlabeled, txt: views(data.labeled.txt), img: views(data.labeled.img) } }
}

const config = (rounds: number) => makeConfig('default', { method: 'self-training', steps: 120, evalEvery: 20, selfTraining: { rounds, threshold: 0.34 } })
const valScore = (r: Awaited<ReturnType<typeof train>>) => r.metrics.selected.val!.accuracy + r.metrics.selected.val!.macroF1

describe('self-training rounds', () => {
  it('a run whose rounds hurt on val returns its supervised fit (round 0), and says so', async () => {
    const data = blendedPool(base, 0.7)
    const supervised = await train({ config: config(0), data })
    const withRounds = await train({ config: config(3), data })
    // The rounds did run: each one pseudo-labeled most of the pool.
    expect(withRounds.curves.filter((c) => c.series === 'maskM').map((c) => c.value > 0.5)).toEqual([true, true, true])
    // Each round's start is in the curves, for the charts to mark where the head is fitted from zero again.
    expect(withRounds.curves.filter((c) => c.series === 'round').map((c) => [c.step, c.value])).toEqual([
      [120, 1],
      [240, 2],
      [360, 3],
    ])
    expect(supervised.curves.some((c) => c.series === 'round')).toBe(false)
    expect(withRounds.metrics.selected.val).toEqual(supervised.metrics.selected.val)
    expect(withRounds.metrics.selected.test).toEqual(supervised.metrics.selected.test)
    expect(withRounds.epoch).toBe(0)
  })

  it('on a clean pool the returned model is the best round on val, never worse than round 0', async () => {
    const r = await train({ config: config(3), data: base })
    const supervised = await train({ config: config(0), data: base })
    expect(valScore(r)).toBeGreaterThanOrEqual(valScore(supervised))
  })

  it('sends its curves with its progress as they grow, the same points the finished run stores', async () => {
    const live: CurvePoint[] = []
    let progressWithPoints = 0
    const r = await train({
      config: config(2),
      data: base,
      onProgress: (p) => {
        live.push(...p.points)
        if (p.points.length > 0) progressWithPoints++
      },
    })
    const key = (c: CurvePoint) => `${c.series}@${c.step}=${c.value}`
    // Every stored point but the test score (known once the round is chosen) came live, once.
    expect(live.map(key).sort()).toEqual(r.curves.filter((c) => c.series !== 'test.accuracy').map(key).sort())
    expect(live.some((c) => c.series === 'round')).toBe(true)
    // Not all at the end: with every evaluation (120 steps, every 20, 3 fits).
    expect(progressWithPoints).toBeGreaterThanOrEqual(18)
  })
})
