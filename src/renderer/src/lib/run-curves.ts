// A run's curves, sorted into the charts the Train view draws: the loss terms, the share of
// pseudo-labels each head accepted, and accuracy. Points come from the stored run (runs.get) and
// from live progress events; long runs are thinned so a chart draws a few hundred points at most.
import { progressPoints, type RunCurvePoint } from '#shared/runs'

export interface Series {
  name: string
  points: { x: number; y: number }[]
}

export interface RunCharts {
  losses: Series[]
  acceptance: Series[]
  accuracy: Series[]
}

/** Pseudo-label acceptance (mask) rates by the head they belong to. */
const ACCEPTANCE: Record<string, string> = {
  maskM: 'fused head',
  maskT: 'text head',
  maskV: 'image head',
  plfDropped: 'dropped by PLF',
}
const ACCURACY: Record<string, string> = { 'val.accuracy': 'validation', 'test.accuracy': 'test' }
/** Step statistics that are neither losses nor acceptance: rates of other kinds, the learning rate, the gradient norm. */
const NOT_A_LOSS = /^(lr|selected|labelFilter|gradNorm)/

const LOSS_NAMES: Record<string, string> = {
  loss: 'total',
  lsup: 'supervised',
  lx: 'labeled',
  lu: 'unlabeled',
  lm: 'fused (labeled)',
  lrec: 'reconstruction',
  lcyc: 'cycle',
  lort: 'orthogonality',
  lsim: 'similarity (hinge)',
  lsel: 'selector',
}

/** The points a progress event adds (shared with the back end, which keeps them for a running run). */
export const pointsOf = progressPoints

/** Keeps at most `max` points, evenly spread, always the last one. */
export function thin<T>(points: T[], max: number): T[] {
  if (points.length <= max) return points
  const every = points.length / max
  const out: T[] = []
  for (let i = 0; i < max - 1; i++) out.push(points[Math.floor(i * every)]!)
  out.push(points[points.length - 1]!)
  return out
}

export function chartsOf(curves: readonly RunCurvePoint[], maxPoints = 300): RunCharts {
  const byName = new Map<string, { x: number; y: number }[]>()
  for (const c of curves) {
    if (!Number.isFinite(c.value)) continue
    let list = byName.get(c.name)
    if (!list) byName.set(c.name, (list = []))
    list.push({ x: c.step, y: c.value })
  }
  const series = (names: string[], title: (name: string) => string): Series[] =>
    names.map((name) => ({ name: title(name), points: thin(byName.get(name)!, maxPoints) }))
  const names = [...byName.keys()]
  const losses = names.filter((n) => !(n in ACCEPTANCE) && !(n in ACCURACY) && !NOT_A_LOSS.test(n) && !n.includes('.'))
  return {
    losses: series(losses, (n) => LOSS_NAMES[n] ?? n),
    acceptance: series(Object.keys(ACCEPTANCE).filter((n) => byName.has(n)), (n) => ACCEPTANCE[n]!),
    accuracy: series(Object.keys(ACCURACY).filter((n) => byName.has(n)), (n) => ACCURACY[n]!),
  }
}
