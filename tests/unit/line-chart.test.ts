// What the Train view's line charts hand uPlot: series sampled at different steps on one x axis,
// the steps from 0 (or the range the person zoomed into, held while points stream in), and the
// numbers as the axes and the legend print them.
import { describe, expect, it } from 'vitest'
import { alignedData, formatValue, xRange, xRangeOfSteps } from '#renderer/lib/chart-data'

describe('the line chart', () => {
  it('puts series sampled at different steps on one x axis, each with values only where it has them', () => {
    const data = alignedData([
      { name: 'total', points: [1, 2, 3, 4].map((x) => ({ x, y: 1 / x })) },
      { name: 'validation', points: [{ x: 2, y: 0.5 }, { x: 4, y: Number.NaN }] },
    ])
    expect(data[0]).toEqual([1, 2, 3, 4])
    expect(data[1]).toEqual([1, 0.5, 1 / 3, 0.25])
    expect(data[2]).toEqual([undefined, 0.5, undefined, null])
  })

  it('shows every step from 0 to the run\'s last, or the zoomed range whatever the data', () => {
    expect(xRange(null, 5, 120)).toEqual([0, 120])
    expect(xRange([30, 55], 5, 160)).toEqual([30, 55]) // new points came in: the zoom holds
    expect(xRange(null, 0, 0)).toEqual([0, 1])
    // A run's charts share its last step: one whose own points end earlier still runs to it.
    expect(xRange(null, 1000, 4000, 5000)).toEqual([0, 5000])
    expect(xRange(null, 1, 5000, 4000)).toEqual([0, 5000])
    expect(xRange([30, 55], 1000, 4000, 5000)).toEqual([30, 55])
  })

  it("ranges a chart with a single point to the run's last step, not uPlot's padding around it", () => {
    // Self-training's first acceptance rate is sampled at round 1's start (step 1,000) while the run is at 1,050.
    expect(xRangeOfSteps(null, [1000], 1050)).toEqual([0, 1050])
    expect(xRangeOfSteps(null, Float64Array.from([0, 500, 1000]), 1050)).toEqual([0, 1050])
    expect(xRangeOfSteps(null, [], 1)).toEqual([0, 1])
    expect(xRangeOfSteps([200, 300], [1000], 1050)).toEqual([200, 300])
  })

  it('prints values short', () => {
    expect([0.30000000000000004, 1500, 0, 2, 0.6333, 0.000312].map(formatValue)).toEqual(['0.3', '1.5K', '0', '2', '0.633', '0.000312'])
  })
})
