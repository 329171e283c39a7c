// The project's latest linear probe, kept as JSON beside the database (write, then rename), so the
// runs page can show it beside every run's score as the bar a trained model should clear.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { ProbeReport } from '#shared/features'
import type { RunBaselines, RunSummary } from '#shared/runs'

export function saveProbe(file: string, report: ProbeReport): void {
  mkdirSync(path.dirname(file), { recursive: true })
  const temp = `${file}.${process.pid}.tmp`
  writeFileSync(temp, JSON.stringify({ ...report, createdAt: new Date().toISOString() }))
  renameSync(temp, file)
}

/** The saved report, or null when there is none (or it cannot be read: a probe is a nicety, never a failure). */
export function loadProbe(file: string): ProbeReport | null {
  try {
    const report = JSON.parse(readFileSync(file, 'utf8')) as ProbeReport
    return Array.isArray(report.rows) ? report : null
  } catch {
    return null
  }
}

/** The probe's text + image row as a run's baseline. */
function probeBaseline(report: ProbeReport | null): RunBaselines['probe'] {
  const row = report?.rows.find((r) => r.features === 'both')
  if (!report || !row) return null
  return { encoder: report.pair.id, n: report.counts.test, test: { accuracy: row.test.accuracy, weightedF1: row.test.weightedF1, macroF1: row.test.macroF1 } }
}

/** Runs with test scores get the probe beside their majority-class baseline. */
export function withProbeBaseline<T extends RunSummary>(run: T, report: ProbeReport | null): T {
  if (!run.baselines) return run
  return { ...run, baselines: { ...run.baselines, probe: probeBaseline(report) } }
}
