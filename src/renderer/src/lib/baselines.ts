// A run's test score against its baselines (the majority class and the linear probe on the same
// test posts): the short names the UI shows, and which ones the run fails to beat. Pure: unit-tested in Node.
import type { RunBaselines, RunScores } from '#shared/runs'
import { formatPercent } from './format'

export interface BaselineFigure {
  key: 'majority' | 'probe'
  name: string
  accuracy: number
  weightedF1: number
}

/** The baselines a run has, named as the UI names them. */
export function baselineFigures(baselines: RunBaselines | undefined): BaselineFigure[] {
  const out: BaselineFigure[] = []
  if (baselines?.majority) out.push({ key: 'majority', name: `Always “${baselines.majority.label}” (majority class)`, ...pick(baselines.majority.test) })
  if (baselines?.probe) out.push({ key: 'probe', name: `Linear probe, text + image (${baselines.probe.encoder})`, ...pick(baselines.probe.test) })
  return out
}

const pick = (s: RunScores) => ({ accuracy: s.accuracy, weightedF1: s.weightedF1 })

/** The baselines a test score does not beat on accuracy, and a sentence saying so (null when it beats them all). */
export function baselineWarning(test: RunScores | undefined, baselines: RunBaselines | undefined): string | null {
  if (!test) return null
  const failed = baselineFigures(baselines).filter((b) => test.accuracy <= b.accuracy)
  if (failed.length === 0) return null
  return `Test accuracy ${formatPercent(test.accuracy)} does not beat ${failed.map((b) => `${b.name} at ${formatPercent(b.accuracy)}`).join(' or ')}: a simpler rule does as well on the same test posts.`
}
