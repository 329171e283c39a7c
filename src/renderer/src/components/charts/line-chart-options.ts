// The options LineChart.vue hands uPlot: the series in the theme's colours and fonts, zoom on x by
// dragging (a double-click shows everything again), the values under the cursor reported.
import type uPlot from 'uplot'
import { formatValue, xRangeOfSteps, type ChartMarker } from '#renderer/lib/chart-data'
import { seriesColor } from './palette'

/** The values under the cursor: its x, and each series' nearest value (null where it has none). */
export interface Reading {
  x: number
  values: (number | null)[]
}

/** The x range the person zoomed into, or null for all of it. */
export interface Zoom {
  get(): [number, number] | null
  set(range: [number, number] | null): void
}

/** The theme's CSS variables (styles/base.css) and font, read once from the chart's element. */
export interface Theme {
  font: string
  text: string
  grid: string
  tick: string
}

const AXIS_FONT_PX = 11

export function themeOf(el: HTMLElement): Theme {
  const css = getComputedStyle(el)
  const variable = (name: string, fallback: string): string => css.getPropertyValue(name).trim() || fallback
  return { font: css.fontFamily, text: variable('--text-muted', '#57606a'), grid: variable('--surface-muted', '#eef0f3'), tick: variable('--border', '#d0d5dc') }
}

/** Whole-number steps between x ticks: the x axis counts steps or epochs. */
const WHOLE_STEPS = [0, 1, 2, 3, 4, 5, 6].flatMap((e) => [1, 2, 5].map((m) => m * 10 ** e))

export interface ChartSetup {
  width: number
  height: number
  xLabel: string
  yDomain?: [number, number]
  /** The series drawn, with their index among all the chart's series (it picks the colour). */
  series: { name: string; colorIndex: number }[]
  theme: Theme
  zoom: Zoom
  /** The steps marked with a vertical line, read at each draw (they change without a rebuild). */
  markers: () => readonly ChartMarker[]
  /** The x axis runs at least this far (read at each new range). */
  xUpTo: () => number
  onReading: (reading: Reading | null) => void
}

export function chartOptions(setup: ChartSetup): uPlot.Options {
  const { theme, zoom } = setup
  const font = `${AXIS_FONT_PX}px ${theme.font}`
  const values = (_u: uPlot, splits: number[]): string[] => splits.map(formatValue)

  /** A drag across the plot zooms x to it; the selection box is not left behind. */
  function zoomToSelection(u: uPlot): void {
    const { left, width } = u.select
    if (width > 2) {
      const range: [number, number] = [u.posToVal(left, 'x'), u.posToVal(left + width, 'x')]
      zoom.set(range)
      u.setScale('x', { min: range[0], max: range[1] })
    }
    u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false)
  }

  /** Each marker in the plot's range: a line across the plot (dashed for a round), its label at the top (a kept step's at the bottom, clear of a round's), inside the plot. */
  function drawMarkers(u: uPlot): void {
    const markers = setup.markers()
    if (markers.length === 0) return
    const { ctx } = u
    const { left, top, width, height } = u.bbox
    const px = window.devicePixelRatio || 1
    ctx.save()
    ctx.font = `${Math.round(AXIS_FONT_PX * px)}px ${theme.font}`
    ctx.fillStyle = theme.text
    ctx.lineWidth = px
    const gap = 3 * px
    const lineHeight = (AXIS_FONT_PX + 3) * px
    /** The spans labels already take, per row from the plot's edge: a label that would cross one goes a row further in. */
    const rows: [number, number][][] = []
    for (const m of markers) {
      const x = Math.round(u.valToPos(m.x, 'x', true))
      if (x < left || x > left + width) continue
      ctx.strokeStyle = m.kind === 'kept' ? theme.text : theme.tick
      ctx.setLineDash(m.kind === 'kept' ? [] : [4 * px, 3 * px])
      ctx.beginPath()
      ctx.moveTo(x, top)
      ctx.lineTo(x, top + height)
      ctx.stroke()
      // Right of its line, or left of it where the plot ends too soon (a run that kept its last step).
      const textWidth = ctx.measureText(m.label).width
      const right = x + gap + textWidth <= left + width
      const span: [number, number] = right ? [x + gap, x + gap + textWidth] : [x - gap - textWidth, x - gap]
      const bottom = m.kind === 'kept'
      const taken = (row: [number, number][]): boolean => row.some(([a, b]) => span[0] < b + gap && a < span[1] + gap)
      let row = bottom ? 0 : rows.findIndex((r) => !taken(r))
      if (row === -1) row = rows.length
      if (!bottom) (rows[row] ??= []).push(span)
      ctx.textBaseline = bottom ? 'bottom' : 'top'
      ctx.textAlign = right ? 'left' : 'right'
      ctx.fillText(m.label, right ? x + gap : x - gap, bottom ? top + height - 2 * px : top + 2 * px + row * lineHeight)
    }
    ctx.restore()
  }

  function report(u: uPlot): void {
    const idx = u.cursor.idx
    if (idx === null || idx === undefined) return setup.onReading(null)
    const x = u.data[0][idx]
    if (x === undefined) return setup.onReading(null)
    const readingOf = (i: number): number | null => {
      const at = u.cursor.idxs?.[i + 1]
      return at === null || at === undefined ? null : (u.data[i + 1]?.[at] ?? null)
    }
    setup.onReading({ x, values: setup.series.map((_, i) => readingOf(i)) })
  }

  return {
    width: setup.width,
    height: setup.height,
    padding: [10, 14, 0, 0],
    legend: { show: false },
    scales: {
      // All the steps from 0, or the zoomed range; called again on every new point.
      x: { time: false, range: (u) => xRangeOfSteps(zoom.get(), u.data[0], setup.xUpTo()) },
      y: setup.yDomain ? { range: setup.yDomain } : {},
    },
    axes: [
      {
        font,
        stroke: theme.text,
        size: 22,
        gap: 4,
        space: 50,
        incrs: WHOLE_STEPS,
        grid: { show: false },
        ticks: { stroke: theme.tick, width: 1, size: 4 },
        values,
        label: setup.xLabel,
        labelFont: `italic ${font}`,
        labelSize: 14,
        labelGap: 0,
      },
      {
        font,
        stroke: theme.text,
        size: 44,
        gap: 6,
        space: 34,
        grid: { stroke: theme.grid, width: 1 },
        ticks: { show: false },
        values,
      },
    ],
    series: [
      {},
      ...setup.series.map((s) => ({
        label: s.name,
        stroke: seriesColor(s.colorIndex),
        width: 2,
        spanGaps: true,
        points: { size: 5, fill: seriesColor(s.colorIndex) },
      })),
    ],
    cursor: {
      y: false,
      points: { size: 8, width: 2 },
      drag: { x: true, y: false, setScale: false },
      bind: {
        // A double-click shows every step again: forget the zoom before uPlot re-ranges x.
        dblclick: (_u, _target, handler) => (e) => {
          zoom.set(null)
          return handler(e)
        },
      },
    },
    hooks: { setSelect: [zoomToSelection], setCursor: [report], draw: [drawMarkers] },
  }
}
