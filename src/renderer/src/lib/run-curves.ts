// A run's curves, sorted into the charts the Train view draws: the loss terms, the share of
// pseudo-labels each head accepted, and accuracy. Points come from the stored run (runs.get) and
// from live progress events, in the one shape both carry; long runs are thinned so a chart draws a
// few hundred points at most.
import type { CurvePoint, CurveSeries } from '#shared/runs'
import type { ChartMarker } from './chart-data'

export interface Series {
  name: string
  points: { x: number; y: number }[]
}

export interface RunCharts {
  losses: Series[]
  acceptance: Series[]
  accuracy: Series[]
}

type Chart = keyof RunCharts

/**
 * Which chart draws each series, under which name, in legend order. Every series the trainer can
 * report is here (a new one is a compile error until it is placed); null: not drawn — the
 * selector's picks, the label filter and the gradient norm are rates of other kinds, and the
 * learning rate follows the schedule the config states.
 */
const SERIES: Record<CurveSeries, { chart: Chart; name: string } | null> = {
  loss: { chart: 'losses', name: 'total' },
  lsup: { chart: 'losses', name: 'supervised' },
  lx: { chart: 'losses', name: 'labeled' },
  lu: { chart: 'losses', name: 'unlabeled' },
  lm: { chart: 'losses', name: 'fused (labeled)' },
  lrec: { chart: 'losses', name: 'reconstruction' },
  lcyc: { chart: 'losses', name: 'cycle' },
  lort: { chart: 'losses', name: 'orthogonality' },
  lsim: { chart: 'losses', name: 'similarity (hinge)' },
  lsel: { chart: 'losses', name: 'selector' },
  lteacher: { chart: 'losses', name: 'teacher (distillation)' },
  maskM: { chart: 'acceptance', name: 'fused head' },
  maskT: { chart: 'acceptance', name: 'text head' },
  maskV: { chart: 'acceptance', name: 'image head' },
  plfDropped: { chart: 'acceptance', name: 'dropped by PLF' },
  sclText: { chart: 'losses', name: 'text SupCon' },
  sclImage: { chart: 'losses', name: 'image SupCon' },
  sclInter: { chart: 'losses', name: 'inter-modal SupCon (step 2)' },
  interStep: { chart: 'acceptance', name: 'SPP-SCL step 2 taken' },
  ulgmText: { chart: 'losses', name: 'ULGM text task' },
  ulgmImage: { chart: 'losses', name: 'ULGM image task' },
  ulgmShift: { chart: 'losses', name: 'ULGM |generated − fused| label' },
  teacherMask: { chart: 'acceptance', name: 'labeled by the teacher' },
  tgfFocus: { chart: 'acceptance', name: 'text-guided attention focus' },
  'val.accuracy': { chart: 'accuracy', name: 'validation' },
  'test.accuracy': { chart: 'accuracy', name: 'test' },
  selectedText: null,
  selectedImage: null,
  selectedCommon: null,
  labelFilterText: null,
  labelFilterImage: null,
  gradNorm: null,
  lr: null,
  // Not a line: where a round begins, marked on every chart (runMarkers).
  round: null,
}

/** Keeps at most `max` points, evenly spread, always the last one. */
export function thin<T>(points: T[], max: number): T[] {
  if (points.length <= max) return points
  const every = points.length / max
  const out: T[] = []
  for (let i = 0; i < max - 1; i++) out.push(points[Math.floor(i * every)]!)
  out.push(points[points.length - 1]!)
  return out
}

export function chartsOf(curves: readonly CurvePoint[], maxPoints = 300): RunCharts {
  const bySeries = new Map<CurveSeries, { x: number; y: number }[]>()
  for (const c of curves) {
    if (!Number.isFinite(c.value)) continue
    let list = bySeries.get(c.series)
    if (!list) bySeries.set(c.series, (list = []))
    list.push({ x: c.step, y: c.value })
  }
  const charts: RunCharts = { losses: [], acceptance: [], accuracy: [] }
  for (const [series, place] of Object.entries(SERIES) as [CurveSeries, (typeof SERIES)[CurveSeries]][]) {
    const points = bySeries.get(series)
    if (place && points) charts[place.chart].push({ name: place.name, points: thin(points, maxPoints) })
  }
  return charts
}

/**
 * The steps every chart of a run marks: where each self-training round after the first begins (the
 * head is fitted again from zero there, so its curves start again) and, once the run is done, the
 * step whose weights it kept.
 */
export function runMarkers(curves: readonly CurvePoint[], kept?: number): ChartMarker[] {
  const markers: ChartMarker[] = curves.filter((c) => c.series === 'round').map((c) => ({ x: c.step, label: `round ${c.value}`, kind: 'round' }))
  if (kept !== undefined) markers.push({ x: kept, label: 'kept', kind: 'kept' })
  return markers
}
