// The pure side of the line charts (components/charts/LineChart.vue draws them with uPlot): the
// series lined up on one x axis, the x range shown, and numbers as the axes and legend print them.
// DOM-free, so the unit tests run it in Node.
import uPlot from 'uplot'

export interface ChartSeries {
  name: string
  points: { x: number; y: number }[]
}

/** A step the charts mark with a vertical line and a short label: a self-training round's start (dashed), the step a run kept (solid). */
export interface ChartMarker {
  x: number
  label: string
  kind: 'round' | 'kept'
}

/**
 * One x column for all the series (they may be sampled at different steps: validation every few
 * hundred, losses every step); a series has no value where it was not sampled, and a value that
 * is not a number is left out too. The line is drawn across both.
 */
export function alignedData(series: ChartSeries[]): uPlot.AlignedData {
  return uPlot.join(series.map((s) => [s.points.map((p) => p.x), s.points.map((p) => (Number.isFinite(p.y) ? p.y : null))]))
}

/**
 * The x range shown: the one zoomed into, else every step from 0 to the last (at least 0..1, and at
 * least to `upTo`: the charts of one run share its last step, so their marks line up).
 */
export const xRange = (zoom: [number, number] | null, dataMin: number | null, dataMax: number | null, upTo = 1): [number, number] =>
  zoom ?? [Math.min(0, dataMin ?? 0), Math.max(1, upTo, dataMax ?? 1)]

/**
 * The same, from the chart's own steps (sorted, as uPlot keeps them), not the min and max uPlot
 * hands its range function: around a single point it pads them (a rate first sampled at step
 * 1,000 gave 0..2,000 while the run was at 1,050).
 */
export const xRangeOfSteps = (zoom: [number, number] | null, steps: ArrayLike<number>, upTo = 1): [number, number] =>
  xRange(zoom, steps.length > 0 ? steps[0]! : null, steps.length > 0 ? steps[steps.length - 1]! : null, upTo)

const readable = new Intl.NumberFormat('en-US', { notation: 'compact', maximumSignificantDigits: 3 })

/** A value as the axes and the legend print it: "0.25", "1.5K", "0.000312". */
export const formatValue = (v: number): string => (Number.isFinite(v) ? readable.format(v) : String(v))
